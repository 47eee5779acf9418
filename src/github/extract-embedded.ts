/**
 * Reads the JSON the React pages embed (`script[data-target="react-app.embeddedData"]`).
 *
 * Its shape is GitHub's internal business, so everything is read defensively: unknown shapes
 * give an empty result, never an exception. Seen so far (2025–2026):
 * - commit pages: `payload.commitRoute.diffEntryData[]` (path, pathDigest, status, diffLines?,
 *   isBinary, isTooBig, linesAdded, linesDeleted), `commit.oid`, `commit.parents[]`,
 *   `moreDiffsToLoad`, `headerInfo.filesChanged`;
 * - PR pages: `payload.pullRequestsChangesRoute` with `diffSummaries[]` (path, pathDigest,
 *   linesAdded, linesDeleted), `diffContents[]` (pathDigest, path, oldTreeEntry.path,
 *   newTreeEntry.path, diffLines?) and `comparison.fullDiff.{baseOid,headOid}`.
 * Each diffLines entry: `{type: HUNK|CONTEXT|ADDITION|DELETION, text (with the marker), left, right,
 * displayNoNewLineWarning}`.
 */
import type { DiffFile, DiffHunk, FileStatus } from '../model/diff';
import { HunkBuilder, cleanPath } from './extract-shared';
import { anyOf, embeddedData } from './selectors';

export interface EmbeddedFile {
  path: string;
  oldPath?: string;
  digest?: string;
  /** Status as the page data says it; null when it does not say. */
  status: FileStatus | null;
  /** Null when the data has no lines for the file (not loaded). */
  hunks: DiffHunk[] | null;
  binary: boolean;
  tooLarge: boolean;
  additions?: number;
  deletions?: number;
}

export interface EmbeddedDiff {
  files: EmbeddedFile[];
  baseSha?: string;
  headSha?: string;
  /** Files the page says the diff has, when it says. */
  totalFiles?: number;
  /** The page says more files exist than it listed or loaded. */
  moreToLoad: boolean;
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const SHA = /^[0-9a-f]{40}$/i;
const sha = (v: unknown): string | undefined => {
  const s = str(v);
  return s && SHA.test(s) ? s.toLowerCase() : undefined;
};

/** Route objects under `payload` (or the top level) of every embedded-data script. */
export function readEmbeddedRoutes(root: ParentNode): Json[] {
  const routes: Json[] = [];
  for (const script of scriptsOf(root)) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    if (!isObj(data)) continue;
    const payload = isObj(data.payload) ? data.payload : data;
    for (const value of Object.values(payload)) if (isObj(value)) routes.push(value);
  }
  return routes;
}

/** Documents and elements look up by tag name; a fragment (and some DOM stand-ins) cannot. */
function hasTagLookup(root: ParentNode): root is ParentNode & Pick<Element, 'getElementsByTagName'> {
  return 'getElementsByTagName' in root && typeof root.getElementsByTagName === 'function';
}

/** The page-data scripts; by tag name where the DOM offers it (far cheaper than a selector scan). */
function scriptsOf(root: ParentNode): Element[] {
  if (hasTagLookup(root)) {
    const out: Element[] = [];
    const all = root.getElementsByTagName('script');
    for (let i = 0; i < all.length; i++) {
      const s = all[i];
      if (!s) continue;
      if (s.matches(anyOf(embeddedData))) out.push(s);
    }
    return out;
  }
  return [...root.querySelectorAll(anyOf(embeddedData))];
}

export function readEmbedded(root: ParentNode): EmbeddedDiff {
  const result: EmbeddedDiff = { files: [], moreToLoad: false };
  try {
    for (const route of readEmbeddedRoutes(root)) readRoute(route, result);
  } catch {
    // Unexpected shapes leave whatever was read so far.
  }
  return result;
}

function readRoute(route: Json, out: EmbeddedDiff): void {
  // Summaries first: they list every file in page order; contents add lines and old paths.
  const entries = [route.diffEntryData, route.diffSummaries, route.diffContents].filter((list): list is unknown[] => Array.isArray(list));
  if (entries.length === 0) return;

  const byKey = new Map<string, EmbeddedFile>();
  for (const list of entries) {
    for (const raw of list) {
      if (!isObj(raw)) continue;
      const file = readEntry(raw);
      if (!file) continue;
      const key = file.digest ?? file.path;
      const prev = byKey.get(key);
      byKey.set(key, prev ? mergeEntry(prev, file) : file);
    }
  }
  for (const f of byKey.values()) {
    const i = out.files.findIndex((g) => (f.digest && g.digest === f.digest) || g.path === f.path);
    const prev = out.files[i];
    if (prev) out.files[i] = mergeEntry(prev, f);
    else out.files.push(f);
  }

  const commit = isObj(route.commit) ? route.commit : null;
  if (commit) {
    out.headSha ??= sha(commit.oid) ?? sha(commit.sha2);
    const parents = Array.isArray(commit.parents) ? commit.parents : [];
    out.baseSha ??= sha(commit.sha1) ?? sha(parents[0]) ?? (isObj(parents[0]) ? sha(parents[0].oid) : undefined);
  }
  const comparison = isObj(route.comparison) ? route.comparison : null;
  const full = comparison && isObj(comparison.fullDiff) ? comparison.fullDiff : comparison;
  if (full) {
    out.baseSha ??= sha(full.baseOid) ?? sha(full.startOid);
    out.headSha ??= sha(full.headOid) ?? sha(full.endOid);
  }
  if (route.moreDiffsToLoad === true) out.moreToLoad = true;
  const header = isObj(route.headerInfo) ? route.headerInfo : null;
  const total = num(header?.filesChanged) ?? num(route.filesChangedCount) ?? num(route.totalFileCount);
  if (total !== undefined) out.totalFiles = Math.max(out.totalFiles ?? 0, total);
}

const STATUS: Record<string, FileStatus> = {
  ADDED: 'added',
  MODIFIED: 'modified',
  CHANGED: 'modified',
  REMOVED: 'deleted',
  DELETED: 'deleted',
  RENAMED: 'renamed',
  COPIED: 'added',
};

function readEntry(raw: Json): EmbeddedFile | null {
  const oldTree = isObj(raw.oldTreeEntry) ? raw.oldTreeEntry : null;
  const newTree = isObj(raw.newTreeEntry) ? raw.newTreeEntry : null;
  const path = cleanPath(str(raw.path) ?? str(newTree?.path) ?? str(oldTree?.path) ?? '');
  if (!path) return null;
  const oldPath = cleanPath(str(raw.oldPath) ?? str(raw.previousPath) ?? str(raw.previousFilename) ?? str(oldTree?.path) ?? '');
  const statusText = (str(raw.status) ?? str(raw.changeType) ?? '').toUpperCase();
  const file: EmbeddedFile = {
    path,
    status: STATUS[statusText] ?? null,
    hunks: Array.isArray(raw.diffLines) ? linesToHunks(raw.diffLines) : null,
    binary: raw.isBinary === true,
    tooLarge: raw.isTooBig === true || (typeof raw.truncatedReason === 'string' && raw.truncatedReason.length > 0),
  };
  if (oldPath && oldPath !== path) {
    file.oldPath = oldPath;
    file.status ??= 'renamed';
  }
  const digest = str(raw.pathDigest);
  if (digest) file.digest = digest;
  const a = num(raw.linesAdded) ?? num(raw.additions);
  const d = num(raw.linesDeleted) ?? num(raw.deletions);
  if (a !== undefined) file.additions = a;
  if (d !== undefined) file.deletions = d;
  return file;
}

function mergeEntry(a: EmbeddedFile, b: EmbeddedFile): EmbeddedFile {
  const merged: EmbeddedFile = {
    ...a,
    status: a.status ?? b.status,
    hunks: a.hunks && a.hunks.length > 0 ? a.hunks : (b.hunks ?? a.hunks),
    binary: a.binary || b.binary,
    tooLarge: a.tooLarge || b.tooLarge,
  };
  if (!merged.oldPath && b.oldPath) merged.oldPath = b.oldPath;
  if (!merged.digest && b.digest) merged.digest = b.digest;
  merged.additions ??= b.additions;
  merged.deletions ??= b.deletions;
  return merged;
}

function linesToHunks(lines: unknown[]): DiffHunk[] {
  const builder = new HunkBuilder();
  for (const raw of lines) {
    if (!isObj(raw)) continue;
    const type = (str(raw.type) ?? '').toUpperCase();
    const text = typeof raw.text === 'string' ? raw.text : '';
    if (type === 'HUNK') {
      builder.startHunk(text);
      continue;
    }
    // The text keeps its diff marker as first character.
    const body = text.length > 0 && (text[0] === ' ' || text[0] === '+' || text[0] === '-') ? text.slice(1) : text;
    const left = num(raw.left) ?? null;
    const right = num(raw.right) ?? null;
    let line;
    if (type === 'ADDITION') line = builder.push('addition', null, right, body);
    else if (type === 'DELETION') line = builder.push('deletion', left, null, body);
    else if (type.includes('CONTEXT')) line = builder.push('context', left, right, body);
    else continue;
    if (line && raw.displayNoNewLineWarning === true) line.noNewlineAtEnd = true;
  }
  return builder.finish();
}

/** An embedded file as a DiffFile when the data has its lines; null when it does not. */
export function embeddedToDiffFile(f: EmbeddedFile): DiffFile | null {
  if (f.binary) return withCounts({ path: f.path, status: 'binary', hunks: [], source: 'embedded-data' }, f);
  if (!f.hunks || (f.hunks.length === 0 && !f.status)) return null;
  const file: DiffFile = { path: f.path, status: f.status ?? 'modified', hunks: f.hunks, source: 'embedded-data' };
  return withCounts(file, f);
}

function withCounts(file: DiffFile, f: EmbeddedFile): DiffFile {
  if (f.oldPath) file.oldPath = f.oldPath;
  if (f.additions !== undefined) file.additions = f.additions;
  if (f.deletions !== undefined) file.deletions = f.deletions;
  return file;
}
