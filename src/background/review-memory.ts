/**
 * Review memory in the background: the IndexedDB store (src/shared/review-store.ts) answers the
 * `reviews/*` one-shot requests of the content script and the options page. It runs here because
 * IndexedDB belongs to the context that opens it: in the content script it would be github.com's.
 */
import type { MemoryResult, REVIEW_MEMORY_KINDS } from '../protocol';
import type { Handlers } from '../messaging/handlers';
import { createReviewStore, reviewSettingsHash, type ReviewStore } from '../shared/review-store';
import { reviewToMarkdown } from '../markdown/review-markdown';
import { privateSources, publicModelName, scrubSources } from '../shared/public-model-name';
import type { Settings } from '../shared/settings';

type MemoryKind = (typeof REVIEW_MEMORY_KINDS)[number];

let store: ReviewStore | null = null;
const theStore = (): ReviewStore => (store ??= createReviewStore());

function failed(error: unknown): { ok: false; message: string } {
  return { ok: false, message: error instanceof Error ? error.message : String(error) };
}

/** Runs one storage operation; a failure comes back as `ok: false`, never thrown. */
async function attempt<T>(work: () => Promise<T>): Promise<MemoryResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return failed(error);
  }
}

/**
 * The review-memory requests' handlers, one per kind.
 * `settings`: where models come from (the chosen model's URL, mirrors), removed from published Markdown.
 */
export function memoryHandlers(settings?: () => Promise<Pick<Settings, 'modelId' | 'modelHosts'>>): Handlers<MemoryKind> {
  return {
    'reviews/save': (request) => attempt(() => theStore().saveReview({ ...request.key, settingsHash: reviewSettingsHash(request.settings) }, request.review)),
    'reviews/latest': (request) => attempt(async () => (await theStore().getLatestForPr(request.owner, request.repo, request.number, request.headSha)) ?? null),
    'reviews/list': () => attempt(() => theStore().listReviews()),
    'reviews/delete': (request) =>
      attempt(async () => {
        await theStore().deleteReview(request.id);
        return null;
      }),
    'reviews/follow-up': async ({ owner, repo, number, headSha, followUp }) => {
      const kept = await attempt(() => theStore().addFollowUp(owner, repo, number, headSha, followUp));
      if (!kept.ok) return kept;
      return kept.value ? { ok: true, value: null } : { ok: false, message: 'there is no saved review at this commit to keep it with' };
    },
    'reviews/export': () => attempt(() => theStore().exportReviews()),
    'reviews/markdown': (request) =>
      attempt(async () => {
        const { review, dismissedIds, headSha } = request;
        const modelName = request.modelName ? publicModelName(request.modelName) : undefined;
        const markdown = reviewToMarkdown(review, { dismissedIds, ...(modelName ? { modelName } : {}), ...(headSha ? { headSha } : {}) });
        // Notes can quote an engine's error, which may name the model's address: remove every source.
        const current = settings ? await settings().catch(() => null) : null;
        const sources = [...privateSources({ modelId: request.modelName ?? null }), ...(current ? privateSources(current) : [])];
        return scrubSources(markdown, [...new Set(sources)].sort((x, y) => y.length - x.length));
      }),
  };
}
