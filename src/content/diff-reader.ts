/**
 * Reads the PR's diff for a review from the page (from the DOM, in slices) and says what the page
 * did not show: files behind "Load diff" or a progressive loader, or, on tabs that show no diff
 * (Conversation, Commits: review-thread snippets are not the diff), everything. That need travels
 * once, on the diff itself (`completion`, src/protocol.ts), with the review request; the
 * background completes the diff from GitHub's `.diff` or REST file list and hands the whole diff
 * to the engine host (src/background/diff-completer.ts). Nothing comes back here: the content
 * script carries no diff parser and no merge.
 */
import type { PullRequestRef } from '../model/diff';
import type { PageInfo } from '../github/page-detect';
import { extractPullRequestDiff } from '../github/extract';
import { completionNeed, diffEndpointUrl, type CompletionNeed, type ViewScope } from '../github/diff-completion';
import type { PageDiff, ReviewFailure } from '../protocol';

/** The need of a page that listed no files: the whole diff is to be fetched. */
const EVERYTHING: CompletionNeed = { complete: false, paths: [], unlistedFiles: true };

export type DiffReadResult = { diff: PageDiff } | { failure: ReviewFailure };

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

export async function readPullRequestDiff(doc: Document, url: string, info: PageInfo): Promise<DiffReadResult> {
  const scope = scopeOf(info);
  let pageReason = 'This tab shows no diff.';
  if (pageShowsDiff(info)) {
    const outcome = await extractPullRequestDiff(doc, url);
    if (outcome.ok) {
      // A page diff without files is completed too: the page has not listed its files yet.
      const need = outcome.diff.files.length > 0 ? completionNeed(outcome.diff) : EVERYTHING;
      return { diff: need.complete ? outcome.diff : { ...outcome.diff, completion: { scope, need } } };
    }
    pageReason = outcome.reason;
  }
  const ref = refOf(info);
  if (!diffEndpointUrl(ref, scope)) {
    // Nothing on the page, and nothing the background could fetch either.
    return { failure: { code: 'no-diff', message: `Could not read the diff. ${pageReason} This page does not say which pull request or commit it shows.`, nextStep: 'Open the "Files changed" tab and try again.', retryable: true } };
  }
  return { diff: { ref, files: [], missing: [], completion: { scope, need: EVERYTHING, pageReason } } };
}
