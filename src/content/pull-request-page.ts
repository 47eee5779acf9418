/**
 * Everything the content script does on one pull request, from the moment the user opens it until
 * they leave (`close()` aborts the PR's signal, and each feature tears itself down): the panel's
 * state, the review, review memory and dismissals, panel actions, markers, the panel and the button.
 */
import { prKey, type PageInfo } from '../github/page-detect';
import { detectGithubTheme, type ThemeName } from '../ui/theme';
import type { MarkdownLexer } from '../ui/markdown';
import type { Finding } from '../model/review';
import { initialPanelModel, isBusy } from '../ui/panel/panel-state';
import { openOptions } from './extension-services';
import { createGuard, internalFailure } from './guard';
import { createPanelStore } from './panel-store';
import { createDiffSource } from './pr-diff';
import { initReviewSession } from './review-session';
import { initReviewMemory } from './review-memory';
import { initFollowUps } from './follow-up-session';
import { initPanelActions } from './panel-actions';
import { initReviewMarkers } from './review-markers';
import { initPanelView } from './panel-view';
import { initReviewButton } from './review-button-mount';

export interface PullRequestPage {
  key: string;
  /** The same PR on another tab (Conversation, Files): new page facts, same review. */
  update(info: PageInfo): void;
  buttonInPlace(): boolean;
  syncMarkers(): void;
  setTheme(theme: ThemeName): void;
  /** The keyboard command: open the panel and review, unless a review is already on show. */
  openAndStart(): void;
  /** Shows an error of ours in the panel, never in GitHub's page. */
  fail(error: unknown): void;
  close(): void;
}

export function openPullRequestPage(win: Window, first: PageInfo, lexer: MarkdownLexer): PullRequestPage {
  const controller = new AbortController();
  const signal = controller.signal;
  const doc = win.document;
  let info = first;
  const page = () => info;
  const store = createPanelStore(initialPanelModel(detectGithubTheme(doc)), signal);

  function fail(error: unknown): void {
    if (signal.aborted) return;
    const failure = internalFailure(error);
    store.dispatch({ type: 'open' });
    // A review on show stays: the error goes under it.
    if (store.get().review.phase === 'done') store.dispatch({ type: 'status', status: { tone: 'error', message: failure.message } });
    else store.dispatch({ type: 'failed', failure });
  }
  const guard = createGuard(fail);
  /** A panel callback, fenced. (Click handlers get the event: only pass functions that ignore extra arguments.) */
  const on =
    <A extends unknown[]>(fn: (...args: A) => unknown) =>
    (...args: A) =>
      guard(() => fn(...args));

  const diffs = createDiffSource(win, page);
  const session = initReviewSession({ doc, store, diffs, guard, signal });
  const memory = initReviewMemory({ doc, store, page, signal });
  const followUps = initFollowUps({ store, diffs, memory, guard, signal });
  const markers = initReviewMarkers({ doc, store, guard, signal });
  const actions = initPanelActions({ doc, store, syncMarkers: markers.sync, signal });

  const idle = () => !isBusy(store.get().review) && store.get().review.phase !== 'done';
  function openAndStart(): Promise<void> | undefined {
    store.dispatch({ type: 'open' });
    // A review already on show (e.g. restored from memory) stays; Re-run starts a new one.
    if (!idle()) return undefined;
    // The stored review may still be on its way (a quick click after the page loads): wait for it.
    return memory.restored.then(() => (idle() && !signal.aborted ? session.start() : undefined));
  }
  const button = initReviewButton({
    doc,
    store,
    onClick: () => guard(() => (store.get().open && !isBusy(store.get().review) ? store.dispatch({ type: 'close' }) : openAndStart())),
    signal,
  });

  initPanelView({
    win,
    store,
    lexer,
    guard,
    signal,
    title: info.number !== null ? `Review of #${info.number}` : `Review of ${info.sha?.slice(0, 7) ?? 'commit'}`,
    handlers: {
      onStart: on(() => session.start()),
      onCancel: on(session.cancel),
      onClose: on(() => {
        store.dispatch({ type: 'close' });
        // Focus returns to where the panel came from.
        button.focus();
      }),
      onOpenOptions: on(() => openOptions()),
      onJumpTo: on(actions.jumpTo),
      onDismiss: on((finding: Finding) => memory.setDismissed(finding, true)),
      onUndismiss: on((finding: Finding) => memory.setDismissed(finding, false)),
      onCopy: on(actions.copy),
      onCopyMarkdown: on(actions.copyMarkdown),
      onInsertComment: on(actions.insertComment),
      onToggleMarkers: on(markers.toggle),
      onPickModel: on(session.pickModel),
      onSwitchFaster: on(session.switchFaster),
      onReviewNew: on(() => session.start(true)),
      onAsk: on(followUps.ask),
      onCancelAsk: on(followUps.cancel),
    },
  });

  return {
    key: prKey(first),
    update(next) {
      info = next;
      button.ensure();
    },
    buttonInPlace: button.inPlace,
    syncMarkers: markers.sync,
    setTheme: (theme) => store.dispatch({ type: 'theme', theme }),
    openAndStart: () => guard(openAndStart),
    fail,
    close: () => controller.abort(),
  };
}
