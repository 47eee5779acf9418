/**
 * The diff extraction facade: a page (Document) and its URL in, a PullRequestDiff or a reason out.
 *
 * Picks the layout the page uses (classic DOM, React DOM + its embedded data), fills `missing[]`
 * with every file it could not read, and never throws. The async entry point slices the work so
 * the page stays responsive; the sync one is for tests and the CLI.
 */
import type { DiffFile, MissingPart, PullRequestDiff, PullRequestRef } from '../model/diff';
import { readClassic } from './extract-classic';
import { embeddedToDiffFile, readEmbedded, type EmbeddedDiff, type EmbeddedFile } from './extract-embedded';
import { readReact, type ReactFile } from './extract-react';
import { REASONS, runSliced, runSync, type LayoutResult, type SliceStats, type Work } from './extract-shared';
import { detectPage, type PageInfo } from './page-detect';
import { anyOf, classic, pageUrlMeta, selectedPrTab } from './selectors';

export { REASONS } from './extract-shared';
export type { SliceStats } from './extract-shared';

export type DiffLayout = 'classic' | 'react' | 'embedded';

export type ExtractOutcome =
  | { ok: true; diff: PullRequestDiff; page: PageInfo; layout: DiffLayout }
  /** `reason` is one of REASONS' values: noDiff, unreadable or unknownPage. */
  | { ok: false; reason: string; page: PageInfo | null };

export interface ExtractOptions {
  /** Main-thread time per slice before giving the event loop a turn (ms). Default 8. */
  sliceBudgetMs?: number;
  /** Filled with the slicing figures when given (for the benchmark). */
  stats?: SliceStats;
}

/** Extract the diff the page shows, in slices of at most ~`sliceBudgetMs` of main-thread work. */
export async function extractPullRequestDiff(root: ParentNode, url: string, options: ExtractOptions = {}): Promise<ExtractOutcome> {
  try {
    return await runSliced(extractWork(root, url), options.sliceBudgetMs ?? 8, options.stats);
  } catch {
    return { ok: false, reason: REASONS.unreadable, page: safeDetect(url) };
  }
}

/** Same result in one go (tests, CLI, benchmarks of raw speed). */
export function extractPullRequestDiffSync(root: ParentNode, url: string): ExtractOutcome {
  try {
    return runSync(extractWork(root, url));
  } catch {
    return { ok: false, reason: REASONS.unreadable, page: safeDetect(url) };
  }
}

function safeDetect(url: string): PageInfo | null {
  try {
    return detectPage(url);
  } catch {
    return null;
  }
}

function* extractWork(root: ParentNode, url: string): Work<ExtractOutcome> {
  const page = detectPage(url);
  if (!page) return { ok: false, reason: REASONS.unknownPage, page: null };
  // Review-thread snippets on these tabs look like diffs but are not the PR's diff.
  if (page.kind === 'pr-conversation' || page.kind === 'pr-commits') return { ok: false, reason: REASONS.noDiff, page };

  // The classic list has an id, found without scanning the page; try it first.
  let classicResult: LayoutResult | null = null;
  if (root.querySelector(classic.filesContainer)) {
    classicResult = yield* readClassic(root);
    if (classicResult.fileCount === 0 && classicResult.missing.length === 0) classicResult = null;
  }

  let layout: DiffLayout;
  let files: DiffFile[];
  let missing: MissingPart[];
  let embedded: EmbeddedDiff | null = null;
  if (classicResult) {
    ({ files, missing } = classicResult);
    layout = 'classic';
  } else {
    const reactResult = yield* readReact(root);
    yield;
    embedded = readEmbedded(root);
    yield;
    if (reactResult.fileCount > 0 || embedded.files.length > 0) {
      ({ files, missing } = mergeReact(reactResult, embedded));
      layout = reactResult.fileCount > 0 ? 'react' : 'embedded';
    } else {
      // Neither layout's containers: maybe classic files outside #files (older pages).
      const loose = yield* readClassic(root);
      if (loose.fileCount === 0 && loose.missing.length === 0) return { ok: false, reason: REASONS.unreadable, page };
      ({ files, missing } = loose);
      layout = 'classic';
    }
  }

  const ref: PullRequestRef = { owner: page.owner, repo: page.repo, number: page.number };
  const shas = layout === 'classic' ? classicShas(root, page) : { base: embedded?.baseSha, head: embedded?.headSha };
  if (shas.base) ref.baseSha = shas.base;
  if (shas.head) ref.headSha = shas.head;
  return { ok: true, diff: { ref, files, missing: dedupeMissing(missing) }, page, layout };
}

/** DOM files first-class; the embedded data fills statuses, old paths and files the DOM lacks. */
function mergeReact(dom: LayoutResult & { files: ReactFile[] }, embedded: EmbeddedDiff | null): { files: DiffFile[]; missing: MissingPart[] } {
  let missing = [...dom.missing];
  if (!embedded || embedded.files.length === 0) return { files: dom.files.map(stripDigest), missing };

  const domByKey = new Map<string, ReactFile>();
  for (const f of dom.files) {
    domByKey.set('p:' + f.path, f);
    if (f.digest) domByKey.set('d:' + f.digest, f);
  }
  const used = new Set<ReactFile>();
  const files: DiffFile[] = [];
  for (const e of embedded.files) {
    const d = (e.digest ? domByKey.get('d:' + e.digest) : undefined) ?? domByKey.get('p:' + e.path);
    if (d && !used.has(d)) {
      used.add(d);
      const merged = enrich(d, e);
      if (merged.source === 'embedded-data') missing = missing.filter((m) => m.path !== d.path);
      files.push(merged);
      continue;
    }
    const fromData = embeddedToDiffFile(e);
    if (fromData) {
      files.push(fromData);
      continue;
    }
    const notLoaded: DiffFile = { path: e.path, status: e.tooLarge ? 'too-large' : 'not-loaded', hunks: [], source: 'embedded-data' };
    if (e.oldPath) notLoaded.oldPath = e.oldPath;
    if (e.additions !== undefined) notLoaded.additions = e.additions;
    if (e.deletions !== undefined) notLoaded.deletions = e.deletions;
    files.push(notLoaded);
    missing.push({ path: e.path, reason: e.tooLarge ? REASONS.tooLarge : REASONS.notLoaded });
  }
  for (const d of dom.files) if (!used.has(d)) files.push(stripDigest(d));

  const listed = embedded.files.length;
  if (embedded.totalFiles !== undefined && embedded.totalFiles > listed) {
    const n = embedded.totalFiles - listed;
    missing.push({ path: null, reason: `${n} more file${n === 1 ? '' : 's'} not listed on the page` });
  }
  return { files, missing };
}

function enrich(d: ReactFile, e: EmbeddedFile): DiffFile {
  const file = stripDigest(d);
  // The DOM did not get the lines but the page data has them.
  if ((file.status === 'not-loaded' || file.status === 'too-large') && e.hunks && e.hunks.length > 0) {
    const fromData = embeddedToDiffFile(e);
    if (fromData) return fromData;
  }
  if (!file.oldPath && e.oldPath) file.oldPath = e.oldPath;
  if (e.binary) file.status = 'binary';
  else if (e.status && (file.status === 'modified' || file.status === 'renamed')) {
    // Only the page data knows added/deleted for sure; keep what the DOM says otherwise.
    if (e.status === 'added' || e.status === 'deleted' || (e.status === 'renamed' && file.oldPath)) file.status = e.status;
  }
  if (file.status === 'not-loaded' || file.status === 'too-large') {
    if (e.additions !== undefined) file.additions = e.additions;
    if (e.deletions !== undefined) file.deletions = e.deletions;
  }
  return file;
}

function stripDigest(f: ReactFile): DiffFile {
  const { digest: _digest, ...file } = f;
  return file;
}

function dedupeMissing(list: MissingPart[]): MissingPart[] {
  const seen = new Set<string>();
  const out: MissingPart[] = [];
  for (const m of list) {
    const key = `${m.path ?? ''}\u0000${m.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;

function classicShas(root: ParentNode, page: PageInfo): { base?: string; head?: string } {
  if (page.kind === 'commit' || page.kind === 'pr-commit') {
    const own = root.querySelector(classic.commitSha)?.textContent?.trim() ?? '';
    const parentHref = root.querySelector(classic.commitParent)?.getAttribute('href') ?? '';
    const parent = /\/commit\/([0-9a-f]{40})/i.exec(parentHref)?.[1];
    const out: { base?: string; head?: string } = {};
    if (FULL_SHA.test(own)) out.head = own.toLowerCase();
    else if (page.sha && FULL_SHA.test(page.sha)) out.head = page.sha;
    if (parent) out.base = parent.toLowerCase();
    return out;
  }
  const el = root.querySelector(anyOf(classic.comparisonUrl));
  const raw = el?.getAttribute('src') ?? el?.getAttribute('data-url');
  if (!raw) return {};
  try {
    const q = new URL(raw, 'https://github.com').searchParams;
    const base = q.get('sha1') ?? q.get('base_commit_oid') ?? q.get('base_sha');
    const head = q.get('sha2') ?? q.get('end_commit_oid');
    const out: { base?: string; head?: string } = {};
    if (base && FULL_SHA.test(base)) out.base = base.toLowerCase();
    if (head && FULL_SHA.test(head)) out.head = head.toLowerCase();
    return out;
  } catch {
    return {};
  }
}

/**
 * The URL a saved page was served from: the selected PR tab (a saved Files tab says the
 * Conversation URL in og:url), else the canonical link, else og:url. Null when none.
 */
export function pageUrlFromDocument(doc: ParentNode): string | null {
  const base = metaUrl(doc) ?? 'https://github.com/';
  const tab = doc.querySelector(anyOf(selectedPrTab))?.getAttribute('href');
  try {
    if (tab) return new URL(tab, base).href;
  } catch {
    // fall through to the meta URL
  }
  return metaUrl(doc);
}

function metaUrl(doc: ParentNode): string | null {
  for (const sel of pageUrlMeta) {
    const el = doc.querySelector(sel);
    const v = el?.getAttribute('href') ?? el?.getAttribute('content');
    if (v) {
      try {
        return new URL(v, 'https://github.com/').href;
      } catch {
        continue;
      }
    }
  }
  return null;
}
