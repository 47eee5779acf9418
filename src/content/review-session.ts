/**
 * The review itself: reads the diff, starts the review over a ReviewConnection (a full one, or
 * only the new commits of an outdated saved review), cancels it, and offers a model on first run.
 * Every step lands in the panel as an action; leaving the PR (`signal`) closes the connection,
 * which cancels the review in the engine host.
 */
import { isBusy } from '../ui/panel/panel-state';
import type { ModelPick } from '../ui/panel/first-run';
import type { Settings } from '../shared/settings';
import { loadFirstRunOffer, loadSettingsForReview, saveSettingsPatch } from './extension-services';
import { ReviewConnection } from './review-connection';
import { readHeadSha } from './head-sha';
import { errorMessage, internalFailure, type Guard } from './guard';
import type { DiffSource } from './pr-diff';
import type { PanelStore } from './panel-store';

export interface ReviewSessionDeps {
  doc: Document;
  store: PanelStore;
  diffs: DiffSource;
  guard: Guard;
  signal: AbortSignal;
}

export interface ReviewSession {
  /** `incremental`: an outdated saved review is on show; review only the new commits. */
  start(incremental?: boolean): Promise<void>;
  cancel(): void;
  /** First run: save the model the user picked, then review. */
  pickModel(pick: ModelPick): Promise<void>;
  /** The estimate offered something faster: drop the running review, save the choice, start again. */
  switchFaster(patch: Partial<Settings>): Promise<void>;
}

type Saved = Awaited<ReturnType<typeof saveSettingsPatch>>;

/** Saves settings; a save that throws (the extension went away) reads like one refused. */
async function save(patch: Partial<Settings>): Promise<Saved> {
  try {
    return await saveSettingsPatch(patch);
  } catch (error) {
    return { ok: false, reason: `Could not save the choice: ${errorMessage(error)}` };
  }
}

export function initReviewSession({ doc, store, diffs, guard, signal }: ReviewSessionDeps): ReviewSession {
  const phase = () => store.get().review.phase;
  const connection = new ReviewConnection(
    (message) => guard(() => store.dispatch({ type: 'message', message, now: Date.now() })),
    (failure) => isBusy(store.get().review) && store.dispatch({ type: 'failed', failure }),
  );
  signal.addEventListener('abort', () => connection.close());

  async function offerFirstRun(settings: Settings): Promise<void> {
    store.dispatch({ type: 'open' });
    store.dispatch({ type: 'first-run', offer: null });
    const { offer, error } = await loadFirstRunOffer(settings);
    if (phase() !== 'first-run') return;
    store.dispatch({ type: 'first-run', offer, ...(error !== undefined ? { error } : {}) });
  }

  async function start(incremental = false): Promise<void> {
    const s = store.get().review;
    const previous = incremental && s.phase === 'done' && s.saved?.outdated ? { baseSha: s.saved.headSha, previous: s.review } : null;
    store.dispatch({ type: 'reading' });
    try {
      const settings = await loadSettingsForReview();
      if (signal.aborted || phase() !== 'reading') return;
      if (!settings.engine || !settings.modelId) return await offerFirstRun(settings);
      const result = await diffs.read();
      if (signal.aborted || phase() !== 'reading') return; // navigated away or cancelled
      if ('failure' in result) return store.dispatch({ type: 'failed', failure: result.failure });
      store.dispatch({ type: 'starting' });
      const headSha = result.diff.ref.headSha ?? readHeadSha(doc) ?? '';
      store.dispatch({ type: 'made', made: { settings, headSha } });
      // The background swaps in the compare diff of the new commits, or says why it reviews all.
      const diff = { ...result.diff, ref: { ...result.diff.ref, ...(headSha ? { headSha } : {}) } };
      connection.start({ diff, settings, ...(previous ? { incremental: previous } : {}) });
    } catch (error) {
      store.dispatch({ type: 'failed', failure: internalFailure(error) });
    }
  }

  return {
    start,
    cancel() {
      if (phase() === 'reading' || phase() === 'starting') {
        connection.close();
        store.dispatch({ type: 'message', message: { kind: 'review/cancelled' }, now: Date.now() });
        return;
      }
      connection.cancel();
    },
    async pickModel(pick) {
      const saved = await save({ engine: pick.engine, modelId: pick.modelId });
      if (signal.aborted) return;
      if (!saved.ok) {
        const s = store.get().review;
        return store.dispatch({ type: 'first-run', offer: s.phase === 'first-run' ? s.offer : null, error: saved.reason });
      }
      await start();
    },
    async switchFaster(patch) {
      connection.close(); // closing the Port cancels the running review in the engine host
      const saved = await save(patch);
      if (signal.aborted) return;
      if (!saved.ok) return store.dispatch({ type: 'failed', failure: { code: 'internal', message: saved.reason, retryable: true } });
      store.dispatch({ type: 'reset' });
      await start();
    },
  };
}
