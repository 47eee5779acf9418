/**
 * Review memory in the background: the IndexedDB store (src/shared/review-store.ts) answers the
 * `reviews/*` one-shot requests of the content script and the options page. It runs here because
 * IndexedDB belongs to the context that opens it: in the content script it would be github.com's.
 */
import type { OneShotRequest, OneShotResponse } from '../protocol';
import { createReviewStore, reviewSettingsHash, type ReviewStore } from '../shared/review-store';
import { reviewToMarkdown } from '../markdown/review-markdown';
import { privateSources, publicModelName, scrubSources } from '../shared/public-model-name';
import type { Settings } from '../shared/settings';

type MemoryRequest = Extract<OneShotRequest, { kind: `reviews/${string}` }>;

let store: ReviewStore | null = null;
const theStore = (): ReviewStore => (store ??= createReviewStore());

function failed(error: unknown): { ok: false; message: string } {
  return { ok: false, message: error instanceof Error ? error.message : String(error) };
}

/** Answers one review-memory request; never throws (a failure comes back as `ok: false`). */
export async function handleMemoryRequest(
  request: MemoryRequest,
  /** Where models come from (the chosen model's URL, mirrors): removed from published Markdown. */
  settings?: () => Promise<Pick<Settings, 'modelId' | 'modelHosts'>>,
): Promise<OneShotResponse[MemoryRequest['kind']]> {
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
        const { review, dismissedIds, headSha } = request;
        const modelName = request.modelName ? publicModelName(request.modelName) : undefined;
        const markdown = reviewToMarkdown(review, { dismissedIds, ...(modelName ? { modelName } : {}), ...(headSha ? { headSha } : {}) });
        // Notes can quote an engine's error, which may name the model's address: remove every source.
        const current = settings ? await settings().catch(() => null) : null;
        const sources = [...privateSources({ modelId: request.modelName ?? null }), ...(current ? privateSources(current) : [])];
        return { ok: true, value: scrubSources(markdown, [...new Set(sources)].sort((a, b) => b.length - a.length)) };
      }
    }
  } catch (error) {
    return failed(error);
  }
}
