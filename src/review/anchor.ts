/**
 * Puts each finding on a line that really is in the diff. Models get line numbers wrong (often by
 * a few, sometimes by dozens), so the finding's `quote` decides and the number only breaks ties:
 * the quote is matched against the file's new-side lines (added and unchanged), ignoring
 * whitespace; among several matches the one nearest the model's number wins, and a tie means we
 * cannot tell, so the finding is dropped rather than put on the wrong line.
 */
import type { DiffFile } from '../model/diff';
import type { RawFinding } from './finding-parser';

interface IndexedLine {
  n: number;
  norm: string;
  added: boolean;
}

export interface FileIndex {
  file: DiffFile;
  lines: IndexedLine[];
  byNumber: Map<number, IndexedLine>;
}

export type AnchorResult =
  | { ok: true; file: string; line: number; endLine?: number; quote: string }
  | { ok: false; reason: 'notInDiff' | 'ambiguous' };

export function normalize(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function indexFile(file: DiffFile): FileIndex {
  const lines: IndexedLine[] = [];
  const byNumber = new Map<number, IndexedLine>();
  for (const h of file.hunks ?? []) {
    for (const l of h.lines ?? []) {
      if (l.kind === 'deletion' || l.newNumber === null) continue;
      const entry = { n: l.newNumber, norm: normalize(l.text), added: l.kind === 'addition' };
      lines.push(entry);
      byNumber.set(entry.n, entry);
    }
  }
  return { file, lines, byNumber };
}

/** The quote's first meaningful line, without a diff marker the model may have copied along. */
function quoteKey(quote: string): { key: string; extraLines: number } {
  const lines = quote.split('\n').map(normalize);
  const first = lines.findIndex((l) => l.length > 0);
  if (first < 0) return { key: '', extraLines: 0 };
  const nonEmpty = lines.slice(first).filter((l) => l.length > 0).length;
  return { key: lines[first]!, extraLines: Math.max(0, nonEmpty - 1) };
}

/** Only punctuation such as `}` or `});` says nothing about where it is. */
function trivial(key: string): boolean {
  return !/[\p{L}\p{N}]/u.test(key);
}

function matches(index: FileIndex, quoteKeyText: string): IndexedLine[] {
  let key = quoteKeyText;
  if (!key) return [];
  let found = index.lines.filter((l) => l.norm === key);
  // Also try without the "12+" or "+" marker the model may have copied from the diff it was shown.
  const unmarked = normalize(key.replace(/^\d*\+/, ''));
  if (found.length === 0 && unmarked !== key && unmarked) {
    found = index.lines.filter((l) => l.norm === unmarked);
    key = unmarked;
  }
  // The short map format quotes only the line's first words: a line that starts with them is meant
  // (from 4 characters on: a stray "a" or "x" says nothing).
  if (found.length === 0 && key.length >= 4 && !trivial(key)) found = index.lines.filter((l) => l.norm.startsWith(key));
  if (found.length === 0 && key.length >= 8 && !trivial(key)) found = index.lines.filter((l) => l.norm.includes(key));
  if (found.length === 0) found = index.lines.filter((l) => l.norm.length >= 12 && key.includes(l.norm));
  // A finding is about changed code: when the quote matches both, the added line is meant.
  const added = found.filter((l) => l.added);
  return added.length > 0 ? added : found;
}

function pickNearest(cands: IndexedLine[], line: number | null): IndexedLine | 'ambiguous' {
  if (cands.length === 1) return cands[0]!;
  if (line === null) return 'ambiguous';
  const sorted = [...cands].sort((a, b) => Math.abs(a.n - line) - Math.abs(b.n - line));
  const [a, b] = sorted;
  if (b && Math.abs(a!.n - line) === Math.abs(b.n - line)) return 'ambiguous';
  return a!;
}

/** Which indexed file the model meant: exact path, else a unique path ending the same way. */
export function resolveFile(name: string, files: readonly FileIndex[]): FileIndex | null {
  const clean = name.trim().replace(/^\.?\//, '').replace(/^[ab]\//, '');
  const exact = files.find((f) => f.file.path === clean);
  if (exact) return exact;
  if (!clean) return null;
  const tail = files.filter((f) => f.file.path.endsWith(`/${clean}`) || clean.endsWith(`/${f.file.path}`));
  return tail.length === 1 ? tail[0]! : null;
}

/**
 * @param chunkFiles the files the model was shown in this call (searched first)
 * @param allFiles every reviewable file (a model sometimes names a file from the path alone)
 */
export function anchorFinding(raw: RawFinding, chunkFiles: readonly FileIndex[], allFiles: readonly FileIndex[]): AnchorResult {
  const { key, extraLines } = quoteKey(raw.quote ?? '');
  // No file (the short format leaves it out when the part shows one file): the part's only file.
  const onlyFile = !raw.file.trim() && chunkFiles.length === 1 ? chunkFiles[0]! : null;
  const named = onlyFile ?? resolveFile(raw.file, chunkFiles) ?? resolveFile(raw.file, allFiles);

  let target: FileIndex | null = null;
  let cands: IndexedLine[] = [];
  if (named) {
    target = named;
    cands = matches(named, key);
  }
  if (cands.length === 0 && key && !trivial(key)) {
    // The quote is not in the named file: a unique match in another shown file means the model
    // mixed up the path.
    const elsewhere = chunkFiles.filter((f) => f !== named).map((f) => ({ f, m: matches(f, key) })).filter((x) => x.m.length > 0);
    if (elsewhere.length === 1) {
      target = elsewhere[0]!.f;
      cands = elsewhere[0]!.m;
    } else if (elsewhere.length > 1) return { ok: false, reason: 'ambiguous' };
  }
  if (!target) return { ok: false, reason: 'notInDiff' };

  let chosen: IndexedLine | undefined;
  if (cands.length > 0) {
    const p = pickNearest(cands, raw.line);
    if (p === 'ambiguous') return { ok: false, reason: 'ambiguous' };
    chosen = p;
  } else if (!key || trivial(key)) {
    // No usable quote: trust the number only when it lands on an added line.
    const at = raw.line === null ? undefined : target.byNumber.get(raw.line);
    if (at?.added) chosen = at;
  }
  if (!chosen) return { ok: false, reason: 'notInDiff' };

  let endLine: number | undefined;
  const shift = raw.line === null ? 0 : chosen.n - raw.line;
  const wantedEnd = raw.endLine !== null && raw.line !== null ? raw.endLine + shift : extraLines > 0 ? chosen.n + extraLines : null;
  if (wantedEnd !== null && wantedEnd > chosen.n && wantedEnd - chosen.n <= 50 && target.byNumber.has(wantedEnd)) endLine = wantedEnd;

  return {
    ok: true,
    file: target.file.path,
    line: chosen.n,
    ...(endLine !== undefined ? { endLine } : {}),
    quote: target.byNumber.get(chosen.n) ? lineText(target.file, chosen.n) : raw.quote,
  };
}

function lineText(file: DiffFile, n: number): string {
  for (const h of file.hunks) for (const l of h.lines) if (l.kind !== 'deletion' && l.newNumber === n) return l.text;
  return '';
}
