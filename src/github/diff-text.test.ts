import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DiffFile, DiffLine } from '../model/diff';
import { parseUnifiedDiff, serializeUnifiedDiff } from './diff-text';

const fixture = (name: string) => readFileSync(new URL(`../../e2e/fixtures/github/${name}`, import.meta.url), 'utf8');

const MIXED = `diff --git a/src/old.ts b/src/new.ts
similarity index 90%
rename from src/old.ts
rename to src/new.ts
index 1111111..2222222 100644
--- a/src/old.ts
+++ b/src/new.ts
@@ -1,3 +1,3 @@ function f() {
 one
-two
+three
 four
\\ No newline at end of file
diff --git a/img.png b/img.png
new file mode 100644
index 0000000..3333333
Binary files /dev/null and b/img.png differ
diff --git a/run.sh b/run.sh
old mode 100644
new mode 100755
diff --git a/gone file.txt b/gone file.txt
deleted file mode 100644
index 4444444..0000000
--- a/gone file.txt
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
diff --git a/same.txt b/moved/same.txt
similarity index 100%
rename from same.txt
rename to moved/same.txt
diff --git a/fresh.md b/fresh.md
new file mode 100755
--- /dev/null
+++ b/fresh.md
@@ -0,0 +1 @@
+hello
`;

const lineTuples = (f: DiffFile) =>
  f.hunks.flatMap((h) => h.lines.map((l) => [l.kind, l.oldNumber, l.newNumber, l.text, !!l.noNewlineAtEnd]));

describe('parseUnifiedDiff', () => {
  const files = parseUnifiedDiff(MIXED);

  it('reads every file of a mixed git diff with its status', () => {
    expect(files.map((f) => [f.oldPath ?? null, f.path, f.status])).toEqual([
      ['src/old.ts', 'src/new.ts', 'renamed'],
      [null, 'img.png', 'binary'],
      [null, 'run.sh', 'mode-only'],
      [null, 'gone file.txt', 'deleted'],
      ['same.txt', 'moved/same.txt', 'renamed'],
      [null, 'fresh.md', 'added'],
    ]);
    expect(files.every((f) => f.source === 'diff-text')).toBe(true);
  });

  it('numbers lines and marks a missing final newline', () => {
    const renamed = files[0]!;
    expect(renamed.hunks).toHaveLength(1);
    expect(renamed.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 3, newStart: 1, newLines: 3 });
    expect(lineTuples(renamed)).toEqual([
      ['context', 1, 1, 'one', false],
      ['deletion', 2, null, 'two', false],
      ['addition', null, 2, 'three', false],
      ['context', 3, 3, 'four', true],
    ]);
    expect([renamed.additions, renamed.deletions]).toEqual([1, 1]);
  });

  it('keeps modes', () => {
    expect(files[2]).toMatchObject({ oldMode: '100644', newMode: '100755' });
    expect(files[5]).toMatchObject({ newMode: '100755' });
    expect(files[5]!.oldMode).toBeUndefined();
  });

  it('keeps content lines that look like file or hunk headers as content', () => {
    const text = [
      'diff --git a/notes.md b/notes.md',
      '--- a/notes.md',
      '+++ b/notes.md',
      '@@ -1,4 +1,4 @@',
      '--- a/x',
      '+++ b/x',
      ' @@ -1 +1 @@',
      '-diff --git a/q b/q',
      '+diff --git a/r b/r',
      ' end',
      'diff --git a/b.txt b/b.txt',
      '--- a/b.txt',
      '+++ b/b.txt',
      '@@ -1 +1 @@',
      '-x',
      '+y',
      '',
    ].join('\n');
    const parsed = parseUnifiedDiff(text);
    expect(parsed.map((f) => f.path)).toEqual(['notes.md', 'b.txt']);
    expect(lineTuples(parsed[0]!)).toEqual([
      ['deletion', 1, null, '-- a/x', false],
      ['addition', null, 1, '++ b/x', false],
      ['context', 2, 2, '@@ -1 +1 @@', false],
      ['deletion', 3, null, 'diff --git a/q b/q', false],
      ['addition', null, 3, 'diff --git a/r b/r', false],
      ['context', 4, 4, 'end', false],
    ]);
  });

  it('treats a whole-text CRLF conversion as transport but keeps CRs that belong to the content', () => {
    const lf = 'diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n';
    const converted = parseUnifiedDiff(lf.replace(/\n/g, '\r\n'));
    expect(lineTuples(converted[0]!)).toEqual([
      ['deletion', 1, null, 'a', false],
      ['addition', null, 1, 'b', false],
    ]);
    const crlfContent = parseUnifiedDiff('diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\r\n+b\r\n');
    expect(lineTuples(crlfContent[0]!).map((t) => t[3])).toEqual(['a\r', 'b\r']);
    expect(serializeUnifiedDiff(crlfContent)).toContain('-a\r\n+b\r\n');
  });

  it('reads empty context lines whose leading space was stripped', () => {
    const parsed = parseUnifiedDiff('--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n x\n\n-y\n+z\n');
    expect(lineTuples(parsed[0]!)).toEqual([
      ['context', 1, 1, 'x', false],
      ['context', 2, 2, '', false],
      ['deletion', 3, null, 'y', false],
      ['addition', null, 3, 'z', false],
    ]);
  });

  it('reads plain (non-git) unified diffs with timestamps, several files', () => {
    const parsed = parseUnifiedDiff(
      '--- a/x\t2024-01-01 00:00:00\n+++ b/x\t2024-01-02 00:00:00\n@@ -1 +1 @@\n-a\n+b\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-c\n+d\n',
    );
    expect(parsed.map((f) => [f.path, f.status])).toEqual([
      ['x', 'modified'],
      ['y', 'modified'],
    ]);
  });

  it('unquotes git-quoted non-ASCII paths', () => {
    const parsed = parseUnifiedDiff(
      'diff --git "a/caf\\303\\251 \\"q\\".txt" "b/caf\\303\\251 \\"q\\".txt"\n--- "a/caf\\303\\251 \\"q\\".txt"\n+++ "b/caf\\303\\251 \\"q\\".txt"\n@@ -1 +1 @@\n-a\n+b\n',
    );
    expect(parsed[0]!.path).toBe('café "q".txt');
    expect(serializeUnifiedDiff(parsed)).toContain('diff --git "a/café \\"q\\".txt" "b/café \\"q\\".txt"');
  });

  it('unquotes C escapes in paths, and keeps an unknown escape as a backslash', () => {
    const quoted = '"a/tab\\there\\\\back\\qmark"';
    const parsed = parseUnifiedDiff(`--- ${quoted}\n+++ ${quoted.replace('a/', 'b/')}\n@@ -1 +1 @@\n-a\n+b\n`);
    expect(parsed[0]!.path).toBe('tab\there\\back\\qmark');
  });

  it('returns nothing for text that is not a diff, and never throws', () => {
    expect(parseUnifiedDiff('hello\nworld\n')).toEqual([]);
    expect(parseUnifiedDiff('')).toEqual([]);
    expect(parseUnifiedDiff(undefined as unknown as string)).toEqual([]);
    expect(() => parseUnifiedDiff('diff --git\n@@ -x @@\n+++\n---\n@@ -1,99999 +1 @@\n-')).not.toThrow();
  });

  it('reads the fixtures’ expected diffs', () => {
    const pr = parseUnifiedDiff(fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'));
    expect(pr).toHaveLength(1);
    expect(pr[0]!.hunks.length).toBeGreaterThan(0);
    const react = parseUnifiedDiff(fixture('TingGeorge__commit-2fa8000_react.expected.diff'));
    expect(react[0]).toMatchObject({ path: '.gitignore' });
    expect(react[0]!.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 2, newStart: 1, newLines: 7 });
  });
});

describe('serializeUnifiedDiff', () => {
  it('round-trips the mixed diff to the same files', () => {
    const once = parseUnifiedDiff(MIXED);
    const text = serializeUnifiedDiff(once);
    expect(parseUnifiedDiff(text)).toEqual(once);
    expect(text).toContain('Binary files /dev/null and b/img.png differ');
    expect(text).toContain('old mode 100644\nnew mode 100755\n');
    expect(text).toContain('rename from same.txt\nrename to moved/same.txt\n');
    expect(text).toContain('+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n');
    expect(text).toContain('new file mode 100755\n--- /dev/null\n+++ b/fresh.md\n@@ -0,0 +1 @@\n+hello\n');
    expect(text).toContain(' four\n\\ No newline at end of file\n');
  });

  it('reproduces the fixtures’ expected diffs byte for byte (apart from index lines)', () => {
    for (const name of ['OctoLinker__pull-diff_testrepo-1.expected.diff', 'OctoLinker__commit-b0775a9.expected.diff', 'TingGeorge__commit-2fa8000_react.expected.diff']) {
      const text = fixture(name);
      const withoutIndex = text.split('\n').filter((l) => !l.startsWith('index ')).join('\n');
      expect(serializeUnifiedDiff(parseUnifiedDiff(text))).toBe(withoutIndex);
    }
  });

  it('leaves out files whose lines were never loaded', () => {
    const text = serializeUnifiedDiff([{ path: 'big.json', status: 'not-loaded', hunks: [], source: 'embedded-data' }]);
    expect(text).toBe('');
  });

  it('round-trips arbitrary line content, including header look-alikes', () => {
    const lineText = fc.oneof(
      fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, '')),
      fc.constantFrom('--- a/x', '++ b/x', '@@ -1 +1 @@', 'diff --git a/a b/a', '\\ No newline at end of file', '', '\t'),
    );
    const kind = fc.constantFrom<DiffLine['kind']>('context', 'addition', 'deletion');
    fc.assert(
      fc.property(fc.array(fc.tuple(kind, lineText), { minLength: 1, maxLength: 20 }), fc.boolean(), (rows, noEol) => {
        let o = 1;
        let n = 1;
        const lines: DiffLine[] = rows.map(([k, text]) => {
          const l: DiffLine = { kind: k, oldNumber: k === 'addition' ? null : o, newNumber: k === 'deletion' ? null : n, text };
          if (k !== 'addition') o++;
          if (k !== 'deletion') n++;
          return l;
        });
        if (noEol) lines[lines.length - 1]!.noNewlineAtEnd = true;
        const file: DiffFile = {
          path: 'f.txt',
          status: 'modified',
          source: 'diff-text',
          hunks: [{ header: '', oldStart: 1, oldLines: o - 1, newStart: 1, newLines: n - 1, lines }],
        };
        const back = parseUnifiedDiff(serializeUnifiedDiff([file]));
        expect(back).toHaveLength(1);
        expect(back[0]!.hunks.flatMap((h) => h.lines)).toEqual(lines);
      }),
      { numRuns: 200 },
    );
  });
});
