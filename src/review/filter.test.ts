import { describe, expect, it } from 'vitest';
import { filterFiles } from './filter';
import { makeDiff, makeFile } from './testing/diff-builder';

const code = ['+const a = 1;'];

describe('filterFiles', () => {
  it('skips lock files, minified files, maps, snapshots, build output, vendored code and images with a reason each', () => {
    const paths: [string, string][] = [
      ['package-lock.json', 'lock file'],
      ['web/yarn.lock', 'lock file'],
      ['pnpm-lock.yaml', 'lock file'],
      ['Cargo.lock', 'lock file'],
      ['static/app.min.js', 'minified file'],
      ['dist/app.js.map', 'source map'],
      ['src/app.js.map', 'source map'],
      ['src/__snapshots__/x.test.ts.snap', 'test snapshot'],
      ['dist/index.js', 'build output'],
      ['node_modules/left-pad/index.js', 'vendored dependency'],
      ['vendor/github.com/x/y.go', 'vendored dependency'],
      ['assets/logo.svg', 'image'],
      ['assets/photo.PNG', 'image'],
      ['api/__generated__/types.ts', 'generated file'],
    ];
    const result = filterFiles(makeDiff(paths.map(([p]) => makeFile(p, [code]))), []);
    for (const [path, reason] of paths) {
      const c = result.excluded.find((e) => e.path === path);
      expect(c, path).toEqual({ path, coverage: 'skipped', reason });
    }
    expect(result.reviewable).toEqual([]);
  });

  it('keeps hand-written declaration files and ordinary source', () => {
    const result = filterFiles(makeDiff([makeFile('src/types.d.ts', [code]), makeFile('src/build-info.ts', [code])]), []);
    expect(result.reviewable.map((f) => f.path)).toEqual(['src/types.d.ts', 'src/build-info.ts']);
  });

  it("applies the user's ignore patterns and names the pattern", () => {
    const result = filterFiles(makeDiff([makeFile('docs/guide/intro.md', [code]), makeFile('src/a.ts', [code]), makeFile('x/fixtures/b.json', [code])]), [
      'docs/**',
      'fixtures',
      '',
    ]);
    expect(result.reviewable.map((f) => f.path)).toEqual(['src/a.ts']);
    expect(result.excluded).toContainEqual({ path: 'docs/guide/intro.md', coverage: 'skipped', reason: 'matches your ignore pattern `docs/**`' });
    expect(result.excluded).toContainEqual({ path: 'x/fixtures/b.json', coverage: 'skipped', reason: 'matches your ignore pattern `fixtures`' });
  });

  it('reports an invalid pattern instead of failing', () => {
    const result = filterFiles(makeDiff([makeFile('src/a.ts', [code])]), ['[']);
    expect(result.reviewable).toHaveLength(1);
  });

  it('lists not-loaded files with the reason from the diff, and deleted, binary and mode-only files as skipped', () => {
    const diff = makeDiff(
      [
        { ...makeFile('big.ts', []), status: 'not-loaded' },
        makeFile('old.ts', [['-gone']], 'deleted'),
        { ...makeFile('img.bin', []), status: 'binary' },
        { ...makeFile('run.sh', []), status: 'mode-only' },
        { ...makeFile('moved.ts', []), status: 'renamed', oldPath: 'was.ts' },
      ],
      [
        { path: 'big.ts', reason: 'GitHub loads this file only on click' },
        { path: 'later.ts', reason: 'after the first 300 files' },
        { path: null, reason: '12 more files were not loaded' },
      ],
    );
    const result = filterFiles(diff, []);
    expect(result.reviewable).toEqual([]);
    expect(result.excluded).toEqual([
      { path: 'big.ts', coverage: 'not-loaded', reason: 'GitHub loads this file only on click' },
      { path: 'old.ts', coverage: 'skipped', reason: 'deleted file: no new lines to review' },
      { path: 'img.bin', coverage: 'skipped', reason: 'binary file' },
      { path: 'run.sh', coverage: 'skipped', reason: 'file mode change only' },
      { path: 'moved.ts', coverage: 'skipped', reason: 'renamed without content changes' },
      { path: 'later.ts', coverage: 'not-loaded', reason: 'after the first 300 files' },
    ]);
    expect(result.notes).toEqual(['12 more files were not loaded']);
  });

  it('reviews what GitHub showed of a too-large file and remembers it is incomplete', () => {
    const result = filterFiles(makeDiff([{ ...makeFile('huge.ts', [code]), status: 'too-large' }]), []);
    expect(result.reviewable.map((f) => f.path)).toEqual(['huge.ts']);
    expect(result.incomplete.get('huge.ts')).toMatch(/only part/);
  });

  it('survives malformed input', () => {
    const bad = { ref: { owner: '', repo: '', number: null }, files: [null, { path: 3 }], missing: null } as never;
    expect(() => filterFiles(bad, null as never)).not.toThrow();
  });
});

describe('directory rules', () => {
  it('match build output at any depth but a nested build/ folder of scripts is reviewed', () => {
    const result = filterFiles(makeDiff([makeFile('packages/ui/dist/index.js', [code]), makeFile('tools/build/release.ts', [code])]), []);
    expect(result.reviewable.map((f) => f.path)).toEqual(['tools/build/release.ts']);
  });
});
