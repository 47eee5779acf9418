/**
 * Finds the row of a file's new-side line on the page, in either layout, for "jump to finding"
 * and the finding markers. Returns null when the file or line is not rendered (collapsed,
 * lazy-loaded or outside the shown hunks).
 */
import { anyOf, classic, react, reactNumberCellClass } from './selectors';

function cssString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The element holding one file's diff table, or null when the page does not show that file. */
export function findFileTable(doc: Document, path: string): HTMLTableElement | null {
  const reactTable = doc.querySelector<HTMLTableElement>(`table[aria-label=${cssString(`${react.diffTableLabelPrefix} ${path}`)}]`);
  if (reactTable) return reactTable;
  for (const file of doc.querySelectorAll<HTMLElement>(anyOf(classic.file))) {
    const filePath =
      file.getAttribute('data-tagsearch-path') ??
      file.querySelector(classic.fileHeader)?.getAttribute('data-path') ??
      file.closest(classic.fileEntryWrapper)?.getAttribute('data-file-path');
    if (filePath === path) return file.querySelector<HTMLTableElement>(classic.diffTable);
  }
  return null;
}

/** The new-side line-number cell of `line` in `path` (where a finding marker goes). */
export function findLineNumberCell(doc: Document, path: string, line: number): Element | null {
  const table = findFileTable(doc, path);
  if (!table) return null;
  const n = cssString(String(line));
  // React: the right-side number cell. Classic unified: the second of two number cells;
  // classic split: the number cell before the right-hand code cell.
  return (
    table.querySelector(`td[data-diff-side="right"][data-line-number=${n}]`) ??
    [...table.querySelectorAll(`td.blob-num[data-line-number=${n}]`)].find(
      (td) =>
        (td.previousElementSibling?.classList.contains('blob-num') ?? false) ||
        td.nextElementSibling?.getAttribute('data-split-side') === 'right',
    ) ??
    positionalReactCell(table, line)
  );
}

/**
 * React builds without `data-diff-side`: number cells are told apart by position. Unified rows are
 * [old, new, text] and split rows [old, old text, new, new text], so the new side is the second
 * number cell either way; its number is an attribute or the cell's text.
 */
function positionalReactCell(table: HTMLTableElement, line: number): Element | null {
  const wanted = String(line);
  for (const row of table.querySelectorAll<HTMLTableRowElement>('tr')) {
    let seen = 0;
    for (let cell = row.firstElementChild; cell; cell = cell.nextElementSibling) {
      if (!cell.classList.contains(reactNumberCellClass)) continue;
      if (++seen < 2) continue;
      const number = cell.getAttribute('data-line-number') ?? cell.textContent?.trim() ?? '';
      if (number === wanted) return cell;
      break;
    }
  }
  return null;
}

/** The table row showing `line` on the new side of `path`. */
export function findLineElement(doc: Document, path: string, line: number): HTMLTableRowElement | null {
  return findLineNumberCell(doc, path, line)?.closest('tr') ?? null;
}

/**
 * The element standing for one file on the page even when its table is not there (a folded
 * React file, a "Load diff" placeholder): the classic `.file`, or the React file region.
 */
export function findFileContainer(doc: Document, path: string): HTMLElement | null {
  const table = findFileTable(doc, path);
  if (table) return table.closest<HTMLElement>(anyOf([...classic.file, ...react.fileRegion]));
  for (const region of doc.querySelectorAll<HTMLElement>(anyOf(react.fileRegion))) {
    const label = region.querySelector(anyOf(react.filePath))?.textContent ?? '';
    if (label.replace(/[\u200e\u200f]/g, '').trim() === path) return region;
  }
  for (const file of doc.querySelectorAll<HTMLElement>(anyOf(classic.file))) {
    const filePath = file.getAttribute('data-tagsearch-path') ?? file.querySelector(classic.fileHeader)?.getAttribute('data-path');
    if (filePath === path) return file;
  }
  return null;
}
