import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiffFile } from '../model/diff';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings';
import { chunkText, fileKind } from './chunker';
import { planReview } from './plan';
import { estimateTokens } from './token-budget';
import { makeDiff, makeFile, makeSpacedFile } from './testing/diff-builder';
import { loadCorpusDiff } from './testing/corpus';

const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...over });

const lineText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom('  return x;', '}', '', 'const a = b + c;', '```', '### evil.ts (modified)', '日本語のコメント', '\t\tif (x) {'),
  fc.string({ minLength: 300, maxLength: 2000 }),
);
const hunkLines = fc.array(fc.tuple(fc.constantFrom('+', '-', ' '), lineText).map(([m, t]) => m + t), { minLength: 1, maxLength: 120 });
const arbFile = fc
  .tuple(
    fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8}){0,2}\.(ts|py|md|json|go)$/),
    fc.array(hunkLines, { minLength: 1, maxLength: 6 }),
  )
  .map(([path, hunks]) => makeSpacedFile(path, hunks, 20));
const arbFiles = fc.uniqueArray(arbFile, { minLength: 1, maxLength: 25, selector: (f) => f.path });

/** Every new-side line and every removed line of the reviewable files, as `path:kind:number:text`. */
function changedKeys(files: DiffFile[]): string[] {
  return files.flatMap((f) => f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'addition').map((l) => `${f.path}:${l.newNumber}`)));
}

describe('planReview', () => {
  it('never plans a prompt over the budget, and puts every added line of every reviewable file in exactly one sent chunk', () => {
    fc.assert(
      fc.property(arbFiles, fc.constantFrom(1024, 2048, 4096, 8192), (files, contextWindow) => {
        const plan = planReview(makeDiff(files), settings({ maxModelCalls: 10_000 }), { contextWindow });
        for (const c of plan.chunks) {
          const tokens = c.messages.reduce((a, m) => a + estimateTokens(m.content), 0);
          expect(tokens).toBe(c.promptTokens);
          expect(tokens).toBeLessThanOrEqual(plan.budget.promptTokens);
          expect(tokens + plan.budget.answerTokens + plan.budget.templateTokens).toBeLessThanOrEqual(contextWindow);
        }
        // Count where each added line shows up across the chunks ("12+text" lines under their file header).
        const seen = new Map<string, number>();
        for (const c of plan.chunks) {
          let path = '';
          for (const line of chunkText(c).split('\n')) {
            const h = /^### (.+) \(/.exec(line);
            if (h) path = h[1]!;
            const a = /^(\d+)\+/.exec(line);
            if (a) seen.set(`${path}:${a[1]}`, (seen.get(`${path}:${a[1]}`) ?? 0) + 1);
          }
        }
        const expected = changedKeys(plan.reviewable);
        for (const k of expected) expect(seen.get(k), k).toBe(1);
        expect(seen.size).toBe(expected.length);
        const reviewable = new Set(plan.reviewable.map((f) => f.path));
        for (const f of plan.files) if (reviewable.has(f.path)) expect(['full', 'partial']).toContain(f.coverage);
        else expect(f).toMatchObject({ coverage: 'skipped', reason: 'no changed lines' });
      }),
      { numRuns: 60 },
    );
  });

  it('orders source before tests before docs and config, bigger changes first', () => {
    const big = makeFile('src/big.ts', [Array.from({ length: 30 }, (_, i) => `+line ${i}`)]);
    const small = makeFile('src/small.ts', [['+x']]);
    const test = makeFile('src/big.test.ts', [Array.from({ length: 50 }, (_, i) => `+t ${i}`)]);
    const docs = makeFile('README.md', [Array.from({ length: 80 }, (_, i) => `+d ${i}`)]);
    const plan = planReview(makeDiff([docs, test, small, big]), settings(), { contextWindow: 4096 });
    expect(plan.reviewable.map((f) => f.path)).toEqual(['src/big.ts', 'src/small.ts', 'src/big.test.ts', 'README.md']);
    expect(fileKind('tests/test_import.py')).toBe('test');
    expect(fileKind('.github/workflows/ci.yml')).toBe('docs-config');
  });

  it('groups small files into one chunk and splits a large file at hunk boundaries, repeating its header', () => {
    const smalls = Array.from({ length: 8 }, (_, i) => makeFile(`src/s${i}.ts`, [['+const a = 1;', ' b();']]));
    const hunks = Array.from({ length: 12 }, (_, h) => ({
      oldStart: h * 100 + 1,
      newStart: h * 100 + 1,
      section: `function f${h}()`,
      lines: Array.from({ length: 25 }, (_, i) => `+  value${h}_${i} = compute(${i});`),
    }));
    const large = makeFile('src/large.ts', hunks);
    const plan = planReview(makeDiff([...smalls, large]), settings(), { contextWindow: 4096 });
    const largeChunks = plan.chunks.filter((c) => c.files.includes('src/large.ts'));
    expect(largeChunks.length).toBeGreaterThan(1);
    for (const c of largeChunks) {
      expect(chunkText(c)).toContain('### src/large.ts (modified)');
      // Hunks stay whole: every piece starts its hunks at a hunk head.
      expect(chunkText(c).split('\n').find((l) => l.startsWith('@@'))).toMatch(/^@@ function f\d+\(\)$/);
    }
    const smallChunks = new Set(plan.chunks.filter((c) => c.files.some((f) => f.startsWith('src/s'))));
    expect(smallChunks.size).toBe(1);
  });

  it('splits a single hunk larger than the budget at line boundaries without losing a line', () => {
    const lines = Array.from({ length: 600 }, (_, i) => `+  row(${i}, "${'x'.repeat(40)}");`);
    const plan = planReview(makeDiff([makeFile('src/data.ts', [{ section: 'table', lines }])]), settings(), { contextWindow: 2048 });
    expect(plan.chunks.length).toBeGreaterThan(3);
    const all = plan.chunks.map(chunkText).join('\n');
    for (let i = 0; i < 600; i++) expect(all).toContain(`${i + 1}+  row(${i},`);
    expect(plan.chunks[1]!.messages[1]!.content).toContain('@@ table (continued)');
    expect(plan.files).toEqual([{ path: 'src/data.ts', coverage: 'full' }]);
  });

  it('cuts at the call limit, keeps one call for the summary, and says which files were not reviewed', () => {
    const files = Array.from({ length: 10 }, (_, i) =>
      makeFile(`src/f${i}.ts`, [Array.from({ length: 120 }, (_, k) => `+  const v${k} = someFunction(${k}, "${i}");`)]),
    );
    const plan = planReview(makeDiff(files), settings({ maxModelCalls: 4 }), { contextWindow: 4096 });
    expect(plan.chunks.length).toBeGreaterThan(4);
    expect(plan.mapCalls).toBe(3);
    expect(plan.reduceCalls).toBe(1);
    expect(plan.truncated).toBe(true);
    const notReviewed = plan.files.filter((f) => f.coverage === 'skipped' || f.coverage === 'partial');
    expect(notReviewed.length).toBeGreaterThan(0);
    for (const f of notReviewed) expect(f.reason).toMatch(/call limit reached \(4 model calls/);
    expect(plan.notes.join(' ')).toMatch(/Only 3 of \d+ parts/);
  });

  it('marks a file with a shortened line as partial and refuses a context too small for the instructions', () => {
    const plan = planReview(makeDiff([makeFile('src/min.ts', [[`+${'a'.repeat(5000)}`]])]), settings(), { contextWindow: 4096 });
    expect(plan.files).toEqual([{ path: 'src/min.ts', coverage: 'partial', reason: 'very long lines were shortened' }]);
    const tiny = planReview(makeDiff([makeFile('src/a.ts', [['+x']])]), settings(), { contextWindow: 300 });
    expect(tiny.chunks).toEqual([]);
    expect(tiny.files[0]).toMatchObject({ coverage: 'skipped', reason: expect.stringMatching(/too small/) });
    expect(tiny.truncated).toBe(true);
  });

  it('plans the corpus PR with the lock file skipped and every other file fully reviewed', () => {
    const { diff } = loadCorpusDiff('ts-rate-limiter.diff');
    const plan = planReview(diff, settings(), { contextWindow: 4096 });
    expect(plan.files.find((f) => f.path === 'package-lock.json')).toEqual({ path: 'package-lock.json', coverage: 'skipped', reason: 'lock file' });
    expect(plan.files.filter((f) => f.path !== 'package-lock.json').every((f) => f.coverage === 'full')).toBe(true);
    expect(plan.mapCalls).toBe(plan.chunks.length);
    expect(plan.reduceCalls).toBe(plan.chunks.length > 1 ? 1 : 0);
  });
});
