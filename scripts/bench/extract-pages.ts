/**
 * Builds GitHub diff pages of any size and content from real markup.
 *
 * Row and file templates are cloned from the saved real pages in e2e/fixtures/github (classic
 * unified: the PR page; classic split: the split commit page; React: the React commit page's
 * file region). Only text, line numbers, ids and paths are replaced; the cell structure, class
 * names and attributes are GitHub's. Markup no fixture shows (React split rows, placeholders,
 * the embedded data of a PR page, no-newline markers) is written from the notes in
 * the project's notes on GitHub's diff markup and marked "constructed" below.
 *
 * Used by the constructed test pages (extract-constructed.ts) and the benchmark (extract.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import type { DiffFile, DiffLine } from '../../src/model/diff';

const FIXTURES = new URL('../../e2e/fixtures/github/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/** What one file looks like on the page besides its lines. */
export interface PageFile extends DiffFile {
  /** Shown without a table. */
  placeholder?: 'load-diff' | 'binary' | 'renamed' | 'mode' | 'generated';
  /** React pages: listed only in the embedded data, not rendered. */
  onlyInData?: boolean;
  /** React pages: the embedded data also carries this file's lines. */
  linesInData?: boolean;
  /** Classic pages: put a review thread (cloned) after this file's first changed line. */
  withReviewThread?: boolean;
}

export interface PageOptions {
  url: string;
  split?: boolean;
  /** Wrap words in syntax-highlighting spans, as GitHub does (benchmark realism). */
  highlight?: boolean;
  /** Classic: end the list with a progressive loader (files not loaded yet). */
  progressiveLoader?: boolean;
  /** React: what the embedded data says (PR route or commit route). */
  data?: { kind: 'pr' | 'commit'; baseSha: string; headSha: string; totalFiles?: number };
}

const digest = (path: string) => createHash('sha256').update(path).digest('hex');

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => esc(s).replace(/"/g, '&quot;');

function codeHtml(text: string, highlight: boolean): string {
  if (text === '') return '<br>';
  if (!highlight) return esc(text);
  // Alternate plain and highlighted words, like GitHub's token spans.
  return text
    .split(/(\s+)/)
    .map((part, i) => (i % 4 === 0 && part.trim() ? `<span class="pl-k">${esc(part)}</span>` : i % 4 === 2 && part.trim() ? `<span class="pl-s1">${esc(part)}</span>` : esc(part)))
    .join('');
}

function fill(template: string, values: Record<string, string>): string {
  // Unknown tokens stay for a later fill (e.g. {{TABLE}} after the file's own values).
  return template.replace(/\{\{(\w+)\}\}/g, (whole, k: string) => values[k] ?? whole);
}

// ---- templates from the real pages ----------------------------------------------------------------

interface ClassicTemplates {
  file: string; // {{ID}} {{PATH}} {{TITLE}} {{DELETED}} {{BODY}}
  unified: { hunk: string; context: string; addition: string; deletion: string };
  split: { hunk: string; context: string; pair: string; addOnly: string; delOnly: string };
  reviewThread: string;
}

let classicCache: ClassicTemplates | null = null;

function rowTemplate(row: Element, side: 'unified' | 'split'): string {
  const r = row.cloneNode(true) as Element;
  const nums = [...r.querySelectorAll('td.blob-num')];
  if (side === 'unified') {
    const [o, n] = nums;
    if (o?.hasAttribute('data-line-number')) o.setAttribute('data-line-number', '{{O}}');
    if (n?.hasAttribute('data-line-number')) n.setAttribute('data-line-number', '{{N}}');
    if (o?.id) o.id = '{{ID}}L{{O}}';
    if (n?.id) n.id = '{{ID}}R{{N}}';
  } else {
    const [l, rr] = nums;
    if (l?.hasAttribute('data-line-number')) l.setAttribute('data-line-number', '{{O}}');
    if (rr?.hasAttribute('data-line-number')) rr.setAttribute('data-line-number', '{{N}}');
    if (l?.id) l.id = '{{ID}}L{{O}}';
    if (rr?.id) rr.id = '{{ID}}R{{N}}';
  }
  r.removeAttribute('data-hunk');
  let html = r.outerHTML;
  // Text goes into each code cell's inner span; split rows have two ({{LT}} left, {{RT}} right).
  const inners = [...r.querySelectorAll('.blob-code-inner')];
  for (const inner of inners) {
    const left = side === 'split' && inner.closest('td')?.getAttribute('data-split-side') === 'left';
    const [text, noEol] = side === 'unified' ? ['{{T}}', '{{NOEOL}}'] : left ? ['{{LT}}', '{{LNOEOL}}'] : ['{{RT}}', '{{RNOEOL}}'];
    html = html.replace(inner.outerHTML, withInner(inner, text) + noEol);
  }
  return html.replace(/diff-[0-9a-f]{64}/g, '{{ID}}');
}

function withInner(el: Element, token: string): string {
  const c = el.cloneNode(false) as Element;
  c.innerHTML = token;
  return c.outerHTML;
}

function classicTemplates(): ClassicTemplates {
  if (classicCache) return classicCache;
  const { document: pr } = parseHTML(fixture('OctoLinker__pull-diff_testrepo-1.html'));
  const fileEl = pr.querySelector('.file.js-file') as Element;
  const table = fileEl.querySelector('table.diff-table') as Element;
  const rows = [...table.children].filter((r) => r.tagName === 'TR');
  const find = (pred: (r: Element) => boolean) => rows.find(pred) as Element;
  const hunk = find((r) => !!r.querySelector('.blob-code-hunk'));
  const context = find((r) => !!r.querySelector('td.blob-code-context'));
  const addition = find((r) => !!r.querySelector('td.blob-code-addition'));
  const deletion = find((r) => !!r.querySelector('td.blob-code-deletion'));
  const thread = find((r) => r.classList.contains('inline-comments'));

  const hunkHtml = (hunk.cloneNode(true) as Element).outerHTML.replace(/@@ -1,4 \+1,4 @@/, '{{T}}').replace(/diff-[0-9a-f]{64}/g, '{{ID}}');
  const unified = {
    hunk: hunkHtml,
    context: rowTemplate(context, 'unified'),
    addition: rowTemplate(addition, 'unified'),
    deletion: rowTemplate(deletion, 'unified'),
  };

  const f = fileEl.cloneNode(true) as Element;
  const t = f.querySelector('table.diff-table') as Element;
  t.innerHTML = '{{ROWS}}';
  const header = f.querySelector('.file-header') as Element;
  header.setAttribute('data-path', '{{PATH}}');
  header.setAttribute('data-file-deleted', '{{DELETED}}');
  f.setAttribute('data-tagsearch-path', '{{PATH}}');
  f.setAttribute('data-file-deleted', '{{DELETED}}');
  const link = header.querySelector('a.Link--primary') as Element;
  link.setAttribute('title', '{{TITLE}}');
  link.textContent = '{{TITLE}}';
  header.querySelector('clipboard-copy')?.setAttribute('value', '{{PATH}}');
  const content = f.querySelector('.js-file-content') as Element;
  const blob = content.innerHTML;
  content.innerHTML = '{{BODY}}';
  let file = f.outerHTML.replace(/diff-[0-9a-f]{64}/g, '{{ID}}').replace(/sourcereader\/popular-cat-names\.js/g, '{{PATH}}');
  file = file.replace('{{BODY}}', '{{BODY}}');
  const body = blob.replace(/diff-[0-9a-f]{64}/g, '{{ID}}');

  const { document: sp } = parseHTML(fixture('OctoLinker__commit-b0775a9_split.html'));
  const sTable = sp.querySelector('table.diff-table.file-diff-split') as Element;
  const sRows = [...sTable.querySelectorAll('tr')];
  const sFind = (pred: (r: Element) => boolean) => sRows.find(pred) as Element;
  const sHunk = sFind((r) => !!r.querySelector('.blob-code-hunk'));
  const sContext = sFind((r) => r.querySelectorAll('td.blob-code-context').length === 2);
  const sPair = sFind((r) => !!r.querySelector('td.blob-code-deletion') && !!r.querySelector('td.blob-code-addition'));
  const sAddOnly = sFind((r) => !!r.querySelector('td.blob-code-empty') && !!r.querySelector('td.blob-code-addition'));
  // Deletion-only rows: the pair row's left half and the add-only row's empty left half on the right (constructed).
  const pairCells = [...sPair.children];
  const emptyCells = [...sAddOnly.children].slice(0, 2);
  const delOnlyRow = sp.createElement('tr');
  for (const c of [pairCells[0], pairCells[1], ...emptyCells]) if (c) delOnlyRow.appendChild(c.cloneNode(true));
  const split = {
    hunk: (sHunk.cloneNode(true) as Element).outerHTML.replace(/@@ -1,5 \+1,6 @@/, '{{T}}').replace(/diff-[0-9a-f]{64}/g, '{{ID}}'),
    context: rowTemplate(sContext, 'split'),
    pair: rowTemplate(sPair, 'split'),
    addOnly: rowTemplate(sAddOnly, 'split'),
    delOnly: rowTemplate(delOnlyRow, 'split'),
  };
  // Split context rows carry the text twice; both sides are the same line.
  split.context = split.context.replace('{{LT}}', '{{RT}}');

  classicCache = { file: file.replace('{{BODY}}', body.replace(/<table[\s\S]*<\/table>/, '{{TABLE}}')), unified, split, reviewThread: thread.outerHTML };
  return classicCache;
}

// Constructed (not in any fixture): markup from the notes.
const CLASSIC_NO_EOL = '<span class="no-nl-marker"><svg aria-label="No newline at end of file" role="img" height="16" viewBox="0 0 16 16" width="16" class="octicon octicon-no-entry"></svg></span>';
const CLASSIC_EXPAND_DOWN =
  '<tr class="js-expandable-line js-skip-tagsearch" data-position="{{P}}"><td class="blob-num blob-num-expandable" colspan="2"><a href="#{{ID}}" class="js-expand directional-expander single-expander" aria-label="Expand Down"></a></td><td class="blob-code blob-code-inner blob-code-hunk"></td></tr>';
const CLASSIC_PLACEHOLDER: Record<NonNullable<PageFile['placeholder']>, string> = {
  'load-diff':
    '<div class="js-diff-load-container"><include-fragment class="js-diff-entry-loader" data-fragment-url="/o/r/diffs/0?entry=1"><div class="text-center p-4"><button type="button" class="btn-link load-diff-button js-button-text">Load diff</button><p class="color-fg-muted">Large diffs are not rendered by default.</p></div></include-fragment></div>',
  binary: '<div class="data empty">Binary file not shown.</div>',
  renamed: '<div class="data empty">File renamed without changes.</div>',
  mode: '<div class="data empty">File mode changed.</div>',
  generated: '<div class="data empty"><p>Some generated files are not rendered by default.</p><button type="button" class="btn-link load-diff-button">Load diff</button></div>',
};

/** Unified order -> split rows: a change block's deletions and additions side by side. */
function splitBlocks(lines: DiffLine[]): Array<{ left?: DiffLine; right?: DiffLine; context?: DiffLine }> {
  const rows: Array<{ left?: DiffLine; right?: DiffLine; context?: DiffLine }> = [];
  let dels: DiffLine[] = [];
  let adds: DiffLine[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) {
      const row: { left?: DiffLine; right?: DiffLine } = {};
      if (dels[i]) row.left = dels[i];
      if (adds[i]) row.right = adds[i];
      rows.push(row);
    }
    dels = [];
    adds = [];
  };
  for (const l of lines) {
    if (l.kind === 'context') {
      flush();
      rows.push({ context: l });
    } else if (l.kind === 'deletion') {
      if (adds.length > 0) flush();
      dels.push(l);
    } else adds.push(l);
  }
  flush();
  return rows;
}

function hunkHeader(h: DiffFile['hunks'][number]): string {
  const r = (s: number, c: number) => (c === 1 ? `${s}` : `${s},${c}`);
  const tail = h.header.replace(/^@@ [^@]* @@/, '');
  return `@@ -${r(h.oldStart, h.oldLines)} +${r(h.newStart, h.newLines)} @@${tail}`;
}

function classicFile(f: PageFile, opts: PageOptions): string {
  const t = classicTemplates();
  const id = 'diff-' + digest(f.path);
  const hl = !!opts.highlight;
  const noEol = (l: DiffLine | undefined) => (l?.noNewlineAtEnd ? CLASSIC_NO_EOL : '');
  const rows: string[] = [];
  let threadPlaced = !f.withReviewThread;
  for (const h of f.hunks) {
    rows.push(fill(opts.split ? t.split.hunk : t.unified.hunk, { T: esc(hunkHeader(h)), ID: id }));
    if (opts.split) {
      for (const r of splitBlocks(h.lines)) {
        if (r.context) {
          const l = r.context;
          rows.push(fill(t.split.context, { ID: id, O: String(l.oldNumber), N: String(l.newNumber), RT: codeHtml(l.text, hl), LNOEOL: noEol(l), RNOEOL: noEol(l) }));
        } else {
          const tpl = r.left && r.right ? t.split.pair : r.left ? t.split.delOnly : t.split.addOnly;
          rows.push(
            fill(tpl, {
              ID: id,
              O: String(r.left?.oldNumber ?? ''),
              N: String(r.right?.newNumber ?? ''),
              LT: r.left ? codeHtml(r.left.text, hl) : '',
              RT: r.right ? codeHtml(r.right.text, hl) : '',
              LNOEOL: noEol(r.left),
              RNOEOL: noEol(r.right),
              NOEOL: noEol(r.right ?? r.left),
            }),
          );
        }
      }
    } else {
      for (const l of h.lines) {
        const tpl = l.kind === 'context' ? t.unified.context : l.kind === 'addition' ? t.unified.addition : t.unified.deletion;
        rows.push(fill(tpl, { ID: id, O: String(l.oldNumber ?? ''), N: String(l.newNumber ?? ''), T: codeHtml(l.text, hl), NOEOL: noEol(l) }));
        if (!threadPlaced && l.kind !== 'context') {
          rows.push(t.reviewThread);
          threadPlaced = true;
        }
      }
    }
  }
  if (f.hunks.length > 0) rows.push(fill(CLASSIC_EXPAND_DOWN, { ID: id, P: String(rows.length) }));
  const splitClass = opts.split ? ' file-diff-split js-file-diff-split' : '';
  const table = f.placeholder
    ? CLASSIC_PLACEHOLDER[f.placeholder]
    : `<table class="diff-table js-diff-table tab-size${splitClass}" data-tab-size="8" data-diff-anchor="${id}" data-paste-markdown-skip>${rows.join('\n')}</table>`;
  const title = f.oldPath ? `${f.oldPath} → ${f.path}` : f.path;
  return fill(t.file, { ID: id, PATH: escAttr(f.path), TITLE: escAttr(title), DELETED: f.status === 'deleted' ? 'true' : 'false' }).replace('{{TABLE}}', () => table).replace('{{ROWS}}', '');
}

export function classicPage(files: PageFile[], opts: PageOptions): string {
  const body = files.map((f) => classicFile(f, opts)).join('\n');
  const loader = opts.progressiveLoader
    ? '<include-fragment src="/o/r/diffs?bytes=0&amp;lines=0&amp;start_entry=' + files.length + '" class="diff-progressive-loader js-diff-progressive-loader mb-4 d-flex flex-items-center flex-justify-center" data-targets="diff-file-filter.progressiveLoaders"></include-fragment>'
    : '';
  // The PR toolbar's file menu carries the comparison SHAs (as on the saved PR page).
  const toolbar = opts.data
    ? `<div class="pr-toolbar js-sticky js-position-sticky"><details-menu class="select-menu-modal position-absolute" src="/o/r/pull/1/show_toc?base_sha=${opts.data.baseSha}&amp;sha1=${opts.data.baseSha}&amp;sha2=${opts.data.headSha}" preload></details-menu></div>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>constructed classic diff page</title>
<meta property="og:url" content="${escAttr(opts.url)}" /></head>
<body>${toolbar}<div id="files" class="diff-view js-diff-container"><div class="js-diff-progressive-container">
${body}
</div>${loader}</div></body></html>
`;
}

// ---- React ---------------------------------------------------------------------------------------

interface ReactTemplates {
  region: string; // {{PATH}} {{ID}} {{TABLE}}
  table: string; // {{ROWS}}
  hunk: string;
  context: string;
  addition: string;
  deletion: string;
}

let reactCache: ReactTemplates | null = null;

function reactTemplates(): ReactTemplates {
  if (reactCache) return reactCache;
  const { document } = parseHTML(fixture('TingGeorge__commit-2fa8000_react-region.html'));
  const region = document.querySelector('[role="region"]') as Element;
  const table = region.querySelector('table') as Element;
  const rows = [...table.querySelectorAll('tr.diff-line-row')];
  const hunk = rows.find((r) => r.querySelector('.diff-hunk-cell')) as Element;
  const context = rows.find((r) => r.querySelector('code.diff-text') && !r.querySelector('code.addition')) as Element;
  const addition = rows.find((r) => r.querySelector('code.addition')) as Element;

  const prep = (row: Element, kind: 'context' | 'addition' | 'deletion') => {
    const r = row.cloneNode(true) as Element;
    const nums = [...r.querySelectorAll('td.diff-line-number')];
    const [o, n] = nums;
    if (o) o.innerHTML = kind === 'addition' ? '<code></code>' : '<code>{{O}}</code>';
    if (n) n.innerHTML = kind === 'deletion' ? '<code></code>' : '<code>{{N}}</code>';
    const code = r.querySelector('code.diff-text') as Element;
    if (kind === 'deletion') {
      code.classList.remove('addition');
      code.classList.add('deletion');
    }
    const inner = code.querySelector('.diff-text-inner') as Element;
    inner.innerHTML = '{{T}}';
    const marker = code.querySelector('.diff-text-marker');
    if (marker) marker.textContent = kind === 'deletion' ? '-' : '+';
    code.insertAdjacentHTML('afterend', '{{NOEOL}}');
    return r.outerHTML.replace(/diff-[0-9a-f]{64}/g, '{{ID}}').replace(/R\d+"/g, 'R{{N}}"');
  };
  const hunkRow = (hunk.cloneNode(true) as Element).outerHTML.replace('@@ -1,2 +1,7 @@', '{{T}}').replace(/diff-[0-9a-f]{64}/g, '{{ID}}');
  const t = table.cloneNode(true) as Element;
  (t.querySelector('tbody') as Element).innerHTML = '{{ROWS}}';
  t.setAttribute('aria-label', 'Diff for: {{PATH}}');
  const r = region.cloneNode(true) as Element;
  const code = r.querySelector('h3 a code') as Element;
  code.innerHTML = '\u200e<!-- -->{{PATH}}<!-- -->\u200e';
  const tableHolder = r.querySelector('table')?.parentElement as Element;
  tableHolder.innerHTML = '{{TABLE}}';
  reactCache = {
    region: r.outerHTML.replace(/diff-[0-9a-f]{64}/g, '{{ID}}'),
    table: t.outerHTML.replace(/diff-[0-9a-f]{64}/g, '{{ID}}'),
    hunk: hunkRow,
    context: prep(context, 'context'),
    addition: prep(addition, 'addition'),
    deletion: prep(addition, 'deletion'),
  };
  return reactCache;
}

// Constructed: React split rows (four cells: old number, old text, new number, new text), placeholders.
const REACT_NUM = '<td class="focusable-grid-cell diff-line-number position-relative" data-diff-side="{{SIDE}}" role="gridcell" tabindex="-1" valign="top"><code>{{NUM}}</code></td>';
const REACT_TEXT =
  '<td class="focusable-grid-cell diff-text-cell {{SIDE}}-side-diff-cell" data-diff-side="{{SIDE}}" role="gridcell" tabindex="-1" valign="top"><code class="diff-text syntax-highlighted-line{{CLS}}">{{MARK}}<div class="diff-text-inner">{{T}}</div></code>{{NOEOL}}</td>';
const REACT_EMPTY = '<td class="focusable-grid-cell diff-line-number empty-diff-line" data-diff-side="{{SIDE}}" role="gridcell"></td><td class="focusable-grid-cell diff-text-cell empty-diff-line" data-diff-side="{{SIDE}}" role="gridcell"><code class="diff-text empty-diff-line"></code></td>';
const REACT_NO_EOL = '<span class="sr-only" aria-label="No newline at end of file"></span>';
const REACT_PLACEHOLDER: Record<NonNullable<PageFile['placeholder']>, string> = {
  'load-diff': '<div class="d-flex flex-column flex-items-center p-3"><p>Large diffs are not rendered by default.</p><button type="button" class="prc-Button-ButtonBase-9n-Xk">Load Diff</button></div>',
  binary: '<div class="p-3 text-center">Binary file not shown.</div>',
  renamed: '<div class="p-3 text-center">File renamed without changes.</div>',
  mode: '<div class="p-3 text-center">File mode changed.</div>',
  generated: '<div class="p-3 text-center"><p>Some generated files are not rendered by default.</p><button type="button">Load Diff</button></div>',
};

function reactSide(side: 'left' | 'right', l: DiffLine | undefined, hl: boolean, num: number | null): string {
  if (!l) return fill(REACT_EMPTY, { SIDE: side });
  const cls = l.kind === 'addition' ? ' addition' : l.kind === 'deletion' ? ' deletion' : '';
  const mark = l.kind === 'context' ? '' : `<span class="diff-text-marker">${l.kind === 'addition' ? '+' : '-'}</span>`;
  return (
    fill(REACT_NUM, { SIDE: side, NUM: String(num ?? '') }) +
    fill(REACT_TEXT, { SIDE: side, CLS: cls, MARK: mark, T: codeHtml(l.text, hl), NOEOL: l.noNewlineAtEnd ? REACT_NO_EOL : '' })
  );
}

function reactFile(f: PageFile, opts: PageOptions): string {
  const t = reactTemplates();
  const id = 'diff-' + digest(f.path);
  const hl = !!opts.highlight;
  const rows: string[] = [];
  for (const h of f.hunks) {
    rows.push(fill(t.hunk, { T: esc(hunkHeader(h)), ID: id }));
    if (opts.split) {
      for (const r of splitBlocks(h.lines)) {
        const cells = r.context
          ? reactSide('left', r.context, hl, r.context.oldNumber) + reactSide('right', r.context, hl, r.context.newNumber)
          : reactSide('left', r.left, hl, r.left?.oldNumber ?? null) + reactSide('right', r.right, hl, r.right?.newNumber ?? null);
        rows.push(`<tr class="diff-line-row" data-row-selected="false">${cells}</tr>`);
      }
    } else {
      for (const l of h.lines) {
        const tpl = l.kind === 'context' ? t.context : l.kind === 'addition' ? t.addition : t.deletion;
        rows.push(fill(tpl, { ID: id, O: String(l.oldNumber ?? ''), N: String(l.newNumber ?? ''), T: codeHtml(l.text, hl), NOEOL: l.noNewlineAtEnd ? REACT_NO_EOL : '' }));
      }
    }
  }
  if (f.hunks.length > 0) {
    // GitHub's trailing "expand down" row: a hunk cell with no text.
    rows.push(fill(t.hunk, { T: '', ID: id }));
  }
  let table = fill(t.table, { ID: id, PATH: escAttr(f.path) }).replace('{{ROWS}}', () => rows.join(''));
  if (opts.split) table = table.replace(/<colgroup>[\s\S]*?<\/colgroup>/, '<colgroup><col width="40"/><col width="50%"/><col width="40"/><col width="50%"/></colgroup>');
  const body = f.placeholder ? REACT_PLACEHOLDER[f.placeholder] : table;
  const shown = f.oldPath ? `${esc(f.oldPath)}<!-- --> → <!-- -->${esc(f.path)}` : esc(f.path);
  return fill(t.region, { ID: id, PATH: shown }).replace('{{TABLE}}', () => body);
}

const DATA_STATUS: Record<string, string> = { added: 'ADDED', deleted: 'REMOVED', renamed: 'RENAMED', modified: 'MODIFIED', 'mode-only': 'MODIFIED', binary: 'MODIFIED' };

function dataLines(f: DiffFile): unknown[] {
  const out: unknown[] = [];
  for (const h of f.hunks) {
    out.push({ type: 'HUNK', text: hunkHeader(h), left: 0, right: 0, displayNoNewLineWarning: false });
    for (const l of h.lines) {
      const mark = l.kind === 'addition' ? '+' : l.kind === 'deletion' ? '-' : ' ';
      out.push({
        type: l.kind === 'addition' ? 'ADDITION' : l.kind === 'deletion' ? 'DELETION' : 'CONTEXT',
        text: mark + l.text,
        left: l.oldNumber ?? 0,
        right: l.newNumber ?? 0,
        displayNoNewLineWarning: !!l.noNewlineAtEnd,
      });
    }
  }
  return out;
}

/** The embedded data: commit pages as in the saved React commit page, PR pages as the notes describe (constructed). */
function embeddedJson(files: PageFile[], opts: PageOptions): string {
  const d = opts.data;
  if (!d) return '';
  const entries = files.map((f) => {
    const e: Record<string, unknown> = {
      path: f.path,
      pathDigest: digest(f.path),
      status: DATA_STATUS[f.status] ?? 'MODIFIED',
      linesAdded: f.additions ?? f.hunks.reduce((n, h) => n + h.lines.filter((l) => l.kind === 'addition').length, 0),
      linesDeleted: f.deletions ?? f.hunks.reduce((n, h) => n + h.lines.filter((l) => l.kind === 'deletion').length, 0),
      isBinary: f.status === 'binary',
      isTooBig: false,
    };
    if (f.linesInData) e.diffLines = dataLines(f);
    if (f.oldPath) e.oldTreeEntry = { path: f.oldPath };
    return e;
  });
  const route =
    d.kind === 'commit'
      ? {
          commitRoute: {
            commit: { oid: d.headSha, parents: [d.baseSha] },
            diffEntryData: entries,
            moreDiffsToLoad: entries.some((_, i) => files[i]?.onlyInData),
            headerInfo: { filesChanged: d.totalFiles ?? entries.length },
          },
        }
      : {
          pullRequestsChangesRoute: {
            diffSummaries: entries.map(({ diffLines: _l, oldTreeEntry: _o, ...s }) => s),
            diffContents: entries.filter((e) => e.diffLines || e.oldTreeEntry),
            comparison: { fullDiff: { baseOid: d.baseSha, headOid: d.headSha } },
          },
        };
  // `<` escaped as JSON allows, so the script text cannot close the tag.
  const json = JSON.stringify({ payload: route }).replace(/</g, '\\u003c');
  return `<script type="application/json" data-target="react-app.embeddedData">${json}</script>`;
}

export function reactPage(files: PageFile[], opts: PageOptions): string {
  const regions = files
    .filter((f) => !f.onlyInData)
    .map((f) => reactFile(f, opts))
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>constructed React diff page</title>
<meta property="og:url" content="${escAttr(opts.url)}" /></head>
<body><react-app app-name="react-code-view"><div id="diff-content-parent"><div class="pt-0">${regions}</div></div>${embeddedJson(files, opts)}</react-app></body></html>
`;
}

// ---- synthetic diffs (benchmark) -------------------------------------------------------------------

/** A deterministic diff of about `lines` lines, in files of ~500 lines with hunks of ~50. */
export function syntheticDiff(lines: number): DiffFile[] {
  const files: DiffFile[] = [];
  let made = 0;
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const words = ['const', 'value', 'return', 'await', 'if', '(x)', '{', '}', 'result', 'items.map', '=>', 'await fetch(url)', '// note'];
  const text = () => {
    const n = 2 + Math.floor(rnd() * 8);
    let s = '  '.repeat(Math.floor(rnd() * 4));
    for (let i = 0; i < n; i++) s += (i ? ' ' : '') + words[Math.floor(rnd() * words.length)];
    return s;
  };
  for (let fi = 0; made < lines; fi++) {
    const file: DiffFile = { path: `src/module-${fi}/file-${fi}.ts`, status: 'modified', hunks: [], source: 'diff-text' };
    let o = 1;
    let n = 1;
    for (let hi = 0; hi < 10 && made < lines; hi++) {
      o += 20;
      n += 20;
      const hunk = { header: '', oldStart: o, oldLines: 0, newStart: n, newLines: 0, lines: [] as DiffLine[] };
      // Context runs and change blocks (deletions, then additions, as git writes them).
      while (hunk.lines.length < 50 && made < lines) {
        const r = rnd();
        const last = hunk.lines[hunk.lines.length - 1];
        if (r < 0.6 || !last || last.kind !== 'context') {
          hunk.lines.push({ kind: 'context', oldNumber: o++, newNumber: n++, text: text() });
          made++;
          continue;
        }
        const dels = Math.floor(rnd() * 4);
        const adds = Math.floor(rnd() * 4) + (dels === 0 ? 1 : 0);
        for (let i = 0; i < dels && made < lines; i++, made++) hunk.lines.push({ kind: 'deletion', oldNumber: o++, newNumber: null, text: text() });
        for (let i = 0; i < adds && made < lines; i++, made++) hunk.lines.push({ kind: 'addition', oldNumber: null, newNumber: n++, text: text() });
      }
      hunk.oldLines = hunk.lines.filter((l) => l.kind !== 'addition').length;
      hunk.newLines = hunk.lines.filter((l) => l.kind !== 'deletion').length;
      file.hunks.push(hunk);
    }
    files.push(file);
  }
  return files;
}
