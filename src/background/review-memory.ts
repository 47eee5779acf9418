/**
 * Review memory in the background: the IndexedDB store (src/shared/review-store.ts) answers the
 * `reviews/*` one-shot requests of the content script and the options page. It runs here because
 * IndexedDB belongs to the context that opens it: in the content script it would be github.com's.
 */
import type { OneShotRequest, OneShotResponse } from '../protocol';
import { createReviewStore, reviewSettingsHash, type ReviewStore } from '../shared/review-store';
import { reviewToMarkdown } from '../ui/review-markdown';

type MemoryRequest = Extract<OneShotRequest, { kind: `reviews/${string}` }>;

let store: ReviewStore | null = null;
const theStore = (): ReviewStore => (store ??= createReviewStore());

function failed(error: unknown): { ok: false; message: string } {
  return { ok: false, message: error instanceof Error ? error.message : String(error) };
}

/** Answers one review-memory request; never throws (a failure comes back as `ok: false`). */
export async function handleMemoryRequest(request: MemoryRequest): Promise<OneShotResponse[MemoryRequest['kind']]> {
  try {
    switch (request.kind) {
      case 'reviews/save':
        return { ok: true, value: await theStore().saveReview({ ...request.key, settingsHash: reviewSettingsHash(request.settings) }, request.review) };
      case 'reviews/latest':
        return {
          ok: true,
          value: (await theStore().getLatestForPr(request.owner, request.repo, request.number, request.headSha)) ?? null,
        };
      case 'reviews/list':
        return { ok: true, value: await theStore().listReviews() };
      case 'reviews/delete':
        await theStore().deleteReview(request.id);
        return { ok: true, value: null };
      case 'reviews/export':
        return { ok: true, value: await theStore().exportReviews() };
      case 'reviews/markdown': {
        const { review, dismissedIds, modelName, headSha } = request;
        return {
          ok: true,
          value: reviewToMarkdown(review, { dismissedIds, ...(modelName ? { modelName } : {}), ...(headSha ? { headSha } : {}) }),
        };
      }
    }
  } catch (error) {
    return failed(error);
  }
}
