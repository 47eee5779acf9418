/**
 * What the background does to a request before the engine host gets it (the Router's
 * `Preparation`): an incremental review first swaps the page's diff for the compare diff of the
 * new commits (then the page's diff is not needed, so nothing else is fetched); otherwise the
 * page's diff is completed from GitHub (src/background/diff-completer.ts). A follow-up question's
 * diff is completed the same way, reusing what the review fetched a moment ago.
 */
import type { Preparation } from './router';
import type { DiffCompleter } from './diff-completer';
import { prepareReviewRequest, type FetchText } from './incremental-request';

export function createPreparation(completer: DiffCompleter, fetchText?: FetchText): Preparation {
  return {
    async review(request) {
      // A failed compare leaves the request as it came: a full review (as before this step existed).
      const ready = await prepareReviewRequest(request, fetchText).catch(() => request);
      const completed = await completer.complete(ready.diff);
      return completed.ok ? { ok: true, request: { ...ready, diff: completed.diff } } : completed;
    },
    async followUp(request) {
      const completed = await completer.complete(request.diff, { reuse: true });
      return completed.ok ? { ok: true, request: { ...request, diff: completed.diff } } : completed;
    },
  };
}
