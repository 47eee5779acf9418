import { readFileSync, readdirSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import type { DiffFile, DiffLine } from '../model/diff';
import { parseUnifiedDiff, serializeUnifiedDiff } from './diff-text';
import { REASONS, extractPullRequestDiff, extractPullRequestDiffSync, pageUrlFromDocument, type ExtractOutcome } from './extract';

const FIXTURES = new URL('../../e2e/fixtures/github/', import.meta.url);
const CONSTRUCTED = new URL('constructed/', FIXTURES);
const load = (name: string, dir = FIXTURES) => parseHTML(readFileSync(new URL(name, dir), 'utf8')).document;
const text = (name: string, dir = FIXTURES) => readFileSync(new URL(name, dir), 'utf8');

function mustDiff(outcome: ExtractOutcome) {
  if (!outcome.ok) throw new Error(`expected a diff, got "${outcome.reason}"`);
  return outcome;
}

const key = (l: DiffLine) => JSON.stringify([l.kind, l.oldNumber, l.newNumber, l.text, !!l.noNewlineAtEnd]);

/**
 * The page shows exactly the expected diff, allowing for GitHub's one difference: it merges
 * two hunks that are one unchanged line apart, so the page may add that one context line.
 */
function expectShows(got: DiffFile[], expectedText: string): void {
  const expected = parseUnifiedDiff(expectedText);
  const shown = got.filter((f) => f.hunks.length > 0);
  expect(shown.map((f) => f.path).sort()).toEqual(expected.map((f) => f.path).sort());
  for (const exp of expected) {
    const page = shown.find((f) => f.path === exp.path)!;
    const pageLines = page.hunks.flatMap((h) => h.lines);
    const expLines = exp.hunks.flatMap((h) => h.lines);
    const pageKeys = new Set(pageLines.map(key));
    for (const l of expLines) expect(pageKeys, `${exp.path}: ${key(l)}`).toContain(key(l));
    const expKeys = new Set(expLines.map(key));
    const gaps = new Set<number>();
    for (let i = 1; i < exp.hunks.length; i++) {
      const prev = exp.hunks[i - 1]!;
      const next = exp.hunks[i]!;
      if (next.oldStart - (prev.oldStart + prev.oldLines) === 1) gaps.add(next.oldStart - 1);
    }
    for (const l of pageLines) {
      if (expKeys.has(key(l))) continue;
      expect(l.kind, `${exp.path}: extra line ${key(l)}`).toBe('context');
      expect(gaps.has(l.oldNumber ?? -1), `${exp.path}: extra line ${key(l)} is not a merged one-line gap`).toBe(true);
    }
    expect(pageLines.length).toBe(new Set(pageLines.map(key)).size);
  }
}

describe('real GitHub pages', () => {
  it('classic PR "Files changed" page: the PR diff, SHAs, and not the review-thread suggestion', () => {
    const doc = load('OctoLinker__pull-diff_testrepo-1.html');
    const url = pageUrlFromDocument(doc)!;
    expect(url).toBe('https://github.com/OctoLinker/testrepo/pull/1/files');
    const out = mustDiff(extractPullRequestDiffSync(doc, url));
    expect(out.layout).toBe('classic');
    expectShows(out.diff.files, text('OctoLinker__pull-diff_testrepo-1.expected.diff'));
    expect(out.diff.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.text)))).not.toContain('Lucy');
    expect(out.diff.ref).toEqual({
      owner: 'OctoLinker',
      repo: 'testrepo',
      number: 1,
      baseSha: '8c802922609af8721bae6f954a58f1b804e7d765',
      headSha: '9981d1a99ef8fff1f569c2ae24b136d5a0275132',
    });
    expect(out.diff.missing).toEqual([]);
  });

  it.each(['unified', 'split'])('classic commit page, %s view', (view) => {
    const doc = load(`OctoLinker__commit-b0775a9_${view}.html`);
    const out = mustDiff(extractPullRequestDiffSync(doc, pageUrlFromDocument(doc)!));
    expectShows(out.diff.files, text('OctoLinker__commit-b0775a9.expected.diff'));
    expect(out.diff.ref).toMatchObject({ number: null, headSha: 'b0775a93ea27ee381858ddd9fa2bb953d5b74acb', baseSha: '37d5cddb31e2ef6089d9fef2cb0a61bd8b961172' });
    // Unified and split views of one commit read the same.
    expect(serializeUnifiedDiff(out.diff.files)).toBe(serializeUnifiedDiff(parseUnifiedDiff(text('OctoLinker__commit-b0775a9.expected.diff'))));
  });

  it('React commit page: the rendered file, and the 58 others reported as not loaded', () => {
    const doc = load('TingGeorge__commit-2fa8000_react.html');
    const out = mustDiff(extractPullRequestDiffSync(doc, pageUrlFromDocument(doc)!));
    expect(out.layout).toBe('react');
    expectShows(out.diff.files, text('TingGeorge__commit-2fa8000_react.expected.diff'));
    const gitignore = out.diff.files.find((f) => f.path === '.gitignore')!;
    expect(gitignore).toMatchObject({ status: 'modified', source: 'react-dom' });
    const notLoaded = out.diff.files.filter((f) => f.status === 'not-loaded');
    expect(notLoaded).toHaveLength(58);
    expect(out.diff.files).toHaveLength(59);
    expect(out.diff.missing).toHaveLength(58);
    expect(new Set(out.diff.missing.map((m) => m.path))).toEqual(new Set(notLoaded.map((f) => f.path)));
    expect(out.diff.missing.every((m) => m.reason.length > 0)).toBe(true);
    expect(out.diff.ref).toMatchObject({ headSha: '2fa800062b33136871c6cd109d770279c9f88b4a', baseSha: 'e4413eeae42e4f3853ca8ad80372e995b022509b' });
  });

  it('React file region alone (no page data): read from the DOM, path without U+200E marks', () => {
    const doc = load('TingGeorge__commit-2fa8000_react-region.html');
    const out = mustDiff(extractPullRequestDiffSync(doc, 'https://github.com/TingGeorge/excalidraw-github-extension-on-chrome/commit/2fa800062b33136871c6cd109d770279c9f88b4a'));
    expect(out.diff.files.map((f) => f.path)).toEqual(['.gitignore']);
    expectShows(out.diff.files, text('TingGeorge__commit-2fa8000_react.expected.diff'));
  });

  it('Conversation tab (negative control): no diff, although it has diff-looking review threads', () => {
    const doc = load('OctoLinker__pull-comments_testrepo-1.html');
    const url = pageUrlFromDocument(doc)!;
    expect(url).toBe('https://github.com/OctoLinker/testrepo/pull/1');
    const out = extractPullRequestDiffSync(doc, url);
    expect(out).toMatchObject({ ok: false, reason: REASONS.noDiff });
  });

  it('the commits list tab has no diff either', () => {
    const doc = load('OctoLinker__pull-diff_testrepo-1.html');
    expect(extractPullRequestDiffSync(doc, 'https://github.com/OctoLinker/testrepo/pull/1/commits')).toMatchObject({ ok: false, reason: REASONS.noDiff });
  });
});

describe('constructed pages', () => {
  const cases = readdirSync(CONSTRUCTED)
    .filter((n) => n.endsWith('.html'))
    .map((n) => n.replace(/\.html$/, ''));

  it('exist', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases)('%s reproduces its expected diff', (name) => {
    const doc = load(`${name}.html`, CONSTRUCTED);
    const out = mustDiff(extractPullRequestDiffSync(doc, pageUrlFromDocument(doc)!));
    expect(serializeUnifiedDiff(out.diff.files)).toBe(text(`${name}.expected.diff`, CONSTRUCTED));
  });

  it.each(['unified', 'split'])('classic statuses (%s): renames, binary, deleted, added, mode, Load diff, progressive loader', (view) => {
    const doc = load(`classic-statuses_${view}.html`, CONSTRUCTED);
    const out = mustDiff(extractPullRequestDiffSync(doc, pageUrlFromDocument(doc)!));
    expect(out.diff.files.map((f) => [f.oldPath ?? null, f.path, f.status])).toEqual([
      [null, 'src/app.ts', 'modified'],
      ['docs/old name.md', 'docs/new name.md', 'renamed'],
      ['lib/moved.js', 'lib/moved-too.js', 'renamed'],
      [null, 'assets/logo.png', 'binary'],
      [null, 'old/removed.txt', 'deleted'],
      [null, 'scripts/run.sh', 'mode-only'],
      [null, 'data/huge.json', 'not-loaded'],
      [null, 'new/file.txt', 'added'],
    ]);
    expect(out.diff.missing.map((m) => m.path)).toEqual(['data/huge.json', null]);
    expect(out.diff.ref).toEqual({ owner: 'octo', repo: 'constructed', number: 7, baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40) });
    const app = out.diff.files[0]!;
    expect(app.hunks.at(-1)!.lines.at(-1)).toMatchObject({ text: 'y', noNewlineAtEnd: true });
  });

  it.each(['unified', 'split'])('React statuses (%s): page data supplies added/renamed and files not rendered', (view) => {
    const doc = load(`react-statuses_${view}.html`, CONSTRUCTED);
    const out = mustDiff(extractPullRequestDiffSync(doc, pageUrlFromDocument(doc)!));
    expect(out.diff.files.map((f) => [f.oldPath ?? null, f.path, f.status, f.source])).toEqual([
      [null, 'src/app.ts', 'modified', 'react-dom'],
      [null, 'src/added.ts', 'added', 'react-dom'],
      ['docs/old name.md', 'docs/new name.md', 'renamed', 'react-dom'],
      ['lib/moved.js', 'lib/moved-too.js', 'renamed', 'react-dom'],
      [null, 'assets/logo.png', 'binary', 'react-dom'],
      [null, 'scripts/run.sh', 'mode-only', 'react-dom'],
      [null, 'data/huge.json', 'not-loaded', 'react-dom'],
      [null, 'later/in-data.ts', 'modified', 'embedded-data'],
      [null, 'later/not-loaded.ts', 'not-loaded', 'embedded-data'],
    ]);
    expect(out.diff.files.find((f) => f.path === 'data/huge.json')).toMatchObject({ additions: 4000, deletions: 12 });
    expect(out.diff.missing.map((m) => m.path)).toEqual(['data/huge.json', 'later/not-loaded.ts']);
    expect(out.diff.ref).toMatchObject({ number: 7, baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40) });
  });

  it('content survives the page: non-ASCII, bidi marks in code, tabs, long lines, header look-alikes, HTML', () => {
    for (const name of ['classic-content_unified', 'classic-content_split', 'react-content_unified', 'react-content_split']) {
      const doc = load(`${name}.html`, CONSTRUCTED);
      const out = mustDiff(extractPullRequestDiffSync(doc, pageUrlFromDocument(doc)!));
      const lines = out.diff.files.flatMap((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.text)));
      expect(out.diff.files[0]!.path, name).toBe('i18n/grüße 世界.txt');
      expect(lines, name).toContain('עברית \u200fRTL mark\u200e kept in content');
      expect(lines, name).toContain('\tint x;\t// tab inside');
      expect(lines, name).toContain('+++ b/not-a-header');
      expect(lines, name).toContain('<script>alert("&amp;")</script> & < >');
      expect(lines.some((l) => l.length > 6000), name).toBe(true);
      expect(lines.some((l) => l.includes('\r')), name).toBe(false);
    }
  });
});

describe('placeholders are read from the file body, not the path', () => {
  const path = 'docs/Load diff - Some generated files are not rendered by default.md';
  it('classic', () => {
    const { document } = parseHTML(
      `<div id="files"><div class="file js-file" id="diff-1"><div class="file-header" data-path="${path}"><a title="${path}">${path}</a></div><div class="js-file-content"><div class="data empty">Binary file not shown.</div></div></div></div>`,
    );
    const out = mustDiff(extractPullRequestDiffSync(document, 'https://github.com/o/r/pull/1/files'));
    expect(out.diff.files.map((f) => [f.path, f.status])).toEqual([[path, 'binary']]);
    expect(out.diff.missing).toEqual([]);
  });

  it('React', () => {
    const { document } = parseHTML(
      `<div role="region"><div class="Diff-module__diffHeaderWrapper__x"><div class="DiffFileHeader-module__diff-file-header__y"><h3 class="DiffFileHeader-module__file-name__z"><a href="#diff-1"><code>\u200e${path}\u200e</code></a></h3></div></div><div>Binary file not shown.</div></div>`,
    );
    const out = mustDiff(extractPullRequestDiffSync(document, 'https://github.com/o/r/pull/1/changes'));
    expect(out.diff.files.map((f) => [f.path, f.status])).toEqual([[path, 'binary']]);
  });
});

describe('facade', () => {
  it('says which pages are not PR or commit pages', () => {
    const doc = load('OctoLinker__pull-diff_testrepo-1.html');
    expect(extractPullRequestDiffSync(doc, 'https://github.com/OctoLinker/testrepo/issues/1')).toMatchObject({ ok: false, reason: REASONS.unknownPage, page: null });
  });

  it('unknown markup on a diff URL: "could not read the diff on this page"', () => {
    const { document } = parseHTML('<!DOCTYPE html><html><body><div class="something-new"><table><tr><td>+x</td></tr></table></div></body></html>');
    expect(extractPullRequestDiffSync(document, 'https://github.com/o/r/pull/1/files')).toMatchObject({ ok: false, reason: REASONS.unreadable });
  });

  it('never throws, whatever it is handed', async () => {
    const broken = { querySelector: () => { throw new Error('boom'); }, querySelectorAll: () => { throw new Error('boom'); } } as unknown as ParentNode;
    expect(extractPullRequestDiffSync(broken, 'https://github.com/o/r/pull/1/files')).toMatchObject({ ok: false, reason: REASONS.unreadable });
    await expect(extractPullRequestDiff(broken, 'https://github.com/o/r/pull/1/files')).resolves.toMatchObject({ ok: false });
    const { document } = parseHTML('<html><body><script data-target="react-app.embeddedData">{not json</script><div role="region"><h3 class="DiffFileHeader-module__file-name__x"><a href="#diff-1"><code></code></a></h3></div></body></html>');
    expect(() => extractPullRequestDiffSync(document, 'https://github.com/o/r/pull/1/changes')).not.toThrow();
    expect(extractPullRequestDiffSync(document, 'not a url')).toMatchObject({ ok: false });
  });

  it('the sliced (async) extraction gives the same result as the sync one, in several slices', async () => {
    const doc = load('react-content_unified.html', CONSTRUCTED);
    const url = pageUrlFromDocument(doc)!;
    const stats = { longestSliceMs: 0, slices: 0 };
    const sliced = await extractPullRequestDiff(doc, url, { sliceBudgetMs: 0, stats });
    expect(sliced).toEqual(extractPullRequestDiffSync(doc, url));
    expect(stats.slices).toBeGreaterThan(1);
  });
});
