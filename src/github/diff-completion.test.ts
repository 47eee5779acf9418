import { describe, expect, it } from 'vitest';
import type { PullRequestDiff } from '../model/diff';
import { parseUnifiedDiff } from './diff-text';
import { completionNeed, completionUrls, diffEndpointUrl, mergeWithDiffText, restFilesUrl } from './diff-completion';
import { fromRestFiles } from './rest-files';

const ENDPOINT = `diff --git a/a.ts b/a.ts
--- a/a.ts
+++ b/a.ts
@@ -1,2 +1,2 @@
 keep
-old
+new
diff --git a/big.json b/big.json
new file mode 100644
--- /dev/null
+++ b/big.json
@@ -0,0 +1,2 @@
+{
+}
diff --git a/later.ts b/later.ts
--- a/later.ts
+++ b/later.ts
@@ -3 +3 @@
-x
+y
diff --git a/was.txt b/is.txt
similarity index 100%
rename from was.txt
rename to is.txt
`;

function pageDiff(): PullRequestDiff {
  const [a] = parseUnifiedDiff(ENDPOINT, 'classic-dom');
  return {
    ref: { owner: 'o', repo: 'r', number: 5 },
    files: [
      { ...a!, hunks: a!.hunks.map((h) => ({ ...h, header: '@@ -1,2 +1,2 @@ page' })) },
      { path: 'big.json', status: 'not-loaded', hunks: [], source: 'classic-dom' },
      { path: 'is.txt', status: 'modified', hunks: [], source: 'classic-dom' },
    ],
    missing: [
      { path: 'big.json', reason: 'GitHub did not load this diff ("Load diff")' },
      { path: null, reason: 'more files were still loading on the page' },
    ],
  };
}

describe('completionNeed', () => {
  it('names the files without lines and notices files the page did not list', () => {
    expect(completionNeed(pageDiff())).toEqual({ complete: false, paths: ['big.json'], unlistedFiles: true });
  });

  it('is complete when every file was read', () => {
    const d = pageDiff();
    d.files = d.files.filter((f) => f.path === 'a.ts');
    d.missing = [];
    expect(completionNeed(d).complete).toBe(true);
  });
});

describe('mergeWithDiffText', () => {
  const merged = mergeWithDiffText(pageDiff(), parseUnifiedDiff(ENDPOINT, 'diff-endpoint'));

  it('keeps files read from the page and fills the rest from the endpoint, recording the source', () => {
    expect(merged.files.map((f) => [f.path, f.status, f.source])).toEqual([
      ['a.ts', 'modified', 'classic-dom'],
      ['big.json', 'added', 'diff-endpoint'],
      ['is.txt', 'renamed', 'classic-dom'],
      ['later.ts', 'modified', 'diff-endpoint'],
    ]);
    expect(merged.files[0]!.hunks[0]!.header).toBe('@@ -1,2 +1,2 @@ page');
    expect(merged.files[1]!.hunks[0]!.lines.map((l) => l.text)).toEqual(['{', '}']);
    expect(merged.files[2]!.oldPath).toBe('was.txt');
  });

  it('clears what it filled from missing[]', () => {
    expect(merged.missing).toEqual([]);
  });

  it('keeps missing what the endpoint did not have', () => {
    const partial = mergeWithDiffText(pageDiff(), parseUnifiedDiff(ENDPOINT, 'diff-endpoint').filter((f) => f.path !== 'big.json'));
    expect(partial.missing.map((m) => m.path)).toEqual(['big.json']);
    expect(partial.files.find((f) => f.path === 'big.json')!.status).toBe('not-loaded');
  });
});

describe('fromRestFiles', () => {
  it('turns the REST list into files, with reasons for those without a patch', () => {
    const { files, missing } = fromRestFiles([
      { filename: 'a.ts', status: 'modified', additions: 1, deletions: 1, changes: 2, patch: '@@ -1,2 +1,2 @@\n keep\n-old\n+new' },
      { filename: 'new.ts', status: 'renamed', previous_filename: 'old.ts', additions: 0, deletions: 0, changes: 0 },
      { filename: 'img.png', status: 'added', additions: 0, deletions: 0, changes: 0 },
      { filename: 'huge.sql', status: 'modified', additions: 90000, deletions: 3, changes: 90003 },
      { filename: 'gone.txt', status: 'removed', additions: 0, deletions: 1, changes: 1, patch: '@@ -1 +0,0 @@\n-bye\n\\ No newline at end of file' },
      { nonsense: true },
    ]);
    expect(files.map((f) => [f.oldPath ?? null, f.path, f.status, f.source])).toEqual([
      [null, 'a.ts', 'modified', 'rest-api'],
      ['old.ts', 'new.ts', 'renamed', 'rest-api'],
      [null, 'img.png', 'binary', 'rest-api'],
      [null, 'huge.sql', 'too-large', 'rest-api'],
      [null, 'gone.txt', 'deleted', 'rest-api'],
    ]);
    expect(files[0]!.hunks[0]!.lines.map((l) => [l.kind, l.text])).toEqual([
      ['context', 'keep'],
      ['deletion', 'old'],
      ['addition', 'new'],
    ]);
    expect(files[4]!.hunks[0]!.lines[0]).toMatchObject({ text: 'bye', noNewlineAtEnd: true });
    expect(missing.map((m) => m.path)).toEqual(['img.png', 'huge.sql']);
    expect(files[3]).toMatchObject({ additions: 90000, deletions: 3 });
  });

  it('accepts a commit response and ignores garbage', () => {
    expect(fromRestFiles({ files: [{ filename: 'x', status: 'added', patch: '@@ -0,0 +1 @@\n+x' }] }).files).toHaveLength(1);
    expect(fromRestFiles('nope')).toEqual({ files: [], missing: [] });
    expect(fromRestFiles(null)).toEqual({ files: [], missing: [] });
  });
});

describe('URLs', () => {
  const pr = { owner: 'octo', repo: 'my.repo', number: 12 };

  it('the .diff endpoint of the PR, a commit, or exactly the range the page shows', () => {
    expect(diffEndpointUrl(pr)).toBe('https://github.com/octo/my.repo/pull/12.diff');
    expect(diffEndpointUrl({ owner: 'o', repo: 'r', number: null, headSha: 'abc1234' })).toBe('https://github.com/o/r/commit/abc1234.diff');
    expect(diffEndpointUrl(pr, { kind: 'pr-files', range: '0123abc..89defab' })).toBe('https://github.com/octo/my.repo/compare/0123abc..89defab.diff');
    expect(diffEndpointUrl(pr, { kind: 'pr-commit', sha: '0123abc' })).toBe('https://github.com/octo/my.repo/commit/0123abc.diff');
    expect(diffEndpointUrl({ owner: 'o/../x', repo: 'r', number: 1 })).toBeNull();
    expect(diffEndpointUrl({ owner: 'o', repo: 'r', number: null })).toBeNull();
  });

  it('REST pages of 100 files', () => {
    expect(restFilesUrl(pr, 3)).toBe('https://api.github.com/repos/octo/my.repo/pulls/12/files?per_page=100&page=3');
    expect(restFilesUrl(pr, 0)).toBeNull();
  });

  it('tries the endpoint first, then REST pages; REST only when the page shows the whole PR', () => {
    const urls = completionUrls(pr, { kind: 'pr-files' }, 2);
    expect(urls).toEqual([
      'https://github.com/octo/my.repo/pull/12.diff',
      'https://api.github.com/repos/octo/my.repo/pulls/12/files?per_page=100&page=1',
      'https://api.github.com/repos/octo/my.repo/pulls/12/files?per_page=100&page=2',
    ]);
    expect(completionUrls(pr, { kind: 'pr-files', range: '0123abc..89defab' })).toEqual(['https://github.com/octo/my.repo/compare/0123abc..89defab.diff']);
  });
});
