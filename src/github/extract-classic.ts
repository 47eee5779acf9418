/**
 * Reads the classic, server-rendered diff (PR "Files changed" at `/files`, classic commit pages),
 * unified or split. Walks each file's own table rows directly: review threads and suggestion
 * blocks sit in nested tables or `tr.inline-comments` rows and are never read.
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
  rowCells,
  shallowFind,
  statusFromHunks,
  tableRows,
  textIncludesAny,
  type LayoutResult,
  type Work,
} from './extract-shared';
import { anyOf, classic, noNewlineLabel } from './selectors';

export function* readClassic(root: ParentNode): Work<LayoutResult> {
  const container = root.querySelector(classic.filesContainer) ?? root;
  const found = shallowFind(container, classify, 6);
  let fileEls = found.filter((el) => !isLoader(el));
  const loaders = found.filter(isLoader);
  // Markup deeper than expected: fall back to a full query.
  if (fileEls.length === 0) fileEls = uniqueFiles(container.querySelectorAll(anyOf(classic.file)));
  const files: DiffFile[] = [];
  const missing: MissingPart[] = [];

  for (const el of fileEls) {
    const file = yield* readFile(el, missing);
    if (file) files.push(file);
    yield;
  }

  if (loaders.length > 0) {
    missing.push({ path: null, reason: `${REASONS.progressive} (${loaders.length} batch${loaders.length === 1 ? '' : 'es'} not loaded)` });
  }
  return { files, missing, fileCount: fileEls.length };
}

const isLoader = (el: Element) => el.matches(anyOf(classic.progressiveLoader));

function classify(el: Element): 'take' | 'skip' | 'descend' {
  const cl = el.classList;
  if (cl.contains('file') && (cl.contains('js-file') || el.id.startsWith('diff-'))) return 'take';
  if (isLoader(el)) return 'take';
  if (el.tagName === 'TABLE' || cl.contains('comment-body') || cl.contains('js-comment-body') || el.tagName === 'TEMPLATE') return 'skip';
  return 'descend';
}

/** `.file` elements of the diff list, without comment code blocks and without duplicates. */
function uniqueFiles(list: NodeListOf<Element>): Element[] {
  const out: Element[] = [];
  const seen = new Set<Element>();
  for (const el of list) {
    if (seen.has(el)) continue;
    seen.add(el);
    if (el.closest('.comment-body, .review-comment, .js-comment-body')) continue;
    out.push(el);
  }
  return out;
}

function filePath(el: Element, header: Element | null): { path: string; oldPath?: string } | null {
  const wrapper = el.closest(classic.fileEntryWrapper);
  const path = cleanPath(
    header?.getAttribute('data-path') ?? el.getAttribute('data-tagsearch-path') ?? wrapper?.getAttribute('data-file-path') ?? null,
  );
  if (!path) return null;
  // Scoped to the header: a selector that misses on the file element would walk every row.
  const renameLink = header?.querySelector(classic.renameTitle);
  const title = renameLink?.getAttribute('title');
  if (title) {
    const [from, to] = title.split(' → ').map(cleanPath);
    if (from && to && from !== to) return { path: to, oldPath: from };
  }
  return { path };
}

function* readFile(el: Element, missing: MissingPart[]): Work<DiffFile | null> {
  const header = el.querySelector(classic.fileHeader);
  const id = filePath(el, header);
  if (!id) {
    missing.push({ path: null, reason: 'a file on the page has no path' });
    return null;
  }
  const deleted = (header?.getAttribute('data-file-deleted') ?? el.getAttribute('data-file-deleted')) === 'true';
  const table = el.querySelector(classic.diffTable);
  const file: DiffFile = { path: id.path, status: 'modified', hunks: [], source: 'classic-dom' };
  if (id.oldPath) file.oldPath = id.oldPath;

  if (!table) {
    // The file's body only: the header holds the path, which may contain any of these words.
    const text = (el.querySelector(classic.fileBody) ?? el).textContent ?? '';
    const p = classic.placeholderText;
    if (textIncludesAny(text, p.generated)) {
      file.status = 'not-loaded';
      missing.push({ path: id.path, reason: REASONS.generated });
    } else if (el.querySelector(anyOf(classic.entryLoader)) || textIncludesAny(text, p.loadDiff)) {
      file.status = 'not-loaded';
      missing.push({ path: id.path, reason: REASONS.loadDiff });
    } else if (textIncludesAny(text, p.binary)) file.status = 'binary';
    else if (textIncludesAny(text, p.renamedOnly)) file.status = 'renamed';
    else if (textIncludesAny(text, p.modeOnly)) file.status = 'mode-only';
    else {
      file.status = 'not-loaded';
      missing.push({ path: id.path, reason: REASONS.noLines });
    }
    return file;
  }

  const split = table.classList.contains(classic.splitTableClass);
  const builder = new HunkBuilder();
  const rows = tableRows(table);
  if (split) yield* readSplitRows(rows, builder);
  else yield* readUnifiedRows(rows, builder);

  file.hunks = builder.finish();
  let status: FileStatus = statusFromHunks(file.hunks);
  if (deleted) status = 'deleted';
  if (file.oldPath && status === 'modified') status = 'renamed';
  file.status = status;
  countChanges(file);
  return file;
}

function kindOf(cell: Element): LineKind | null {
  const cl = cell.classList;
  // Context first: most lines of a diff are context.
  if (cl.contains(classic.contextClass)) return 'context';
  if (cl.contains(classic.additionClass)) return 'addition';
  if (cl.contains(classic.deletionClass)) return 'deletion';
  return null;
}

interface Code {
  text: string;
  noEol: boolean;
}

/** The line's text: the `.blob-code-inner` span (the cell also holds comment buttons). */
function readCode(cell: Element): Code {
  if (cell.classList.contains(classic.codeInnerClass)) return { text: cell.textContent ?? '', noEol: false };
  // Usually the span is the cell's only (or last) element; search only if not.
  const last = cell.lastElementChild;
  const inner = last && last.classList.contains(classic.codeInnerClass) ? last : childWithClass(cell, classic.codeInnerClass);
  if (!inner) return { text: cell.textContent ?? '', noEol: false };
  return { text: inner.textContent ?? '', noEol: noNewlineAfter(inner, classic.noNewlineClass, noNewlineLabel) };
}

function* readUnifiedRows(rows: ArrayLike<Element>, builder: HunkBuilder): Work<void> {
  for (let i = 0; i < rows.length; i++) {
    if ((i & (ROWS_PER_STEP - 1)) === 0 && i > 0) yield;
    const row = rows[i];
    if (!row) continue;
    // [old number, new number, code]; siblings instead of row.cells (no collection per row).
    const code = row.lastElementChild;
    if (!code) continue;
    if (code.classList.contains(classic.hunkCellClass)) {
      builder.startHunk(code.textContent ?? '');
      continue;
    }
    const kind = kindOf(code);
    if (!kind) continue;
    const oldCell = row.firstElementChild;
    if (!oldCell) continue;
    const newCell = oldCell.nextElementSibling;
    if (!newCell || newCell === code) continue;
    const c = readCode(code);
    // Only the side a line has is read (an addition has no old number).
    const oldNum = kind === 'addition' ? null : numberOrNull(oldCell.getAttribute('data-line-number'));
    const newNum = kind === 'deletion' ? null : numberOrNull(newCell.getAttribute('data-line-number'));
    const line = builder.push(kind, oldNum, newNum, c.text);
    if (line && c.noEol) line.noNewlineAtEnd = true;
  }
}

/**
 * Split rows pair a deletion (left) with an addition (right); unified order is every deletion
 * of a change block, then every addition, so both sides are held until the block ends.
 */
function* readSplitRows(rows: ArrayLike<Element>, builder: HunkBuilder): Work<void> {
  type Pending = { num: number | null; text: string; noEol: boolean };
  let dels: Pending[] = [];
  let adds: Pending[] = [];
  const flush = () => {
    for (const d of dels) mark(builder.push('deletion', d.num, null, d.text), d.noEol);
    for (const a of adds) mark(builder.push('addition', null, a.num, a.text), a.noEol);
    dels = [];
    adds = [];
  };

  for (let i = 0; i < rows.length; i++) {
    if ((i & (ROWS_PER_STEP - 1)) === 0 && i > 0) yield;
    const row = rows[i];
    if (!row) continue;
    const cells = rowCells(row);
    const n = cells.length;
    if (n < 2) continue;
    const hunkCell = cells[n - 1];
    if (!hunkCell) continue;
    if (n <= 3 && hunkCell.classList.contains(classic.hunkCellClass)) {
      flush();
      builder.startHunk(hunkCell.textContent ?? '');
      continue;
    }
    if (n < 4) continue;
    const leftNum = cells[0];
    if (!leftNum) continue;
    const left = cells[1];
    if (!left) continue;
    const rightNum = cells[2];
    if (!rightNum) continue;
    const right = cells[3];
    if (!right) continue;
    const lk = kindOf(left);
    const rk = kindOf(right);
    if (lk === 'context' || rk === 'context') {
      flush();
      // Both sides show the same line; either side's marker means the file lacks the newline.
      const l = readCode(left);
      const r = readCode(right);
      const c = lk === 'context' ? l : r;
      mark(
        builder.push('context', numberOrNull(leftNum.getAttribute('data-line-number')), numberOrNull(rightNum.getAttribute('data-line-number')), c.text),
        l.noEol || r.noEol,
      );
      continue;
    }
    if (lk === 'deletion') dels.push({ num: numberOrNull(leftNum.getAttribute('data-line-number')), ...readCode(left) });
    if (rk === 'addition') adds.push({ num: numberOrNull(rightNum.getAttribute('data-line-number')), ...readCode(right) });
  }
  flush();
}

function mark(line: DiffLine | null, noEol: boolean): void {
  if (line && noEol) line.noNewlineAtEnd = true;
}
