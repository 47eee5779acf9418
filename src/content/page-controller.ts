/**
 * The content script's conductor. It watches GitHub's soft navigation, keeps exactly one Review
 * button on PR pages, owns the panel's state, and tears everything down when the user leaves a PR.
 * Every callback is fenced (`guard`): an error here is shown in the panel, never thrown into
 * GitHub's page.
 */
import { h, render } from 'preact';
import { extensionApi } from '../shared/extension-api';
import { detectPage, prKey, type PageInfo } from '../github/page-detect';
import { findButtonAnchor, isRendered } from './button-anchor';
import { BACKGROUND_TO_TAB_KINDS, hasKind, type BackgroundToTab, type ReviewFailure } from '../protocol';
import { Panel, type ActionStatus } from '../ui/panel/panel';
import { runsOnLabel } from '../ui/panel/runs-on';
import { MarkdownLexerContext } from '../ui/markdown';
import { createBackgroundLexer } from './markdown-client';
import { ReviewButton } from '../ui/panel/review-button';
import { initialPanelState, isBusy, panelReducer, type PanelAction, type PanelState } from '../ui/panel/panel-state';
import { PANEL_CSS, BUTTON_CSS } from '../ui/panel/panel-css';
import { createShadowMount, HOST_ATTRIBUTE, type ShadowMount } from './shadow-mount';
import { detectGithubTheme, watchGithubTheme } from '../ui/theme';
import { ReviewConnection } from './review-connection';
import { readPullRequestDiff } from './diff-reader';
import { ask, loadFirstRunOffer, loadSettingsForReview, localArea, openOptions, saveSettingsPatch } from './extension-services';
import { revealFinding } from './finding-navigation';
import { FindingMarkers } from './finding-markers';
import { copyText } from './clipboard';
import { insertIntoComment } from './comment-box';
import { readHeadSha } from './head-sha';
import { dismissFinding, listDismissed, undoDismissal, type DismissalTarget } from '../shared/dismissals';
import type { Finding, FollowUp, Review } from '../model/review';
import type { PullRequestDiff } from '../model/diff';
import type { AskState } from '../ui/panel/follow-up';
import type { BackgroundToContent } from '../protocol';
import type { Settings } from '../shared/settings';
import type { ModelPick } from '../ui/panel/first-run';

/** GitHub's soft-navigation events (Turbo for classic pages, its own for React pages). */
const NAVIGATION_EVENTS = ['turbo:render', 'turbo:load', 'soft-nav:end', 'soft-nav:react-done', 'popstate', 'pageshow'];
/** Cheap safety net for navigations no event announces (a string compare per tick). */
const URL_POLL_MS = 400;

interface Mounted {
  key: string;
  info: PageInfo;
  button: ShadowMount | null;
  panel: ShadowMount | null;
  panelOpen: boolean;
  state: PanelState;
  connection: ReviewConnection;
  /** Dismissed finding ids of the review shown, for its head commit. */
  dismissed: Set<string>;
  markersVisible: boolean;
  actionStatus: ActionStatus | null;
  /** A finding card the panel should scroll to and focus (a marker was clicked). */
  focusRequest: { id: string; nonce: number } | null;
  /**
   * The shown review as Markdown, made ahead of a click: the clipboard wants the copy to happen
   * while the click's user activation lasts, and asking the background takes a round trip.
   */
  markdown: { key: string; text: Promise<string | null> } | null;
  /** The look-up of a stored review for this PR, while it runs (a click waits for it). */
  restoring: Promise<void> | null;
  /** What the review shown was made with (for the Markdown footer and review memory). */
  made: { settings: Settings | null; headSha: string } | null;
  /** The diff the review read (follow-up questions pick their hunks from it). */
  diff: PullRequestDiff | null;
  /** The follow-up question being answered, on its own Port. */
  ask: AskState | null;
  asking: ReviewConnection | null;
}

export class PageController {
  private mounted: Mounted | null = null;
  private lastUrl = '';
  private observer: MutationObserver | null = null;
  private scheduled = false;
  /** A panel redraw waiting for the next frame (streamed updates draw at most once a frame). */
  private renderFrame: number | null = null;
  private readonly disposers: Array<() => void> = [];
  private readonly markers: FindingMarkers;
  /** Markdown is lexed in the background (see markdown-client.ts); one cache per page. */
  private readonly lexer = createBackgroundLexer();

  constructor(private readonly win: Window & typeof globalThis) {
    this.markers = new FindingMarkers(win.document, {
      theme: () => detectGithubTheme(win.document),
      onSelect: (finding) => this.guard(() => this.showFindingInPanel(finding)),
    });
  }

  start(): void {
    const doc = this.win.document;
    const onNav = () => this.guard(() => this.check(true));
    for (const name of NAVIGATION_EVENTS) {
      this.win.addEventListener(name, onNav);
      doc.addEventListener(name, onNav);
      this.disposers.push(() => {
        this.win.removeEventListener(name, onNav);
        doc.removeEventListener(name, onNav);
      });
    }
    const poll = this.win.setInterval(() => this.guard(() => this.check(false)), URL_POLL_MS);
    this.disposers.push(() => this.win.clearInterval(poll));
    // GitHub re-renders headers without navigating; put the button back when that happens.
    this.observer = new MutationObserver(() => this.scheduleCheck());
    // Responsive headers hide their action slot below a width: move the button when that happens.
    const onResize = () => this.scheduleCheck();
    this.win.addEventListener('resize', onResize);
    this.disposers.push(() => this.win.removeEventListener('resize', onResize));
    this.observer.observe(doc.documentElement, { childList: true, subtree: true });
    const onMessage = (raw: unknown) => {
      if (hasKind<BackgroundToTab>(raw, BACKGROUND_TO_TAB_KINDS) && raw.kind === 'command/start-review') {
        this.guard(() => this.openAndStart());
      }
      return undefined;
    };
    extensionApi().runtime.onMessage.addListener(onMessage);
    // Follow GitHub's light/dark switch (or the system's, in auto mode) while the panel is open.
    this.disposers.push(
      watchGithubTheme(doc, () =>
        this.guard(() => {
          this.renderPanel();
          this.renderButton();
          this.markers.sync();
        }),
      ),
    );
    this.disposers.push(() => extensionApi().runtime.onMessage.removeListener(onMessage));
    this.guard(() => this.check(true));
  }

  stop(): void {
    this.teardown();
    this.observer?.disconnect();
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private scheduleCheck(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.win.requestAnimationFrame(() => {
      this.scheduled = false;
      this.guard(() => this.check(false));
      // GitHub loaded, folded, unfolded or re-rendered part of the diff: put the markers back.
      this.guard(() => this.markers.sync());
    });
  }

  /** Brings the page into line with the URL: button, panel, or nothing. */
  private check(force: boolean): void {
    const url = this.win.location.href;
    if (!force && url === this.lastUrl && this.buttonInPlace()) return;
    this.lastUrl = url;
    const info = detectPage(url);
    if (!info) {
      this.teardown();
      return;
    }
    const key = prKey(info);
    if (this.mounted && this.mounted.key !== key) this.teardown();
    if (!this.mounted) {
      this.mounted = {
        key,
        info,
        button: null,
        panel: null,
        panelOpen: false,
        state: initialPanelState,
        connection: new ReviewConnection(
          (message) => this.dispatch({ type: 'message', message, now: Date.now() }),
          (failure) => this.onConnectionLost(failure),
        ),
        dismissed: new Set(),
        markersVisible: true,
        actionStatus: null,
        focusRequest: null,
        restoring: null,
        markdown: null,
        made: null,
        diff: null,
        ask: null,
        asking: null,
      };
      const m = this.mounted;
      m.restoring = this.restoreFromMemory(m)
        .catch(() => undefined)
        .finally(() => {
          m.restoring = null;
        });
    }
    this.mounted.info = info;
    this.ensureButton();
  }

  private buttonInPlace(): boolean {
    const button = this.mounted?.button;
    // Connected is not enough: GitHub may hide the slot it sits in (a layout switch, a narrow window).
    return !this.mounted || (!!button && button.host.isConnected && isRendered(button.host));
  }

  private ensureButton(): void {
    const m = this.mounted;
    if (!m) return;
    const doc = this.win.document;
    const anchor = findButtonAnchor(doc);
    if (m.button?.host.isConnected) {
      const floating = m.button.host.getAttribute('data-floating') === 'true';
      // Upgrade a floating button once the header shows up (React headers render late); move a
      // button whose slot GitHub hid.
      if (floating ? !anchor : isRendered(m.button.host)) return;
    }
    m.button?.remove();
    // Never two: remove strays of an earlier instance of this script (an extension reload).
    for (const stray of doc.querySelectorAll(`[${HOST_ATTRIBUTE}="button"]`)) stray.remove();
    const mount = createShadowMount(doc, 'button', BUTTON_CSS, 'span');
    mount.host.setAttribute('data-floating', anchor ? 'false' : 'true');
    if (anchor) anchor.prepend(mount.host);
    else {
      Object.assign(mount.host.style, { position: 'fixed', right: '24px', bottom: '24px', zIndex: '99' });
      doc.body.append(mount.host);
    }
    m.button = mount;
    this.renderButton();
  }

  private renderButton(): void {
    const m = this.mounted;
    if (!m?.button) return;
    // A floating button steps left of the open panel instead of covering its action bar.
    if (m.button.host.getAttribute('data-floating') === 'true') {
      m.button.host.style.right = m.panelOpen ? 'calc(min(420px, 100vw) + 24px)' : '24px';
    }
    render(
      h(ReviewButton, {
        busy: isBusy(m.state),
        theme: detectGithubTheme(this.win.document),
        onClick: () => this.guard(() => this.togglePanel()),
      }),
      m.button.container,
    );
  }

  private togglePanel(): void {
    const m = this.mounted;
    if (!m) return;
    if (m.panelOpen && !isBusy(m.state)) {
      this.closePanel();
      return;
    }
    this.openAndStart();
  }

  private openAndStart(): void {
    const m = this.mounted;
    if (!m) return;
    this.openPanel();
    // A review already on show (e.g. restored from memory) stays; Re-run starts a new one.
    const idle = () => this.mounted === m && !isBusy(m.state) && m.state.phase !== 'done';
    if (!idle()) return;
    // The stored review may still be on its way (a quick click after the page loads): wait for it.
    if (m.restoring) void m.restoring.then(() => idle() && void this.startReview());
    else void this.startReview();
  }

  private openPanel(): void {
    const m = this.mounted;
    if (!m) return;
    if (!m.panel) {
      m.panel = createShadowMount(this.win.document, 'panel', PANEL_CSS);
      this.win.document.body.append(m.panel.host);
    }
    m.panelOpen = true;
    this.renderPanel();
    this.renderButton();
  }

  private closePanel(): void {
    const m = this.mounted;
    if (!m) return;
    m.panelOpen = false;
    if (m.panel) render(null, m.panel.container);
    m.panel?.remove();
    m.panel = null;
    this.renderButton();
  }

  /** `incremental`: an outdated saved review is on show; review only the new commits. */
  private async startReview(incremental = false): Promise<void> {
    const m = this.mounted;
    if (!m) return;
    const s = m.state;
    const previous = incremental && s.phase === 'done' && s.saved?.outdated ? { baseSha: s.saved.headSha, previous: s.review } : null;
    m.actionStatus = null;
    this.dropAsk(m);
    this.dispatch({ type: 'reading' });
    try {
      const settings = await loadSettingsForReview();
      if (this.mounted !== m || m.state.phase !== 'reading') return;
      if (!settings.engine || !settings.modelId) {
        await this.offerFirstRun(m, settings);
        return;
      }
      const result = await readPullRequestDiff(this.win.document, this.win.location.href, m.info);
      if (this.mounted !== m || m.state.phase !== 'reading') return; // navigated away or cancelled
      if ('failure' in result) {
        this.dispatch({ type: 'failed', failure: result.failure });
        return;
      }
      this.dispatch({ type: 'starting' });
      const headSha = result.diff.ref.headSha ?? readHeadSha(this.win.document) ?? '';
      m.made = { settings, headSha };
      m.diff = result.diff;
      // The background swaps in the compare diff of the new commits, or says why it reviews all.
      const diff = { ...result.diff, ref: { ...result.diff.ref, ...withHead(headSha) } };
      m.connection.start({ diff, settings, ...(previous ? { incremental: previous } : {}) });
    } catch (error) {
      if (this.mounted === m) this.dispatch({ type: 'failed', failure: internalFailure(error) });
    }
  }

  // ── follow-up questions ────────────────────────────────────────────────────────────────────

  private dropAsk(m: Mounted): void {
    m.asking?.close();
    m.asking = null;
    m.ask = null;
  }

  private async askFollowUp(question: string, findingId: string): Promise<void> {
    const m = this.mounted;
    if (!m || m.state.phase !== 'done' || m.ask?.busy) return;
    const review = m.state.review;
    const headSha = m.state.saved?.headSha ?? m.made?.headSha ?? '';
    const ask: AskState = (m.ask = { question, text: '', busy: true });
    this.renderPanel();
    const fail = (error: string) => {
      if (m.ask !== ask) return;
      m.ask = { ...ask, text: m.ask.text, busy: false, error };
      this.renderPanel();
    };
    try {
      const settings = await loadSettingsForReview();
      // A restored review did not read the diff: read it now (the hunks come from it).
      if (!m.diff) {
        const result = await readPullRequestDiff(this.win.document, this.win.location.href, m.info);
        if ('failure' in result) return fail(result.failure.message);
        m.diff = result.diff;
      }
      if (this.mounted !== m || m.ask !== ask) return;
      const finding = review.findings.find((f) => f.id === findingId);
      const connection = (m.asking = new ReviewConnection(
        (message) => this.guard(() => this.onAnswer(m, ask, message, { question, ...(finding ? { findingId } : {}), review, headSha })),
        (failure) => fail(failure.message),
      ));
      connection.ask({ question, ...(finding ? { finding } : {}), review: { summary: review.summary }, diff: m.diff, settings });
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  }

  private onAnswer(m: Mounted, pending: AskState, message: BackgroundToContent, about: { question: string; findingId?: string; review: Review; headSha: string }): void {
    if (m.ask !== pending || this.mounted !== m) return;
    if (message.kind === 'review/event' && message.event.type === 'text') {
      pending.text += message.event.delta;
      this.renderSoon();
    } else if (message.kind === 'review/cancelled') {
      m.ask = { ...pending, busy: false, error: 'Cancelled.' };
    } else if (message.kind === 'review/failed') {
      m.ask = { ...pending, busy: false, error: message.failure.message };
    } else if (message.kind === 'followup/done') {
      const { review, headSha, ...asked } = about;
      const followUp: FollowUp = { ...asked, answer: message.answer, askedAt: Date.now() };
      m.ask = null;
      if (m.state.phase === 'done' && m.state.review === review) {
        m.state = { ...m.state, review: { ...review, followUps: [...(review.followUps ?? []), followUp] } };
      }
      const scope = this.memoryScope(m);
      if (scope && headSha) {
        void ask({ kind: 'reviews/follow-up', ...scope, headSha, followUp }).then(
          (answer) => !answer.ok && this.setStatus({ tone: 'error', message: `The answer could not be kept for later: ${answer.message}` }),
          () => undefined,
        );
      }
    } else return;
    this.renderPanel();
  }

  private cancelReview(): void {
    const m = this.mounted;
    if (!m) return;
    if (m.state.phase === 'reading' || m.state.phase === 'starting') {
      m.connection.close();
      this.dispatch({ type: 'message', message: { kind: 'review/cancelled' }, now: Date.now() });
      return;
    }
    m.connection.cancel();
  }

  private onConnectionLost(failure: ReviewFailure): void {
    if (this.mounted && isBusy(this.mounted.state)) this.dispatch({ type: 'failed', failure });
  }

  private dispatch(action: PanelAction): void {
    const m = this.mounted;
    if (!m) return;
    const before = m.state;
    m.state = panelReducer(m.state, action);
    if (before.phase !== m.state.phase) {
      if (m.state.phase === 'done' && !m.state.saved) void this.onReviewDone(m, m.state.review);
      if (m.state.phase !== 'done') {
        m.dismissed = new Set();
        m.markdown = null;
      }
      this.updateMarkers();
    }
    // A new phase draws at once; updates within a phase (streamed text, progress) are merged
    // into one draw per animation frame, so a fast model never costs GitHub's tab more than that.
    if (before.phase !== m.state.phase || action.type !== 'message') this.renderNow();
    else this.renderSoon();
  }

  /** One draw per animation frame for streamed updates. */
  private renderSoon(): void {
    if (this.renderFrame !== null) return;
    this.renderFrame = this.win.requestAnimationFrame(() => {
      this.renderFrame = null;
      this.guard(() => this.renderNow());
    });
  }

  private renderNow(): void {
    if (this.renderFrame !== null) this.win.cancelAnimationFrame(this.renderFrame);
    this.renderFrame = null;
    this.renderPanel();
    this.renderButton();
  }

  // ── first run ──────────────────────────────────────────────────────────────────────────────

  private async offerFirstRun(m: Mounted, settings: Settings): Promise<void> {
    this.openPanel();
    this.dispatch({ type: 'first-run', offer: null });
    const { offer, error } = await loadFirstRunOffer(settings);
    if (this.mounted !== m || m.state.phase !== 'first-run') return;
    this.dispatch({ type: 'first-run', offer, ...(error !== undefined ? { error } : {}) });
  }

  private async pickModel(pick: ModelPick): Promise<void> {
    const m = this.mounted;
    if (!m) return;
    const saved = await saveSettingsPatch({ engine: pick.engine, modelId: pick.modelId });
    if (this.mounted !== m) return;
    if (!saved.ok) {
      this.dispatch({ type: 'first-run', offer: m.state.phase === 'first-run' ? m.state.offer : null, error: saved.reason });
      return;
    }
    await this.startReview();
  }

  /** The estimate offered something faster: drop the running review, save the choice, start again. */
  private async switchFaster(patch: Partial<Settings>): Promise<void> {
    const m = this.mounted;
    if (!m) return;
    m.connection.close(); // closing the Port cancels the running review in the engine host
    const saved = await saveSettingsPatch(patch);
    if (this.mounted !== m) return;
    if (!saved.ok) {
      this.dispatch({ type: 'failed', failure: { code: 'internal', message: saved.reason, retryable: true } });
      return;
    }
    this.dispatch({ type: 'reset' });
    await this.startReview();
  }

  // ── review memory, dismissals, markers ─────────────────────────────────────────────────────

  /** Whole-PR views have a memory; a single commit or a range is a different diff. */
  private memoryScope(m: Mounted): { owner: string; repo: string; number: number } | null {
    const { info } = m;
    if (info.number === null || info.sha || info.range) return null;
    return { owner: info.owner, repo: info.repo, number: info.number };
  }

  private dismissalTarget(m: Mounted): DismissalTarget {
    const headSha = (m.state.phase === 'done' && m.state.saved?.headSha) || m.made?.headSha || m.info.sha || 'unknown';
    return { owner: m.info.owner, repo: m.info.repo, number: m.info.number ?? 0, headSha };
  }

  private async restoreFromMemory(m: Mounted): Promise<void> {
    const scope = this.memoryScope(m);
    const [settings, stored] = await Promise.all([
      loadSettingsForReview(),
      scope ? ask({ kind: 'reviews/latest', ...scope, ...withHead(readHeadSha(this.win.document)) }).catch(() => null) : null,
    ]);
    if (this.mounted !== m) return;
    m.markersVisible = settings.showMarkers;
    if (!scope || !stored?.ok || !stored.value) return;
    const record = stored.value;
    const dismissed = await listDismissed(localArea(), { ...scope, headSha: record.headSha });
    // The user started a review meanwhile: that one wins.
    if (this.mounted !== m || isBusy(m.state) || m.state.phase === 'done') return;
    m.made = { settings: null, headSha: record.headSha };
    m.dismissed = dismissed;
    this.dispatch({ type: 'restored', review: record.review, saved: { savedAt: record.savedAt, outdated: record.outdated, headSha: record.headSha } });
  }

  private async onReviewDone(m: Mounted, review: Review): Promise<void> {
    const made = m.made;
    m.dismissed = await listDismissed(localArea(), this.dismissalTarget(m));
    if (this.mounted === m) {
      this.updateMarkers();
      this.renderPanel();
    }
    const scope = this.memoryScope(m);
    if (!scope || !made?.settings || !made.headSha) return;
    const answer = await ask({
      kind: 'reviews/save',
      key: { ...scope, headSha: made.headSha, modelId: made.settings.modelId ?? '' },
      settings: made.settings,
      review,
    }).catch(() => null);
    if (this.mounted === m && answer && !answer.ok) {
      m.actionStatus = { tone: 'error', message: `The review could not be kept for later: ${answer.message}` };
      this.renderPanel();
    }
  }

  private shownFindings(m: Mounted): Finding[] {
    const s = m.state;
    // An outdated review's lines may have moved: no markers for it.
    if (s.phase !== 'done' || s.saved?.outdated) return [];
    return s.review.findings.filter((f) => !m.dismissed.has(f.id));
  }

  private updateMarkers(): void {
    const m = this.mounted;
    if (!m) {
      this.markers.clear();
      return;
    }
    this.markers.set(this.shownFindings(m), m.markersVisible);
    if (m.state.phase === 'done') void this.reviewMarkdown(m);
  }

  private async setDismissed(finding: Finding, dismissed: boolean): Promise<void> {
    const m = this.mounted;
    if (!m) return;
    const target = this.dismissalTarget(m);
    try {
      m.dismissed = dismissed ? await dismissFinding(localArea(), target, finding.id) : await undoDismissal(localArea(), target, finding.id);
      m.actionStatus = { tone: 'ok', message: dismissed ? `Dismissed: ${finding.title}` : `Restored: ${finding.title}` };
    } catch (error) {
      m.actionStatus = { tone: 'error', message: `Could not save the dismissal: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (this.mounted !== m) return;
    this.updateMarkers();
    this.renderPanel();
  }

  /** The review shown, as Markdown (built by the background; see protocol `reviews/markdown`), cached per review and dismissals. */
  private reviewMarkdown(m: Mounted): Promise<string | null> {
    if (m.state.phase !== 'done') return Promise.resolve(null);
    const review = m.state.review;
    // The background names the model only (never its URL, a mirror's host or a local path) and
    // removes those from the whole text: see src/shared/public-model-name.ts.
    const modelName = m.made?.settings?.modelId ?? undefined;
    const headSha = m.state.saved?.headSha ?? m.made?.headSha;
    const key = `${m.state.saved?.savedAt ?? 'new'}|${review.findings.length}|${review.summary.length}|${[...m.dismissed].sort().join(',')}|${headSha ?? ''}`;
    if (m.markdown?.key === key) return m.markdown.text;
    const text = ask({
      kind: 'reviews/markdown',
      review,
      dismissedIds: [...m.dismissed],
      ...(modelName ? { modelName } : {}),
      ...(headSha ? { headSha } : {}),
    })
      .catch((error: unknown) => ({ ok: false as const, message: error instanceof Error ? error.message : String(error) }))
      .then((answer) => {
        if (answer.ok) return answer.value;
        if (m.markdown?.key === key) m.markdown = null;
        this.setStatus({ tone: 'error', message: `The review could not be turned into Markdown: ${answer.message}` });
        return null;
      });
    m.markdown = { key, text };
    return text;
  }

  private setStatus(status: ActionStatus): void {
    const m = this.mounted;
    if (!m) return;
    m.actionStatus = status;
    this.renderPanel();
  }

  private async copy(text: string, what: string): Promise<void> {
    const ok = await copyText(this.win.document, text);
    this.setStatus(ok ? { tone: 'ok', message: `${what} copied.` } : { tone: 'error', message: `${what} could not be copied: the browser refused.` });
  }

  private async insertComment(): Promise<void> {
    const m = this.mounted;
    const markdown = m && (await this.reviewMarkdown(m));
    if (!markdown || this.mounted !== m) return;
    const result = insertIntoComment(this.win.document, markdown);
    this.setStatus(
      result.ok
        ? { tone: 'ok', message: result.appended ? 'Added to your comment. Nothing is posted until you press Comment.' : 'Inserted into the comment box. Nothing is posted until you press Comment.' }
        : { tone: 'error', message: result.reason, offerCopy: true },
    );
  }

  private async jumpTo(finding: Finding): Promise<void> {
    const result = await revealFinding(this.win.document, finding);
    if (!result.ok) this.setStatus({ tone: 'error', message: result.reason });
    else if (result.how === 'opening') this.setStatus({ tone: 'ok', message: `Opening ${finding.file} in the Files changed tab; its marker shows once GitHub renders it.` });
    else this.markers.sync();
  }

  /** A marker was activated: show its finding in the panel. */
  private showFindingInPanel(finding: Finding): void {
    const m = this.mounted;
    if (!m) return;
    m.focusRequest = { id: finding.id, nonce: (m.focusRequest?.nonce ?? 0) + 1 };
    if (m.panelOpen) this.renderPanel();
    else this.openPanel();
  }

  private renderPanel(): void {
    const m = this.mounted;
    if (!m?.panel || !m.panelOpen) return;
    m.panel.container.setAttribute('data-theme', detectGithubTheme(this.win.document));
    render(
      h(
        MarkdownLexerContext.Provider,
        { value: this.lexer },
        h(Panel, {
        state: m.state,
        title: m.info.number !== null ? `Review of #${m.info.number}` : `Review of ${m.info.sha?.slice(0, 7) ?? 'commit'}`,
        runsOn: runsOnLabel(m.made?.settings),
        onStart: () => this.guard(() => void this.startReview()),
        onCancel: () => this.guard(() => this.cancelReview()),
        onClose: () =>
          this.guard(() => {
            this.closePanel();
            // Focus returns to where the panel came from.
            m.button?.container.querySelector<HTMLElement>('button')?.focus();
          }),
        onOpenOptions: () => this.guard(() => void openOptions()),
        onJumpTo: (finding) => this.guard(() => void this.jumpTo(finding)),
        dismissed: m.dismissed,
        markersVisible: m.markersVisible,
        actionStatus: m.actionStatus,
        focusRequest: m.focusRequest,
        onDismiss: (finding) => this.guard(() => void this.setDismissed(finding, true)),
        onUndismiss: (finding) => this.guard(() => void this.setDismissed(finding, false)),
        onCopy: (text, what) => this.guard(() => void this.copy(text, what)),
        onCopyMarkdown: () =>
          this.guard(
            () =>
              void this.reviewMarkdown(m).then((markdown) => {
                if (markdown) return this.copy(markdown, 'The review (Markdown)');
              }),
          ),
        onInsertComment: () => this.guard(() => void this.insertComment()),
        onToggleMarkers: () =>
          this.guard(() => {
            m.markersVisible = !m.markersVisible;
            this.updateMarkers();
            this.renderPanel();
          }),
        onPickModel: (pick) => this.guard(() => void this.pickModel(pick)),
        onSwitchFaster: (patch) => this.guard(() => void this.switchFaster(patch)),
        onReviewNew: () => this.guard(() => void this.startReview(true)),
        ask: m.ask,
        onAsk: (question, findingId) => this.guard(() => void this.askFollowUp(question, findingId)),
        onCancelAsk: () => this.guard(() => m.asking?.cancel()),
      }),
      ),
      m.panel.container,
    );
  }

  /** Leaving the PR: cancel whatever runs and remove every trace of ourselves. */
  private teardown(): void {
    const m = this.mounted;
    if (!m) return;
    this.mounted = null;
    this.markers.clear();
    m.connection.close();
    m.asking?.close();
    if (m.panel) render(null, m.panel.container);
    if (m.button) render(null, m.button.container);
    m.panel?.remove();
    m.button?.remove();
  }

  /** Runs a callback so that nothing it throws can reach GitHub's page. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      try {
        if (this.mounted) {
          this.openPanel();
          this.dispatch({ type: 'failed', failure: internalFailure(error) });
        }
      } catch {
        /* the panel itself failed; stay silent rather than break the page */
      }
    }
  }
}

function withHead(headSha: string | undefined): { headSha?: string } {
  return headSha ? { headSha } : {};
}

function internalFailure(error: unknown): ReviewFailure {
  return {
    code: 'internal',
    message: `Something went wrong in local-pr-review: ${error instanceof Error ? error.message : String(error)}`,
    nextStep: 'Retry; if it keeps happening, reload the page.',
    retryable: true,
  };
}
