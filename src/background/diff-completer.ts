/**
 * Completes the diff a content script read from its page, in the background, before the engine
 * host sees it: the content script sends what the page showed and what is missing (`completion`,
 * src/protocol.ts) once, with its review or follow-up request; this fetches the rest with the
 * user's GitHub session (private repositories work; the page itself cannot read
 * patch-diff.githubusercontent.com) and merges it (src/github/diff-completion.ts).
 *
 * GitHub's `.diff` for exactly what the page shows comes first; when it refuses (406 beyond 300
 * files or 20,000 lines, or any other failure) the REST file list is the last resort, for whole
 * PRs and commits only (it cannot show a range). The result always says what it could not get:
 * each part that could not be had is a `missing` entry, which the review shows as a note.
 */
import type { DiffFile, MissingPart, PullRequestDiff, PullRequestRef } from '../model/diff';
import type { DiffCompletion, PageDiff, ReviewFailure } from '../protocol';
import { diffEndpointUrl, mergeWithDiffText, restFilesUrl, type ViewScope } from '../github/diff-completion';
import { parseUnifiedDiff } from '../github/diff-text';
import { fromRestFiles } from '../github/rest-files';

/** The network boundary: `fetch` in the extension, a fake in unit tests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type Completed = { ok: true; diff: PullRequestDiff } | { ok: false; failure: ReviewFailure };

/** The REST list stops at 3000 files (30 pages of 100). */
const MAX_REST_PAGES = 30;
/** Follow-up questions reuse what a review fetched for this long (REST is rate-limited: 60 requests an hour without a token). */
const REUSE_MS = 10 * 60 * 1000;
const REUSE_ENTRIES = 4;

type Fetched = { ok: true; files: DiffFile[]; missing: MissingPart[] } | { ok: false; message: string };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function fetchDiffText(fetchFn: FetchLike, ref: PullRequestRef, scope: ViewScope): Promise<Fetched> {
  // The URL is built here from validated parts, never taken from the page.
  const url = diffEndpointUrl(ref, scope);
  if (!url) return { ok: false, message: 'This page does not say which pull request or commit it shows.' };
  try {
    const response = await fetchFn(url, { credentials: 'include', headers: { Accept: 'text/plain' } });
    if (!response.ok) {
      return {
        ok: false,
        message:
          response.status === 406 ? 'GitHub will not produce a diff this large (over 300 files or 20,000 lines).' : `GitHub answered ${response.status} for the diff.`,
      };
    }
    return { ok: true, files: parseUnifiedDiff(await response.text(), 'diff-endpoint'), missing: [] };
  } catch (error) {
    return { ok: false, message: `The diff could not be fetched: ${describe(error)}` };
  }
}

type RestPage = { ok: true; files: DiffFile[]; missing: MissingPart[]; hasNext: boolean } | { ok: false; message: string };

async function fetchRestPage(fetchFn: FetchLike, ref: PullRequestRef, page: number): Promise<RestPage> {
  const url = restFilesUrl(ref, page);
  if (!url) return { ok: false, message: 'This page does not say which pull request it shows.' };
  try {
    // No cookies: api.github.com does not use the web session; anonymous requests are rate-limited.
    const response = await fetchFn(url, { headers: { Accept: 'application/vnd.github+json' } });
    if (!response.ok) return { ok: false, message: `GitHub's API answered ${response.status}.` };
    const { files, missing } = fromRestFiles(await response.json());
    return { ok: true, files, missing, hasNext: /rel="next"/.test(response.headers.get('link') ?? '') };
  } catch (error) {
    return { ok: false, message: `GitHub's API could not be reached: ${describe(error)}` };
  }
}

/** Every page of the REST file list; a page that fails ends the list with a note (or fails, on page 1). */
async function fetchRestFiles(fetchFn: FetchLike, ref: PullRequestRef): Promise<Fetched> {
  const files: DiffFile[] = [];
  const missing: MissingPart[] = [];
  for (let page = 1; page <= MAX_REST_PAGES; page++) {
    const answer = await fetchRestPage(fetchFn, ref, page);
    if (!answer.ok) return files.length ? { ok: true, files, missing: [...missing, { path: null, reason: `file list stopped at page ${page}: ${answer.message}` }] } : answer;
    files.push(...answer.files);
    missing.push(...answer.missing);
    if (!answer.hasNext) return { ok: true, files, missing };
  }
  return { ok: true, files, missing: [...missing, { path: null, reason: 'more than 3,000 files: GitHub lists no more' }] };
}

/** REST cannot show a range or one commit of a PR: it is offered for whole PRs and commit pages. */
function wholeView(ref: PullRequestRef, scope: ViewScope): boolean {
  return !scope.range && !(scope.sha && ref.number !== null);
}

/** The `.diff`, else the REST list; a failure is the `.diff`'s (what the user is told). */
async function fetchRest(fetchFn: FetchLike, ref: PullRequestRef, scope: ViewScope): Promise<Fetched> {
  const fetched = await fetchDiffText(fetchFn, ref, scope);
  if (fetched.ok || !wholeView(ref, scope)) return fetched;
  const rest = await fetchRestFiles(fetchFn, ref);
  return rest.ok && rest.files.length > 0 ? rest : fetched;
}

/** Merges what was fetched into what the page showed, or says why there is nothing to review. */
function merge(page: PullRequestDiff, completion: DiffCompletion, fetched: Fetched): Completed {
  // `pageReason` is set when the page gave no diff at all: then the fetched files are the diff.
  const pageRead = completion.pageReason === undefined;
  if (fetched.ok) {
    if (pageRead) {
      const merged = mergeWithDiffText(page, fetched.files);
      return { ok: true, diff: { ...merged, missing: [...merged.missing, ...fetched.missing] } };
    }
    if (fetched.files.length === 0) return { ok: false, failure: { code: 'no-diff', message: 'This pull request has no changes to review.', retryable: false } };
    return { ok: true, diff: { ref: page.ref, files: fetched.files, missing: fetched.missing } };
  }
  // An explicit partial result: what the page showed, and what could not be had.
  if (pageRead && page.files.length > 0) {
    return { ok: true, diff: { ...page, missing: [...page.missing, { path: null, reason: `the rest could not be fetched: ${fetched.message}` }] } };
  }
  return {
    ok: false,
    failure: {
      code: 'no-diff',
      message: `Could not read the diff. ${completion.pageReason ?? 'This tab shows no diff.'} ${fetched.message}`.trim(),
      nextStep: 'Open the "Files changed" tab and try again.',
      retryable: true,
    },
  };
}

function withoutCompletion(diff: PageDiff): PullRequestDiff {
  const { completion: _completion, ...plain } = diff;
  return plain;
}

export interface DiffCompleter {
  /**
   * The whole diff, or why there is none. `reuse`: a follow-up question may take what a review
   * fetched for the same view in the last minutes (a review always fetches afresh).
   */
  complete(diff: PageDiff, options?: { reuse?: boolean }): Promise<Completed>;
}

export function createDiffCompleter(fetchFn: FetchLike = (url, init) => fetch(url, init), now: () => number = Date.now): DiffCompleter {
  /** The last fetches by URL, with the head commit they were made for when the request said it. */
  const recent = new Map<string, { at: number; head: string | undefined; fetched: Fetched }>();
  const reusable = (url: string, head: string | undefined): Fetched | null => {
    const kept = recent.get(url);
    // A head on both sides must agree (new commits change the .diff); the content script's own copy of the diff may lack one.
    if (!kept || now() - kept.at >= REUSE_MS || (head && kept.head && head !== kept.head)) return null;
    return kept.fetched;
  };
  return {
    async complete(diff, options = {}) {
      const completion = diff.completion;
      const page = withoutCompletion(diff);
      if (!completion || completion.need.complete) return { ok: true, diff: page };
      const url = diffEndpointUrl(page.ref, completion.scope) ?? '';
      const head = page.ref.headSha;
      let fetched = options.reuse ? reusable(url, head) : null;
      if (!fetched) {
        fetched = await fetchRest(fetchFn, page.ref, completion.scope);
        if (fetched.ok) {
          recent.delete(url);
          recent.set(url, { at: now(), head, fetched });
          for (const old of recent.keys()) if (recent.size > REUSE_ENTRIES) recent.delete(old);
        }
      }
      return merge(page, completion, fetched);
    },
  };
}
