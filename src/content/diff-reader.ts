/**
 * Gets the PR's diff for a review: what the page shows (read from the DOM, in slices), completed
 * from GitHub's own `.diff` for whatever the page has not loaded, and from the REST file list
 * when the `.diff` endpoint refuses (406 beyond 300 files / 20k lines). Tabs that show no diff
 * (Conversation, Commits) go straight to the endpoint: review-thread snippets are not the diff.
 * The result always says what it could not get.
 */
import type { DiffFile, MissingPart, PullRequestDiff, PullRequestRef } from '../model/diff';
import type { PageInfo } from '../github/page-detect';
import { extractPullRequestDiff } from '../github/extract';
import { completionNeed, mergeWithDiffText, type ViewScope } from '../github/diff-completion';
import type { ReviewFailure } from '../protocol';
import { ask } from './extension-services';

export type DiffReadResult = { diff: PullRequestDiff } | { failure: ReviewFailure };

/** The REST list stops at 3000 files (30 pages of 100). */
const MAX_REST_PAGES = 30;

function refOf(info: PageInfo): PullRequestRef {
  return { owner: info.owner, repo: info.repo, number: info.number, ...(info.number === null && info.sha ? { headSha: info.sha } : {}) };
}

function scopeOf(info: PageInfo): ViewScope {
  return { kind: info.kind, ...(info.sha ? { sha: info.sha } : {}), ...(info.range ? { range: info.range } : {}) };
}

/** Pages whose DOM may hold the diff; the others only show snippets or lists. */
function pageShowsDiff(info: PageInfo): boolean {
  return info.kind === 'pr-files' || info.kind === 'pr-commit' || info.kind === 'commit';
}

async function restFiles(ref: PullRequestRef): Promise<{ files: DiffFile[]; missing: MissingPart[] } | { error: string }> {
  const files: DiffFile[] = [];
  const missing: MissingPart[] = [];
  for (let page = 1; page <= MAX_REST_PAGES; page++) {
    const answer = await ask({ kind: 'rest/files', ref, page });
    if (!answer.ok) return files.length ? { files, missing: [...missing, { path: null, reason: `file list stopped at page ${page}: ${answer.message}` }] } : { error: answer.message };
    files.push(...answer.files);
    missing.push(...answer.missing);
    if (!answer.hasNext) return { files, missing };
  }
  return { files, missing: [...missing, { path: null, reason: 'more than 3,000 files: GitHub lists no more' }] };
}

export async function readPullRequestDiff(doc: Document, url: string, info: PageInfo): Promise<DiffReadResult> {
  let fromPage: PullRequestDiff | null = null;
  let pageReason = 'This tab shows no diff.';
  if (pageShowsDiff(info)) {
    const outcome = await extractPullRequestDiff(doc, url);
    if (outcome.ok) fromPage = outcome.diff;
    else pageReason = outcome.reason;
  }
  if (fromPage && fromPage.files.length > 0 && completionNeed(fromPage).complete) return { diff: fromPage };

  const ref = fromPage?.ref ?? refOf(info);
  const scope = scopeOf(info);
  const fetched = await ask({ kind: 'diff/fetch', ref, scope });
  if (fetched.ok) {
    const files = fetched.files;
    if (fromPage) return { diff: mergeWithDiffText(fromPage, files) };
    if (files.length === 0) return { failure: { code: 'no-diff', message: 'This pull request has no changes to review.', retryable: false } };
    return { diff: { ref, files, missing: [] } };
  }

  // The .diff endpoint refused: the REST list is the last resort (whole PRs and commits only).
  const wholeView = !scope.range && !(scope.sha && ref.number !== null);
  if (wholeView) {
    const rest = await restFiles(ref);
    if (!('error' in rest) && rest.files.length > 0) {
      const base: PullRequestDiff = fromPage ?? { ref, files: [], missing: [] };
      const merged = mergeWithDiffText(base, rest.files);
      return { diff: { ...merged, missing: [...merged.missing, ...rest.missing] } };
    }
  }
  if (fromPage && fromPage.files.length > 0) {
    // An explicit partial result: what the page showed, and what could not be had.
    return { diff: { ...fromPage, missing: [...fromPage.missing, { path: null, reason: `the rest could not be fetched: ${fetched.message}` }] } };
  }
  return {
    failure: {
      code: 'no-diff',
      message: `Could not read the diff. ${pageReason} ${fetched.message}`.trim(),
      nextStep: 'Open the "Files changed" tab and try again.',
      retryable: true,
    },
  };
}
