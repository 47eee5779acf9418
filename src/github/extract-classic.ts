/**
 * Reads the classic, server-rendered diff (PR "Files changed" at `/files`, classic commit pages),
 * unified or split. Walks each file's own table rows directly: review threads and suggestion
 * blocks sit in nested tables or `tr.inline-comments` rows and are never read.
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
import { anyOf, classic } from './selectors';

export function* readClassic(root: ParentNode): Work<LayoutResult> {
  const container = root.querySelector(anyOf(classic.filesContainer)) ?? root;
  const fileEls = uniqueFiles(container.querySelectorAll(anyOf(classic.file)));
  const files: DiffFile[] = [];
  const missing: MissingPart[] = [];

  for (const el of fileEls) {
    const file = yield* readFile(el, missing);
    if (file) files.push(file);
    yield;
  }

  const loaders = container.querySelectorAll(anyOf(classic.progressiveLoader));
  if (loaders.length > 0) {
    missing.push({ path: null, reason: `${REASONS.progressive} (${loaders.length} batch${loaders.length === 1 ? '' : 'es'} not loaded)` });
  }
  return { files, missing, fileCount: fileEls.length };
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

function filePath(el: Element): { path: string; oldPath?: string } | null {
  const header = el.querySelector(classic.fileHeader);
  const wrapper = el.closest(classic.fileEntryWrapper);
  const path = cleanPath(
    header?.getAttribute('data-path') ?? el.getAttribute('data-tagsearch-path') ?? wrapper?.getAttribute('data-file-path') ?? null,
  );
  if (!path) return null;
  const renameLink = el.querySelector(classic.renameTitle);
  const title = renameLink?.getAttribute('title');
  if (title) {
    const [from, to] = title.split(' → ').map(cleanPath);
    if (from && to && from !== to) return { path: to, oldPath: from };
  }
  return { path };
}

function* readFile(el: Element, missing: MissingPart[]): Work<DiffFile | null> {
  const id = filePath(el);
  if (!id) {
    missing.push({ path: null, reason: 'a file on the page has no path' });
    return null;
  }
  const deleted = (el.querySelector(classic.fileHeader)?.getAttribute('data-file-deleted') ?? el.getAttribute('data-file-deleted')) === 'true';
  const table = el.querySelector(classic.diffTable);
  const file: DiffFile = { path: id.path, status: 'modified', hunks: [], source: 'classic-dom' };
  if (id.oldPath) file.oldPath = id.oldPath;

  if (!table) {
    const text = el.textContent ?? '';
    if (el.querySelector(anyOf(classic.entryLoader)) || text.includes('Load diff') || text.includes('Large diffs are not rendered')) {
      file.status = 'not-loaded';
      missing.push({ path: id.path, reason: REASONS.loadDiff });
    } else if (text.includes('Binary file not shown')) {
      file.status = 'binary';
    } else if (text.includes('File renamed without changes')) {
      file.status = 'renamed';
    } else if (textIncludesAny(text, ['File mode changed', 'mode changed'])) {
      file.status = 'mode-only';
    } else if (text.includes('generated')) {
      file.status = 'not-loaded';
      missing.push({ path: id.path, reason: REASONS.generated });
    } else {
      file.status = 'not-loaded';
      missing.push({ path: id.path, reason: REASONS.noLines });
    }
    return file;
  }

  const split = table.classList.contains(classic.splitTableClass);
  const builder = new HunkBuilder();
  const noNewline = noNewlineRows(table);
  const rows = tableRows(table);
  if (split) yield* readSplitRows(rows, builder, noNewline);
  else yield* readUnifiedRows(rows, builder, noNewline);

  file.hunks = builder.finish();
  let status: FileStatus = statusFromHunks(file.hunks);
  if (deleted) status = 'deleted';
  if (file.oldPath && status === 'modified') status = 'renamed';
  file.status = status;
  countChanges(file);
  return file;
}

/** Rows holding a "No newline at end of file" marker (one query per file, not per row). */
function noNewlineRows(table: Element): Set<Element> {
  const rows = new Set<Element>();
  for (const marker of table.querySelectorAll(anyOf(classic.noNewlineMarker))) {
    const row = marker.closest('tr');
    if (row) rows.add(row);
  }
  return rows;
}

function kindOf(cell: Element): LineKind | null {
  const cl = cell.classList;
  if (cl.contains(classic.additionClass)) return 'addition';
  if (cl.contains(classic.deletionClass)) return 'deletion';
  if (cl.contains(classic.contextClass)) return 'context';
  return null;
}

/** The line's text: the `.blob-code-inner` span (the cell also holds comment buttons). */
function codeText(cell: Element): string {
  if (cell.classList.contains(classic.codeInnerClass)) return cell.textContent ?? '';
  const inner = childWithClass(cell, classic.codeInnerClass);
  return (inner ?? cell).textContent ?? '';
}

function* readUnifiedRows(rows: ArrayLike<Element>, builder: HunkBuilder, noNewline: Set<Element>): Work<void> {
  for (let i = 0; i < rows.length; i++) {
    if ((i & (ROWS_PER_STEP - 1)) === 0 && i > 0) yield;
    const row = rows[i] as Element;
    const cells = rowCells(row);
    const n = cells.length;
    if (n < 2) continue;
    const code = cells[n - 1] as Element;
    if (code.classList.contains(classic.hunkCellClass)) {
      builder.startHunk(code.textContent ?? '');
      continue;
    }
    if (n < 3) continue;
    const kind = kindOf(code);
    if (!kind) continue;
    const line = builder.push(
      kind,
      numberOrNull((cells[0] as Element).getAttribute('data-line-number')),
      numberOrNull((cells[1] as Element).getAttribute('data-line-number')),
      codeText(code),
    );
    if (line && noNewline.has(row)) line.noNewlineAtEnd = true;
  }
}

/**
 * Split rows pair a deletion (left) with an addition (right); unified order is every deletion
 * of a change block, then every addition, so both sides are held until the block ends.
 */
function* readSplitRows(rows: ArrayLike<Element>, builder: HunkBuilder, noNewline: Set<Element>): Work<void> {
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
    const row = rows[i] as Element;
    const cells = rowCells(row);
    const n = cells.length;
    if (n < 2) continue;
    const hunkCell = cells[n - 1] as Element;
    if (n <= 3 && hunkCell.classList.contains(classic.hunkCellClass)) {
      flush();
      builder.startHunk(hunkCell.textContent ?? '');
      continue;
    }
    if (n < 4) continue;
    const leftNum = cells[0] as Element;
    const left = cells[1] as Element;
    const rightNum = cells[2] as Element;
    const right = cells[3] as Element;
    const lk = kindOf(left);
    const rk = kindOf(right);
    const noEol = noNewline.has(row);
    if (lk === 'context' || rk === 'context') {
      flush();
      mark(
        builder.push(
          'context',
          numberOrNull(leftNum.getAttribute('data-line-number')),
          numberOrNull(rightNum.getAttribute('data-line-number')),
          codeText(lk === 'context' ? left : right),
        ),
        noEol,
      );
      continue;
    }
    if (lk === 'deletion') dels.push({ num: numberOrNull(leftNum.getAttribute('data-line-number')), text: codeText(left), noEol: noEol && cellHasNoEol(left) });
    if (rk === 'addition') adds.push({ num: numberOrNull(rightNum.getAttribute('data-line-number')), text: codeText(right), noEol: noEol && cellHasNoEol(right) });
  }
  flush();
}

function mark(line: DiffLine | null, noEol: boolean): void {
  if (line && noEol) line.noNewlineAtEnd = true;
}

function cellHasNoEol(cell: Element): boolean {
  return cell.querySelector(anyOf(classic.noNewlineMarker)) !== null;
}
