/**
 * Reads GitHub's React diff view (`/pull/N/changes`, React commit pages), unified or split.
 * Every row, hunk headers included, is its own `tr`; the text is `textContent` (not innerText,
 * which `content-visibility:auto` empties off screen).
 */
import type { DiffFile, DiffLine, FileStatus, LineKind, MissingPart } from '../model/diff';
import {
  HunkBuilder,
  REASONS,
  ROWS_PER_STEP,
  childWithClass,
  cleanPath,
  countChanges,
  noNewlineAfter,
  numberOrNull,
  shallowFind,
  statusFromHunks,
  tableRows,
  textIncludesAny,
  type LayoutResult,
  type Work,
} from './extract-shared';
import { anyOf, noNewlineLabel, react } from './selectors';

export interface ReactFile extends DiffFile {
  /** `diff-<sha256(path)>` digest from the region id or table anchor, when shown. */
  digest?: string;
}

export function* readReact(root: ParentNode): Work<LayoutResult & { files: ReactFile[] }> {
  const files: ReactFile[] = [];
  const missing: MissingPart[] = [];
  const headerSel = anyOf(react.fileHeader);
  const tableSel = anyOf(react.diffTable);
  let fileCount = 0;
  const seen = new Set<Element>();
  const list = root.querySelector(react.listContainer) ?? root;
  let regions = shallowFind(list, classify, 12);
  // Markup deeper than expected: fall back to a full query.
  if (regions.length === 0) regions = [...list.querySelectorAll(anyOf(react.fileRegion))];
  for (const region of regions) {
    if (seen.has(region)) continue;
    seen.add(region);
    const header = region.querySelector(headerSel);
    const table = region.querySelector(tableSel);
    if (!table && !header) continue;
    // A region inside another file region (e.g. a comment thread) is not a file.
    if (region.parentElement?.closest('[role="region"]')?.querySelector(headerSel)) continue;
    fileCount++;
    const file = yield* readRegion(region, header, table, missing);
    if (file) files.push(file);
    yield;
  }
  return { files, missing, fileCount };
}

function classify(el: Element): 'take' | 'skip' | 'descend' {
  if (el.getAttribute('role') === 'region') return 'take';
  const tag = el.tagName;
  if (tag === 'TABLE' || tag === 'SCRIPT' || tag === 'TEMPLATE' || tag === 'svg' || tag === 'SVG') return 'skip';
  return 'descend';
}

function headerPaths(header: Element | null, table: Element | null): { path: string; oldPath?: string } | null {
  let codes: Element[] = [];
  // Within the header only: querySelectorAll on the region would walk every row.
  for (const sel of header ? react.filePath : []) {
    codes = header ? [...header.querySelectorAll(sel)] : [];
    if (codes.length > 0) break;
  }
  const names = codes.map((c) => cleanPath(c.textContent)).filter((t) => t.length > 0);
  let path = names[names.length - 1] ?? '';
  let oldPath = names.length > 1 ? names[0] : undefined;
  if (!oldPath && path.includes(' → ')) {
    const [from, to] = path.split(' → ').map(cleanPath);
    if (from && to) {
      oldPath = from;
      path = to;
    }
  }
  if (!path && table) {
    const label = table.getAttribute('aria-label') ?? '';
    if (label.startsWith(react.diffTableLabelPrefix)) path = cleanPath(label.slice(react.diffTableLabelPrefix.length));
  }
  if (!path) return null;
  return oldPath && oldPath !== path ? { path, oldPath } : { path };
}

function* readRegion(region: Element, header: Element | null, table: Element | null, missing: MissingPart[]): Work<ReactFile | null> {
  const id = headerPaths(header, table);
  if (!id) {
    missing.push({ path: null, reason: 'a file on the page has no path' });
    return null;
  }
  const file: ReactFile = { path: id.path, status: 'modified', hunks: [], source: 'react-dom' };
  if (id.oldPath) file.oldPath = id.oldPath;
  const anchor = table?.getAttribute('data-diff-anchor') ?? (region.id.startsWith('diff-') ? region.id : null);
  if (anchor) file.digest = anchor.replace(/^diff-/, '');

  if (!table) {
    // The region's text after its header: the header holds the path, which may contain these words.
    const full = region.textContent ?? '';
    const headerText = header?.textContent ?? '';
    const text = headerText && full.startsWith(headerText) ? full.slice(headerText.length) : full;
    const p = react.placeholderText;
    if (textIncludesAny(text, p.loadDiff)) {
      file.status = 'not-loaded';
      missing.push({ path: id.path, reason: REASONS.loadDiff });
    } else if (textIncludesAny(text, p.binary)) file.status = 'binary';
    else if (textIncludesAny(text, p.renamedOnly)) file.status = 'renamed';
    else if (textIncludesAny(text, p.modeOnly)) file.status = 'mode-only';
    else if (textIncludesAny(text, p.generated)) {
      file.status = 'not-loaded';
      missing.push({ path: id.path, reason: REASONS.generated });
    } else if (textIncludesAny(text, p.tooLarge)) {
      file.status = 'too-large';
      missing.push({ path: id.path, reason: REASONS.tooLarge });
    } else {
      file.status = 'not-loaded';
      missing.push({ path: id.path, reason: header ? REASONS.collapsed : REASONS.noLines });
    }
    return file;
  }

  const builder = new HunkBuilder();
  yield* readRows(tableRows(table), builder);
  file.hunks = builder.finish();
  let status: FileStatus = statusFromHunks(file.hunks);
  if (file.oldPath && status === 'modified') status = 'renamed';
  file.status = status;
  countChanges(file);
  return file;
}

interface Side {
  kind: LineKind | null;
  num: number | null;
  text: string;
  noEol: boolean;
}

/** Kind, number and text of one text cell (`td.diff-text-cell > code.diff-text > .diff-text-inner`). */
/** `numCell`: where the line's number is; undefined when the caller reads numbers itself. */
function readTextCell(cell: Element, numCell: Element | null | undefined): Side {
  const code = cell.firstElementChild;
  // The text is the code element's last child in every build seen; search only if not.
  const last = code?.lastElementChild;
  const inner = last && last.classList.contains(react.textInnerClass) ? last : code ? childWithClass(code, react.textInnerClass, 2) : childWithClass(cell, react.textInnerClass, 3);
  let kind: LineKind | null = null;
  if (code) {
    const cl = code.classList;
    if (cl.contains(react.additionClass)) kind = 'addition';
    else if (cl.contains(react.deletionClass)) kind = 'deletion';
    else if (inner) kind = 'context';
  }
  const num = numCell === undefined ? null : numCell ? numberOf(numCell) : numberOrNull(cell.getAttribute('data-line-number'));
  const noEol = !!code && noNewlineAfter(code, react.noNewlineClass, noNewlineLabel);
  return { kind, num, text: inner?.textContent ?? '', noEol };
}

/**
 * A number cell's value: `data-line-number` where the build sets it (`byAttr`), else the text of
 * `<td><code>12</code></td>`, read from its one text node rather than building textContent.
 */
function numberOf(cell: Element, byAttr = true): number | null {
  if (byAttr) {
    const attr = cell.getAttribute('data-line-number');
    if (attr !== null) return numberOrNull(attr);
  }
  const holder = cell.firstElementChild ?? cell;
  const text = holder.firstChild;
  if (text === null) return null;
  if (text.nodeType === 3 && text.nextSibling === null) return numberOrNull(text.nodeValue);
  return numberOrNull(holder.textContent);
}

function* readRows(rows: ArrayLike<Element>, builder: HunkBuilder): Work<void> {
  let dels: Side[] = [];
  let adds: Side[] = [];
  const flush = () => {
    for (const d of dels) mark(builder.push('deletion', d.num, null, d.text), d.noEol);
    for (const a of adds) mark(builder.push('addition', null, a.num, a.text), a.noEol);
    dels = [];
    adds = [];
  };

  const numCells: Element[] = [];
  const textCells: Element[] = [];
  // Decided on the table's first unified line row: are number cells told apart by position (no
  // data-diff-side), and do they carry data-line-number?
  let positional: boolean | undefined;
  let numbersByAttr = true;
  for (let i = 0; i < rows.length; i++) {
    if ((i & (ROWS_PER_STEP - 1)) === 0 && i > 0) yield;
    numCells.length = 0;
    textCells.length = 0;
    let hunk: Element | null = null;
    const row = rows[i];
    if (!row) continue;
    const first = row.firstElementChild;
    if (!first) continue;
    // Fast path for the common unified row [old number, new number, text], numbered by position:
    // no per-row arrays or objects.
    const last = row.lastElementChild ?? first;
    const second = first.nextElementSibling;
    if (second && second.nextElementSibling === last && positional !== false && last.classList.contains(react.textCellClass)) {
      if (positional === undefined) {
        positional = !first.hasAttribute('data-diff-side');
        numbersByAttr = first.hasAttribute('data-line-number') || second.hasAttribute('data-line-number');
      }
      if (positional) {
        flush();
        readUnifiedRow(first, second, last, builder, numbersByAttr);
        continue;
      }
    }
    // A hunk header is a row of its own with one cell spanning the table.
    if (first === row.lastElementChild || first.classList.contains(react.hunkCellClass)) {
      if (first.classList.contains(react.hunkCellClass)) hunk = first;
      else continue;
    } else {
      for (let cell: Element | null = first; cell; cell = cell.nextElementSibling) {
        if (cell.classList.contains(react.textCellClass)) textCells.push(cell);
        else numCells.push(cell);
      }
    }
    if (hunk) {
      flush();
      builder.startHunk(hunk.textContent ?? '');
      continue;
    }
    if (textCells.length === 1) {
      // Unified: [old number, new number, text].
      const cell = textCells[0];
      if (!cell) continue;
      const side = readTextCell(cell, undefined);
      if (!side.kind) continue;
      const [oldCell, newCell] = sideCells(numCells);
      // Only the side a line has is read; some builds number the text cell instead.
      let oldNum = side.kind !== 'addition' && oldCell ? numberOf(oldCell) : null;
      let newNum = side.kind !== 'deletion' && newCell ? numberOf(newCell) : null;
      if (side.kind === 'deletion' && oldNum === null) oldNum = numberOrNull(cell.getAttribute('data-line-number'));
      if (side.kind === 'addition' && newNum === null) newNum = numberOrNull(cell.getAttribute('data-line-number'));
      flush();
      mark(builder.push(side.kind, oldNum, newNum, side.text), side.noEol);
    } else if (textCells.length >= 2) {
      // Split: [old number, old text, new number, new text].
      const [oldCell, newCell] = sideCells(numCells);
      const [oldText, newText] = textCells;
      if (!oldText || !newText) continue;
      const left = readTextCell(oldText, oldCell);
      const right = readTextCell(newText, newCell);
      if (left.kind === 'context' || right.kind === 'context') {
        flush();
        const text = left.kind === 'context' ? left.text : right.text;
        mark(builder.push('context', left.num, right.num, text), left.noEol || right.noEol);
        continue;
      }
      if (left.kind === 'deletion') dels.push(left);
      if (right.kind === 'addition') adds.push(right);
    }
  }
  flush();
}

function readUnifiedRow(oldCell: Element, newCell: Element, cell: Element, builder: HunkBuilder, numbersByAttr: boolean): void {
  const code = cell.firstElementChild;
  if (!code) return;
  const last = code.lastElementChild;
  const inner = last && last.classList.contains(react.textInnerClass) ? last : childWithClass(code, react.textInnerClass, 2);
  if (!inner) return;
  const cl = code.classList;
  const kind: LineKind = cl.contains(react.additionClass) ? 'addition' : cl.contains(react.deletionClass) ? 'deletion' : 'context';
  let oldNum = kind !== 'addition' ? numberOf(oldCell, numbersByAttr) : null;
  let newNum = kind !== 'deletion' ? numberOf(newCell, numbersByAttr) : null;
  if (kind === 'deletion' && oldNum === null) oldNum = numberOrNull(cell.getAttribute('data-line-number'));
  if (kind === 'addition' && newNum === null) newNum = numberOrNull(cell.getAttribute('data-line-number'));
  const line = builder.push(kind, oldNum, newNum, inner.textContent ?? '');
  if (line && code.nextElementSibling && noNewlineAfter(code, react.noNewlineClass, noNewlineLabel)) line.noNewlineAtEnd = true;
}

/** [old, new] number cells: by `data-diff-side` when the build sets it, else by position. */
function sideCells(cells: Element[]): [Element | null, Element | null] {
  if (!cells[0]?.hasAttribute('data-diff-side')) return [cells[0] ?? null, cells[1] ?? null];
  let left: Element | null = null;
  let right: Element | null = null;
  for (const c of cells) {
    const side = c.getAttribute('data-diff-side');
    if (side === 'left') left ??= c;
    else if (side === 'right') right ??= c;
  }
  if (left || right) return [left, right];
  return [cells[0] ?? null, cells[1] ?? null];
}

function mark(line: DiffLine | null, noEol: boolean): void {
  if (line && noEol) line.noNewlineAtEnd = true;
}
