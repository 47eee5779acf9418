/**
 * Prepares an incremental review in the background, where GitHub's compare diff can be fetched
 * with the user's session: swaps the page's diff for the diff of the new commits, or, when the
 * reviewed head is gone or not an ancestor (force-push, rebase), turns the request into a full
 * review with a note saying why (see src/github/compare-diff.ts for how that is decided).
 */
import type { ReviewRequest } from '../protocol';
import { compareDiffUrls, decideCompare, type FetchedText } from '../github/compare-diff';

export type FetchText = (url: string) => Promise<FetchedText>;

/** Fetches a `.diff` with the user's GitHub session (private repositories work). */
export const fetchWithSession: FetchText = async (url) => {
  try {
    const response = await fetch(url, { credentials: 'include', headers: { Accept: 'text/plain' } });
    return response.ok ? { status: response.status, text: await response.text() } : { status: response.status };
  } catch {
    return { status: 0 };
  }
};

export async function prepareReviewRequest(request: ReviewRequest, fetchText: FetchText = fetchWithSession): Promise<ReviewRequest> {
  const incremental = request.incremental;
  if (!incremental || incremental.compare) return request;
  const head = request.diff.ref.headSha;
  const urls = head ? compareDiffUrls(request.diff.ref, incremental.baseSha, head) : null;
  const { incremental: _dropped, ...full } = request;
  if (!urls || !head) return { ...full, notes: [...(request.notes ?? []), 'Reviewed the whole pull request: its current head commit is not known, so the new commits could not be told apart.'] };
  const [threeDot, twoDot] = await Promise.all([fetchText(urls.threeDot), fetchText(urls.twoDot)]);
  const outcome = decideCompare(threeDot, twoDot, incremental.baseSha, head);
  if (!outcome.ok) return { ...full, notes: [...(request.notes ?? []), `Reviewed the whole pull request: ${outcome.reason}.`] };
  return {
    ...request,
    diff: { ref: { ...request.diff.ref, baseSha: incremental.baseSha }, files: outcome.files, missing: [] },
    incremental: { ...incremental, compare: outcome.files },
  };
}
