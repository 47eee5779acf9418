/**
 * Reads GitHub's React diff view (`/pull/N/changes`, React commit pages), unified or split.
 * Every row, hunk headers included, is its own `tr`; the text is `textContent` (not innerText,
 * which `content-visibility:auto` empties off screen).
 */
import type { DiffFile, DiffLine, FileStatus, LineKind, MissingPart } from './diff-model';
import {
  HunkBuilder,
  REASONS,
  ROWS_PER_STEP,
  childWithClass,
  cleanPath,
  countChanges,
  numberOrNull,
  rowCells,
  statusFromHunks,
  tableRows,
  textIncludesAny,
  type LayoutResult,
  type Work,
} from './extract-shared';
import { anyOf, react } from './selectors';

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
  for (const region of root.querySelectorAll(anyOf(react.fileRegion))) {
    if (seen.has(region)) continue;
    seen.add(region);
    const table = region.querySelector(tableSel);
    const header = region.querySelector(headerSel);
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

function headerPaths(region: Element, table: Element | null): { path: string; oldPath?: string } | null {
  let codes: Element[] = [];
  for (const sel of react.filePath) {
    codes = [...region.querySelectorAll(sel)];
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
  const id = headerPaths(region, table);
  if (!id) {
    missing.push({ path: null, reason: 'a file on the page has no path' });
    return null;
  }
  const file: ReactFile = { path: id.path, status: 'modified', hunks: [], source: 'react-dom' };
  if (id.oldPath) file.oldPath = id.oldPath;
  const anchor = table?.getAttribute('data-diff-anchor') ?? (region.id.startsWith('diff-') ? region.id : null);
  if (anchor) file.digest = anchor.replace(/^diff-/, '');

  if (!table) {
    const text = region.textContent ?? '';
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
  const noNewline = new Set<Element>();
  for (const m of table.querySelectorAll(anyOf(react.noNewlineMarker))) {
    const cell = m.closest('td');
    if (cell) noNewline.add(cell);
  }
  yield* readRows(tableRows(table), builder, noNewline);
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
function readTextCell(cell: Element, numCell: Element | null, noNewline: Set<Element>): Side {
  const code = cell.firstElementChild;
  const inner = code ? childWithClass(code, react.textInnerClass, 2) : childWithClass(cell, react.textInnerClass, 3);
  let kind: LineKind | null = null;
  if (code) {
    const cl = code.classList;
    if (cl.contains(react.additionClass)) kind = 'addition';
    else if (cl.contains(react.deletionClass)) kind = 'deletion';
    else if (inner) kind = 'context';
  }
  const num = numCell ? numberOf(numCell) : numberOrNull(cell.getAttribute('data-line-number'));
  return { kind, num, text: inner?.textContent ?? '', noEol: noNewline.has(cell) };
}

function numberOf(cell: Element): number | null {
  return numberOrNull(cell.getAttribute('data-line-number')) ?? numberOrNull(cell.textContent);
}

function* readRows(rows: ArrayLike<Element>, builder: HunkBuilder, noNewline: Set<Element>): Work<void> {
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
  for (let i = 0; i < rows.length; i++) {
    if ((i & (ROWS_PER_STEP - 1)) === 0 && i > 0) yield;
    const cells = rowCells(rows[i] as Element);
    numCells.length = 0;
    textCells.length = 0;
    let hunk: Element | null = null;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c] as Element;
      const cl = cell.classList;
      if (cl.contains(react.hunkCellClass)) {
        hunk = cell;
        break;
      }
      if (cl.contains(react.textCellClass)) textCells.push(cell);
      else numCells.push(cell);
    }
    if (hunk) {
      flush();
      builder.startHunk(hunk.textContent ?? '');
      continue;
    }
    if (textCells.length === 1) {
      // Unified: [old number, new number, text].
      const cell = textCells[0] as Element;
      const side = readTextCell(cell, null, noNewline);
      if (!side.kind) continue;
      const [oldCell, newCell] = sideCells(numCells);
      const oldNum = oldCell ? numberOf(oldCell) : null;
      const newNum = newCell ? numberOf(newCell) : null;
      if (side.kind === 'context') {
        flush();
        mark(builder.push('context', oldNum, newNum, side.text), side.noEol);
      } else {
        flush();
        mark(builder.push(side.kind, side.kind === 'deletion' ? (oldNum ?? side.num) : null, side.kind === 'addition' ? (newNum ?? side.num) : null, side.text), side.noEol);
      }
    } else if (textCells.length >= 2) {
      // Split: [old number, old text, new number, new text].
      const [oldCell, newCell] = sideCells(numCells);
      const left = readTextCell(textCells[0] as Element, oldCell, noNewline);
      const right = readTextCell(textCells[1] as Element, newCell, noNewline);
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

/** [old, new] number cells: by `data-diff-side` when the build sets it, else by position. */
function sideCells(cells: Element[]): [Element | null, Element | null] {
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
