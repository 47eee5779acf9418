/**
 * Pieces every DOM extractor shares: walking table rows without selector calls, building hunks,
 * and cooperative slicing (extractors are generators that yield every few rows; a driver decides
 * whether to keep going or give the main thread back).
 */
import type { DiffFile, DiffHunk, DiffLine, FileStatus, LineKind, MissingPart } from '../model/diff';

/** An extractor's work: yields whenever it is a good moment to pause. */
export type Work<T> = Generator<void, T, void>;

/** Rows between two yield points; small enough that one step stays far below a frame. */
export const ROWS_PER_STEP = 64;

export function runSync<T>(work: Work<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

/**
 * Give the event loop a turn. scheduler.yield() keeps our place in the queue where it exists;
 * otherwise a MessageChannel message, which (unlike nested setTimeout(0), clamped to 4 ms after
 * five levels) costs no idle time; setTimeout is the last resort.
 */
export function yieldToEventLoop(): Promise<void> {
  // Not in every browser (nor in Node), whatever the DOM types say: checked before use.
  const tasks = typeof scheduler === 'undefined' ? undefined : scheduler;
  if (tasks && typeof tasks.yield === 'function') return tasks.yield();
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export interface SliceStats {
  /** Longest stretch of work between two pauses, in ms. */
  longestSliceMs: number;
  slices: number;
  /** Every slice's duration, when the caller passes an array (benchmarks). */
  durationsMs?: number[];
  /** Generator steps (≤ 64 rows each) per slice, alongside durationsMs. */
  stepsPerSlice?: number[];
}

function record(stats: SliceStats, ms: number, steps: number): void {
  stats.longestSliceMs = Math.max(stats.longestSliceMs, ms);
  stats.slices++;
  stats.durationsMs?.push(ms);
  stats.stepsPerSlice?.push(steps);
}

/** Run `work`, pausing whenever a slice has used `budgetMs` of main-thread time. */
export async function runSliced<T>(work: Work<T>, budgetMs = 8, stats?: SliceStats): Promise<T> {
  let sliceStart = now();
  let steps = 0;
  for (;;) {
    const step = work.next();
    steps++;
    if (step.done) {
      if (stats) record(stats, now() - sliceStart, steps);
      return step.value;
    }
    const elapsed = now() - sliceStart;
    if (elapsed >= budgetMs) {
      if (stats) record(stats, elapsed, steps);
      await yieldToEventLoop();
      sliceStart = now();
      steps = 0;
    }
  }
}

// ---- DOM walking --------------------------------------------------------------------------------

/**
 * The table's own rows (not those of tables nested in review comments). Uses `table.rows` in
 * browsers; DOM implementations without it (linkedom) get the same rows from the children.
 */
export function tableRows(table: Element): ArrayLike<Element> {
  // `typeof` first: Node (the CLI, unit tests) has no HTMLTableElement.
  if (typeof HTMLTableElement !== 'undefined' && table instanceof HTMLTableElement) return table.rows;
  const out: Element[] = [];
  for (let c = table.firstElementChild; c; c = c.nextElementSibling) {
    const tag = c.tagName;
    if (tag === 'TR') out.push(c);
    else if (tag === 'TBODY' || tag === 'THEAD' || tag === 'TFOOT') {
      for (let r = c.firstElementChild; r; r = r.nextElementSibling) if (r.tagName === 'TR') out.push(r);
    }
  }
  return out;
}

export function rowCells(row: Element): ArrayLike<Element> {
  if (typeof HTMLTableRowElement !== 'undefined' && row instanceof HTMLTableRowElement) return row.cells;
  const out: Element[] = [];
  for (let c = row.firstElementChild; c; c = c.nextElementSibling) if (c.tagName === 'TD' || c.tagName === 'TH') out.push(c);
  return out;
}

/** First descendant (depth-first, at most `depth` levels) carrying the class; cheaper than a selector per row. */
export function childWithClass(el: Element, cls: string, depth = 3): Element | null {
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
    if (c.classList.contains(cls)) return c;
  }
  if (depth <= 1) return null;
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
    const found = childWithClass(c, cls, depth - 1);
    if (found) return found;
  }
  return null;
}

/**
 * Whether a no-newline marker follows `el` among its siblings (GitHub puts it after the line's
 * text). Only siblings after the text are looked at, so lines without one cost almost nothing.
 */
export function noNewlineAfter(el: Element, cls: string, label: string): boolean {
  for (let s = el.nextElementSibling; s; s = s.nextElementSibling) {
    if (s.classList.contains(cls)) return true;
    if ((s.getAttribute('aria-label') ?? s.getAttribute('title') ?? '').includes(label)) return true;
    if (s.querySelector(`[aria-label*="${label}"], [title*="${label}"]`)) return true;
  }
  return false;
}

/** Left-to-right / right-to-left marks GitHub puts around paths (and only there). */
export function cleanPath(text: string | null | undefined): string {
  return (text ?? '').replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
}

export function numberOrNull(value: string | null | undefined): number | null {
  if (!value) return null;
  // Unary plus is the cheapest parse; it accepts surrounding spaces, and '...' becomes NaN.
  const n = +value;
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/**
 * Elements under `root` that `classify` marks, found by walking down at most `maxDepth` levels
 * and never into what it returns 'skip' or 'take' for. File containers sit a few levels under
 * the diff list, so this visits a handful of wrappers instead of every row of every file
 * (which is what a querySelectorAll over the list would do).
 */
export function shallowFind(root: ParentNode, classify: (el: Element) => 'take' | 'skip' | 'descend', maxDepth: number): Element[] {
  const out: Element[] = [];
  const walk = (parent: ParentNode, depth: number) => {
    for (let c = parent.firstElementChild; c; c = c.nextElementSibling) {
      const verdict = classify(c);
      if (verdict === 'take') out.push(c);
      else if (verdict === 'descend' && depth < maxDepth) walk(c, depth + 1);
    }
  };
  walk(root, 1);
  return out;
}

export function textIncludesAny(text: string, needles: readonly string[]): boolean {
  for (const n of needles) if (text.includes(n)) return true;
  return false;
}

// ---- building files ------------------------------------------------------------------------------

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parseHunkHeader(text: string): Omit<DiffHunk, 'lines'> | null {
  const header = text.trim();
  const m = HUNK.exec(header);
  if (!m) return null;
  return {
    header,
    oldStart: Number(m[1]),
    oldLines: m[2] === undefined ? 1 : Number(m[2]),
    newStart: Number(m[3]),
    newLines: m[4] === undefined ? 1 : Number(m[4]),
  };
}

/** Collects one file's hunks; numbers missing on the page are carried on from the hunk header. */
export class HunkBuilder {
  readonly hunks: DiffHunk[] = [];
  private current: DiffHunk | null = null;
  private nextOld = 0;
  private nextNew = 0;

  /** False when the text is not a hunk header (GitHub's empty "expand" rows). */
  startHunk(text: string): boolean {
    const h = parseHunkHeader(text);
    if (!h) return false;
    this.current = { ...h, lines: [] };
    this.hunks.push(this.current);
    this.nextOld = h.oldStart === 0 ? 1 : h.oldStart;
    this.nextNew = h.newStart === 0 ? 1 : h.newStart;
    return true;
  }

  get inHunk(): boolean {
    return this.current !== null;
  }

  push(kind: LineKind, oldNumber: number | null, newNumber: number | null, text: string): DiffLine | null {
    if (!this.current) return null;
    const line: DiffLine = {
      kind,
      oldNumber: kind === 'addition' ? null : (oldNumber ?? this.nextOld),
      newNumber: kind === 'deletion' ? null : (newNumber ?? this.nextNew),
      text,
    };
    if (line.oldNumber !== null) this.nextOld = line.oldNumber + 1;
    if (line.newNumber !== null) this.nextNew = line.newNumber + 1;
    this.current.lines.push(line);
    return line;
  }

  /** Hunks as the page shows them, counts recomputed from the lines read. */
  finish(): DiffHunk[] {
    const out = this.hunks.filter((h) => h.lines.length > 0);
    for (const h of out) {
      let o = 0;
      let n = 0;
      for (const l of h.lines) {
        if (l.kind !== 'addition') o++;
        if (l.kind !== 'deletion') n++;
      }
      h.oldLines = o;
      h.newLines = n;
    }
    return out;
  }
}

export function countChanges(file: DiffFile): void {
  let a = 0;
  let d = 0;
  for (const h of file.hunks) {
    for (const l of h.lines) {
      if (l.kind === 'addition') a++;
      else if (l.kind === 'deletion') d++;
    }
  }
  file.additions ??= a;
  file.deletions ??= d;
}

/** Status the hunks alone imply (GitHub's DOM has no "added" flag: a new file's hunk starts at -0,0). */
export function statusFromHunks(hunks: DiffHunk[], fallback: FileStatus = 'modified'): FileStatus {
  const first = hunks[0];
  if (hunks.length === 1 && first) {
    if (first.oldStart === 0 && first.oldLines === 0) return 'added';
    if (first.newStart === 0 && first.newLines === 0) return 'deleted';
  }
  return fallback;
}

/** What one DOM layout found. */
export interface LayoutResult {
  files: DiffFile[];
  missing: MissingPart[];
  /** How many file containers the page had (read or not). 0 means the layout is absent. */
  fileCount: number;
}

export const REASONS = {
  noDiff: 'no diff on this page',
  unreadable: 'could not read the diff on this page',
  unknownPage: 'not a pull request or commit page',
  loadDiff: 'GitHub did not load this diff ("Load diff")',
  notLoaded: 'listed on the page but its diff was not loaded yet',
  progressive: 'more files were still loading on the page',
  tooLarge: 'GitHub does not render this diff (too large)',
  generated: 'GitHub does not render generated files by default',
  binary: 'binary file: no text diff',
  collapsed: 'the file is collapsed on the page',
  noLines: 'the file has no table of lines on the page',
} as const;
