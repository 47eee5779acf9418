/**
 * Review memory and dismissals: shows the stored review of this PR when the page opens, keeps a
 * finished review (and its follow-up answers) for later, and dismisses or restores findings.
 * Only whole-PR views have a memory; a single commit or a range is a different diff.
 */
import type { PageInfo } from '../github/page-detect';
import type { Finding, FollowUp, Review } from '../model/review';
import { dismissFinding, listDismissed, undoDismissal, type DismissalTarget } from '../shared/dismissals';
import { isBusy, type PanelModel } from '../ui/panel/panel-state';
import { ask, loadSettingsForReview, localArea } from './extension-services';
import { readHeadSha } from './head-sha';
import { errorMessage } from './guard';
import type { PanelStore } from './panel-store';

export interface ReviewMemoryDeps {
  doc: Document;
  store: PanelStore;
  page: () => PageInfo;
  signal: AbortSignal;
}

export interface ReviewMemory {
  /** Settles once the stored review (if any) is shown: a quick click waits for it. */
  restored: Promise<void>;
  setDismissed(finding: Finding, dismissed: boolean): Promise<void>;
  /** Keeps a follow-up answer with the stored review it was asked about. */
  keepFollowUp(headSha: string, followUp: FollowUp): void;
}

type MemoryScope = { owner: string; repo: string; number: number };

export function memoryScope(info: PageInfo): MemoryScope | null {
  if (info.number === null || info.sha || info.range) return null;
  return { owner: info.owner, repo: info.repo, number: info.number };
}

/** Dismissals belong to the head commit the review shown was made for. */
export function dismissalTarget(model: PanelModel, info: PageInfo): DismissalTarget {
  const s = model.review;
  const headSha = (s.phase === 'done' && s.saved?.headSha) || model.made?.headSha || info.sha || 'unknown';
  return { owner: info.owner, repo: info.repo, number: info.number ?? 0, headSha };
}

export function initReviewMemory({ doc, store, page, signal }: ReviewMemoryDeps): ReviewMemory {
  const scope = () => memoryScope(page());
  const problem = (message: string) => store.dispatch({ type: 'status', status: { tone: 'error', message } });

  async function restore(): Promise<void> {
    const where = scope();
    // Only a PR's own pages keep a review; reading the head may parse the page's embedded JSON.
    const head = where ? readHeadSha(doc) : undefined;
    const [settings, stored] = await Promise.all([
      loadSettingsForReview(),
      where ? ask({ kind: 'reviews/latest', ...where, ...(head ? { headSha: head } : {}) }).catch(() => null) : null,
    ]);
    store.dispatch({ type: 'markers', visible: settings.showMarkers });
    if (signal.aborted || !where || !stored?.ok || !stored.value) return;
    const record = stored.value;
    const dismissed = await listDismissed(localArea(), { ...where, headSha: record.headSha });
    // The user started a review meanwhile: that one wins.
    const now = store.get().review;
    if (isBusy(now) || now.phase === 'done') return;
    store.dispatch({ type: 'restored', review: record.review, saved: { savedAt: record.savedAt, outdated: record.outdated, headSha: record.headSha }, dismissed });
  }

  async function keep(review: Review, model: PanelModel): Promise<void> {
    const made = model.made;
    store.dispatch({ type: 'dismissed', ids: await listDismissed(localArea(), dismissalTarget(model, page())) });
    const where = scope();
    if (!where || !made?.settings || !made.headSha) return;
    const answer = await ask({
      kind: 'reviews/save',
      key: { ...where, headSha: made.headSha, modelId: made.settings.modelId ?? '' },
      settings: made.settings,
      review,
    }).catch(() => null);
    if (answer && !answer.ok) problem(`The review could not be kept for later: ${answer.message}`);
  }

  // A review just made (not one restored) is kept as soon as it is done.
  store.subscribe((model, previous) => {
    if (model.review.phase === 'done' && previous.review.phase !== 'done' && !model.review.saved) {
      keep(model.review.review, model).catch((error: unknown) => problem(`The review could not be kept for later: ${errorMessage(error)}`));
    }
  });

  return {
    restored: restore().catch(() => undefined),
    async setDismissed(finding, dismissed) {
      const target = dismissalTarget(store.get(), page());
      try {
        const ids = dismissed ? await dismissFinding(localArea(), target, finding.id) : await undoDismissal(localArea(), target, finding.id);
        store.dispatch({ type: 'dismissed', ids, status: { tone: 'ok', message: dismissed ? `Dismissed: ${finding.title}` : `Restored: ${finding.title}` } });
      } catch (error) {
        problem(`Could not save the dismissal: ${errorMessage(error)}`);
      }
    },
    keepFollowUp(headSha, followUp) {
      const where = scope();
      if (!where || !headSha) return;
      void ask({ kind: 'reviews/follow-up', ...where, headSha, followUp }).then(
        (answer) => !answer.ok && problem(`The answer could not be kept for later: ${answer.message}`),
        () => undefined,
      );
    },
  };
}
