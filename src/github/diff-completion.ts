/**
 * Completing a diff the page showed only in part. Pure: no DOM, no fetch.
 *
 * The extractors already say what they could not read (`missing[]`: "Load diff" placeholders,
 * classic progressive loaders, React files listed only in the page data). This module decides
 * whether completion is needed, which URLs can fill the gaps (the background fetches them with
 * the user's session), and merges what comes back: files read from the page stay as they are,
 * the gaps are filled from the `.diff` endpoint or, last, the REST files list.
 */
import type { DiffFile, FileStatus, MissingPart, PullRequestDiff, PullRequestRef } from '../model/diff';
import type { PageInfo } from './page-detect';

const UNREAD: ReadonlySet<FileStatus> = new Set<FileStatus>(['not-loaded', 'too-large']);

/** A file whose lines were not read (its status says so and it has no hunks). */
export function isUnread(file: DiffFile): boolean {
  return UNREAD.has(file.status) && file.hunks.length === 0;
}

export interface CompletionNeed {
  /** Nothing to fetch. */
  complete: boolean;
  /** Files listed on the page whose lines are missing. */
  paths: string[];
  /** The page holds files it did not even list (progressive loaders, "N more files"). */
  unlistedFiles: boolean;
}

export function completionNeed(diff: PullRequestDiff): CompletionNeed {
  const paths = new Set<string>();
  for (const f of diff.files) if (isUnread(f)) paths.add(f.path);
  let unlistedFiles = false;
  for (const m of diff.missing) {
    if (m.path === null) unlistedFiles = true;
    else if (diff.files.some((f) => f.path === m.path && isUnread(f))) paths.add(m.path);
  }
  return { complete: paths.size === 0 && !unlistedFiles, paths: [...paths], unlistedFiles };
}

/** What the page shows, when it is not the whole PR (`/files/SHA`, `/files/A..B`, one commit). */
export type ViewScope = Pick<PageInfo, 'kind' | 'sha' | 'range'>;

const SAFE = /^[\w.-]+$/;

/** `owner/repo` for a github.com URL, or null when either part is not safe to put in one. */
export function repoBase(ref: Pick<PullRequestRef, 'owner' | 'repo'>): string | null {
  if (!SAFE.test(ref.owner) || !SAFE.test(ref.repo)) return null;
  return `${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.repo)}`;
}

/**
 * The `.diff` URL for exactly what the page shows: the PR, a commit, or a range
 * (`/compare/A..B.diff`, so that a range view is not completed with files from the whole PR).
 * Null when the ref does not say enough.
 */
export function diffEndpointUrl(ref: PullRequestRef, scope?: ViewScope): string | null {
  const base = repoBase(ref);
  if (!base) return null;
  if (scope?.range && /^[0-9a-f]{7,40}\.{2,3}[0-9a-f]{7,40}$/i.test(scope.range)) {
    return `https://github.com/${base}/compare/${scope.range}.diff`;
  }
  const commitSha = scope?.sha ?? (ref.number === null ? ref.headSha : undefined);
  if (commitSha && /^[0-9a-f]{7,40}$/i.test(commitSha)) return `https://github.com/${base}/commit/${commitSha}.diff`;
  if (ref.number !== null && Number.isInteger(ref.number) && ref.number > 0) return `https://github.com/${base}/pull/${ref.number}.diff`;
  return null;
}

/** One page (1-based, 100 files each) of the REST files list of the PR or commit. */
export function restFilesUrl(ref: PullRequestRef, page: number): string | null {
  const base = repoBase(ref);
  if (!base || !Number.isInteger(page) || page < 1) return null;
  if (ref.number !== null && Number.isInteger(ref.number) && ref.number > 0) {
    return `https://api.github.com/repos/${base}/pulls/${ref.number}/files?per_page=100&page=${page}`;
  }
  if (ref.headSha && /^[0-9a-f]{7,40}$/i.test(ref.headSha)) {
    return `https://api.github.com/repos/${base}/commits/${ref.headSha}?per_page=100&page=${page}`;
  }
  return null;
}

/**
 * URLs to try, best first: the `.diff` endpoint, then REST pages 1..`restPages` (the REST list
 * stops at 3000 files = 30 pages; stop early when a page has fewer than 100 files).
 * REST cannot show a range or one commit of a PR, so it is only offered for the whole PR or a commit page.
 */
export function completionUrls(ref: PullRequestRef, scope?: ViewScope, restPages = 30): string[] {
  const urls: string[] = [];
  const diff = diffEndpointUrl(ref, scope);
  if (diff) urls.push(diff);
  const partialView = !!scope?.range || (!!scope?.sha && ref.number !== null);
  if (!partialView) {
    for (let p = 1; p <= restPages; p++) {
      const u = restFilesUrl(ref, p);
      if (u) urls.push(u);
    }
  }
  return urls;
}

function keyPaths(f: DiffFile): string[] {
  return f.oldPath ? [f.path, f.oldPath] : [f.path];
}

/**
 * Fill the files the page did not give with the endpoint's files (from parseUnifiedDiff(text,
 * 'diff-endpoint') or fromRestFiles). Files read from the page keep their lines (they are what
 * the reviewer sees, hunks merged the way GitHub shows them) and only gain what the page could
 * not tell (added/deleted/renamed, modes). Files only the endpoint has are added after them.
 */
export function mergeWithDiffText(domDiff: PullRequestDiff, endpointFiles: DiffFile[]): PullRequestDiff {
  const byPath = new Map<string, DiffFile>();
  for (const f of endpointFiles) for (const p of keyPaths(f)) if (!byPath.has(p)) byPath.set(p, f);
  const used = new Set<DiffFile>();
  const filled = new Set<string>();

  const files: DiffFile[] = domDiff.files.map((dom) => {
    const ep = byPath.get(dom.path) ?? (dom.oldPath ? byPath.get(dom.oldPath) : undefined);
    if (!ep) return dom;
    used.add(ep);
    if (isUnread(dom) && !isUnread(ep)) {
      filled.add(dom.path);
      return ep;
    }
    const kept: DiffFile = { ...dom };
    if (kept.status === 'modified' && ep.status !== 'modified' && !UNREAD.has(ep.status)) kept.status = ep.status;
    if (!kept.oldPath && ep.oldPath) {
      kept.oldPath = ep.oldPath;
      if (kept.status === 'modified') kept.status = 'renamed';
    }
    if (kept.oldMode === undefined && ep.oldMode !== undefined) kept.oldMode = ep.oldMode;
    if (kept.newMode === undefined && ep.newMode !== undefined) kept.newMode = ep.newMode;
    return kept;
  });
  let added = 0;
  for (const ep of endpointFiles) {
    if (used.has(ep)) continue;
    if (files.some((f) => keyPaths(f).includes(ep.path))) continue;
    files.push(ep);
    added++;
  }

  const missing: MissingPart[] = [];
  for (const m of domDiff.missing) {
    if (m.path !== null && filled.has(m.path)) continue;
    // "More files than listed": answered when the endpoint gave the list.
    if (m.path === null && endpointFiles.length > 0 && (added > 0 || endpointFiles.length >= domDiff.files.length)) continue;
    missing.push(m);
  }
  // Files the endpoint itself lacks lines for are reported by its reader (fromRestFiles' missing).
  return { ref: domDiff.ref, files, missing };
}
