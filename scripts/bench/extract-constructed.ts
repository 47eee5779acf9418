/**
 * The constructed test pages in e2e/fixtures/github/constructed/: cases no saved real page
 * shows (statuses, placeholders, loaders, odd content, React split view), written with the
 * markup of the real pages (see extract-pages.ts) and each with its expected result.
 *
 * Regenerate: `npx tsx scripts/bench/extract-constructed.ts` (the unit tests check the saved
 * pages are what this produces).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DiffFile, DiffHunk, DiffLine, DiffSource, FileStatus } from '../../src/model/diff';
import { serializeUnifiedDiff } from '../../src/github/diff-text';
import { classicPage, reactPage, type PageFile, type PageOptions } from './extract-pages';

export const CONSTRUCTED_DIR = new URL('../../e2e/fixtures/github/constructed/', import.meta.url);

/** `hunk(1, 1, [' a', '-b', '+c'])`: numbers follow from the starts. */
function hunk(oldStart: number, newStart: number, rows: string[], noEolLast = false): DiffHunk {
  let o = oldStart;
  let n = newStart;
  const lines: DiffLine[] = rows.map((r) => {
    const text = r.slice(1);
    if (r[0] === '+') return { kind: 'addition', oldNumber: null, newNumber: n++, text };
    if (r[0] === '-') return { kind: 'deletion', oldNumber: o++, newNumber: null, text };
    return { kind: 'context', oldNumber: o++, newNumber: n++, text };
  });
  if (noEolLast && lines.length > 0) (lines[lines.length - 1] as DiffLine).noNewlineAtEnd = true;
  const oldLines = lines.filter((l) => l.kind !== 'addition').length;
  const newLines = lines.filter((l) => l.kind !== 'deletion').length;
  return { header: '@@ -0,0 +0,0 @@', oldStart: oldLines === 0 ? 0 : oldStart, oldLines, newStart: newLines === 0 ? 0 : newStart, newLines, lines };
}

function file(path: string, status: FileStatus, hunks: DiffHunk[], extra: Partial<PageFile> = {}): PageFile {
  return { path, status, hunks, source: 'classic-dom', ...extra };
}

const LONG = 'x'.repeat(3000) + ' end of a very long line ' + 'y'.repeat(3000);

/** Files whose content is hard to carry through HTML and back. */
export function contentFiles(): PageFile[] {
  return [
    file('i18n/grüße 世界.txt', 'modified', [
      hunk(1, 1, [' Grüße, 世界 🎉', '-עברית ‏RTL mark‎ kept in content', '+עברית ‏RTL mark‎ kept in content!', ' café'], true),
    ]),
    file('src/parser.c', 'modified', [
      hunk(10, 10, [
        ' \tint x;\t// tab inside',
        '-+++ b/not-a-header',
        '---- a/not-a-header',
        '+@@ -1 +1 @@ not a hunk',
        '+diff --git a/x b/x',
        '+\\ No newline at end of file',
        ' ',
        '-<script>alert("&amp;")</script> & < >',
        '+<script>alert("&")</script> &amp; &lt;',
        '   trailing spaces   ',
      ]),
      hunk(40, 41, [' ' + LONG, '-' + LONG, '+' + LONG + '!', ' last']),
    ]),
  ];
}

/** Every status and placeholder the classic view has. */
export function statusFiles(): PageFile[] {
  return [
    file('src/app.ts', 'modified', [hunk(1, 1, [' import a', '-old()', '+young()', ' export {}']), hunk(20, 20, [' x', '+y'], true)], {
      withReviewThread: true,
    }),
    file('docs/new name.md', 'renamed', [hunk(3, 3, [' # Title', '-text', '+new text'])], { oldPath: 'docs/old name.md' }),
    file('lib/moved-too.js', 'renamed', [], { oldPath: 'lib/moved.js', placeholder: 'renamed' }),
    file('assets/logo.png', 'binary', [], { placeholder: 'binary' }),
    file('old/removed.txt', 'deleted', [hunk(1, 0, ['-one', '-two', '-three'])]),
    file('scripts/run.sh', 'mode-only', [], { placeholder: 'mode' }),
    file('data/huge.json', 'not-loaded', [], { placeholder: 'load-diff' }),
    file('new/file.txt', 'added', [hunk(0, 1, ['+hello', '+world'])]),
  ];
}

/** React page: placeholders, statuses only the embedded data knows, files only in the data. */
export function reactStatusFiles(): PageFile[] {
  return [
    file('src/app.ts', 'modified', [hunk(1, 1, [' import a', '-old()', '+young()', ' export {}'])]),
    file('src/added.ts', 'added', [hunk(0, 1, ['+export const a = 1;'])]),
    file('docs/new name.md', 'renamed', [hunk(3, 3, [' # Title', '-text', '+new text'])], { oldPath: 'docs/old name.md' }),
    file('lib/moved-too.js', 'renamed', [], { oldPath: 'lib/moved.js', placeholder: 'renamed' }),
    file('assets/logo.png', 'binary', [], { placeholder: 'binary' }),
    file('scripts/run.sh', 'mode-only', [], { placeholder: 'mode' }),
    file('data/huge.json', 'not-loaded', [], { placeholder: 'load-diff', additions: 4000, deletions: 12 }),
    file('later/in-data.ts', 'modified', [hunk(5, 5, [' a', '-b', '+c'])], { onlyInData: true, linesInData: true }),
    file('later/not-loaded.ts', 'added', [], { onlyInData: true, additions: 30, deletions: 0 }),
  ];
}

export interface ConstructedCase {
  name: string;
  layout: 'classic' | 'react';
  options: PageOptions;
  files: PageFile[];
  /** What a correct extractor reports. */
  expected: {
    files: Array<{ path: string; oldPath?: string; status: FileStatus; source: DiffSource }>;
    missingPaths: Array<string | null>;
    baseSha?: string;
    headSha?: string;
  };
}

const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

function expectFiles(files: PageFile[], layout: 'classic' | 'react') {
  return files.map((f) => {
    const source: DiffSource = layout === 'classic' ? 'classic-dom' : f.onlyInData && f.linesInData ? 'embedded-data' : f.onlyInData ? 'embedded-data' : 'react-dom';
    const e: { path: string; oldPath?: string; status: FileStatus; source: DiffSource } = { path: f.path, status: f.status, source };
    if (f.oldPath) e.oldPath = f.oldPath;
    if (f.onlyInData && !f.linesInData) e.status = 'not-loaded';
    return e;
  });
}

export function constructedCases(): ConstructedCase[] {
  const prFiles = 'https://github.com/octo/constructed/pull/7/files';
  const prChanges = 'https://github.com/octo/constructed/pull/7/changes';
  const cases: ConstructedCase[] = [];
  for (const split of [false, true]) {
    const view = split ? 'split' : 'unified';
    const statuses = statusFiles();
    cases.push({
      name: `classic-statuses_${view}`,
      layout: 'classic',
      options: { url: prFiles, split, progressiveLoader: true, data: { kind: 'pr', baseSha: BASE, headSha: HEAD } },
      files: statuses,
      expected: { files: expectFiles(statuses, 'classic'), missingPaths: ['data/huge.json', null], baseSha: BASE, headSha: HEAD },
    });
    const content = contentFiles();
    cases.push({
      name: `classic-content_${view}`,
      layout: 'classic',
      options: { url: prFiles, split, highlight: true },
      files: content,
      expected: { files: expectFiles(content, 'classic'), missingPaths: [] },
    });
    cases.push({
      name: `react-content_${view}`,
      layout: 'react',
      options: { url: prChanges, split, highlight: true, data: { kind: 'pr', baseSha: BASE, headSha: HEAD } },
      files: content,
      expected: { files: expectFiles(content, 'react'), missingPaths: [], baseSha: BASE, headSha: HEAD },
    });
    const react = reactStatusFiles();
    cases.push({
      name: `react-statuses_${view}`,
      layout: 'react',
      options: { url: prChanges, split, data: { kind: 'pr', baseSha: BASE, headSha: HEAD } },
      files: react,
      expected: { files: expectFiles(react, 'react'), missingPaths: ['data/huge.json', 'later/not-loaded.ts'], baseSha: BASE, headSha: HEAD },
    });
  }
  return cases;
}

export function renderCase(c: ConstructedCase): string {
  return c.layout === 'classic' ? classicPage(c.files, c.options) : reactPage(c.files, c.options);
}

/** The diff text of what the page (and its data) shows. */
export function expectedDiff(c: ConstructedCase): string {
  // Files never loaded have no diff text; the serializer leaves out not-loaded files itself.
  const shown: DiffFile[] = c.files.filter((f) => !(f.onlyInData && !f.linesInData));
  return serializeUnifiedDiff(shown);
}

/** Saved pages use CRLF line ends in one case, as a page saved on Windows would. */
export const CRLF_CASE = 'classic-content_unified';

export function writeConstructed(): string[] {
  mkdirSync(CONSTRUCTED_DIR, { recursive: true });
  const written: string[] = [];
  for (const c of constructedCases()) {
    let html = renderCase(c);
    if (c.name === CRLF_CASE) html = html.replace(/\r?\n/g, '\r\n');
    writeFileSync(new URL(`${c.name}.html`, CONSTRUCTED_DIR), html);
    writeFileSync(new URL(`${c.name}.expected.diff`, CONSTRUCTED_DIR), expectedDiff(c));
    written.push(c.name);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of writeConstructed()) console.log(`wrote ${name}.html and ${name}.expected.diff`);
}
