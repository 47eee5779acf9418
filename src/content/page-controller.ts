/**
 * The content script's conductor. It watches GitHub's soft navigation, keeps exactly one Review
 * button on PR pages, owns the panel's state, and tears everything down when the user leaves a PR.
 * Every callback is fenced (`guard`): an error here is shown in the panel, never thrown into
 * GitHub's page.
 */
import { h, render } from 'preact';
import browser from 'webextension-polyfill';
import { detectPage, prKey, type PageInfo } from '../github/page-detect';
import { findButtonAnchor } from './button-anchor';
import { BACKGROUND_TO_TAB_KINDS, hasKind, type BackgroundToTab, type ReviewFailure } from '../protocol';
import { Panel } from '../ui/panel/panel';
import { ReviewButton } from '../ui/panel/review-button';
import { initialPanelState, isBusy, panelReducer, type PanelAction, type PanelState } from '../ui/panel/panel-state';
import { PANEL_CSS, BUTTON_CSS } from '../ui/panel/panel-css';
import { createShadowMount, HOST_ATTRIBUTE, type ShadowMount } from './shadow-mount';
import { detectGithubTheme, watchGithubTheme } from '../ui/theme';
import { ReviewConnection } from './review-connection';
import { readPullRequestDiff } from './diff-reader';
import { loadSettingsForReview, openOptions } from './extension-services';
import { scrollToFinding } from './finding-navigation';

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
}

export class PageController {
  private mounted: Mounted | null = null;
  private lastUrl = '';
  private observer: MutationObserver | null = null;
  private scheduled = false;
  private readonly disposers: Array<() => void> = [];

  constructor(private readonly win: Window & typeof globalThis) {}

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
    this.observer.observe(doc.documentElement, { childList: true, subtree: true });
    const onMessage = (raw: unknown) => {
      if (hasKind<BackgroundToTab>(raw, BACKGROUND_TO_TAB_KINDS) && raw.kind === 'command/start-review') {
        this.guard(() => this.openAndStart());
      }
      return undefined;
    };
    browser.runtime.onMessage.addListener(onMessage);
    // Follow GitHub's light/dark switch (or the system's, in auto mode) while the panel is open.
    this.disposers.push(
      watchGithubTheme(doc, () =>
        this.guard(() => {
          this.renderPanel();
          this.renderButton();
        }),
      ),
    );
    this.disposers.push(() => browser.runtime.onMessage.removeListener(onMessage));
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
      };
    }
    this.mounted.info = info;
    this.ensureButton();
  }

  private buttonInPlace(): boolean {
    const button = this.mounted?.button;
    return !this.mounted || (!!button && button.host.isConnected);
  }

  private ensureButton(): void {
    const m = this.mounted;
    if (!m) return;
    const doc = this.win.document;
    const anchor = findButtonAnchor(doc);
    if (m.button?.host.isConnected) {
      const floating = m.button.host.getAttribute('data-floating') === 'true';
      // Upgrade a floating button once the header shows up (React headers render late).
      if (!(floating && anchor)) return;
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
    if (!isBusy(m.state)) void this.startReview();
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
  }

  private closePanel(): void {
    const m = this.mounted;
    if (!m) return;
    m.panelOpen = false;
    if (m.panel) render(null, m.panel.container);
    m.panel?.remove();
    m.panel = null;
  }

  private async startReview(): Promise<void> {
    const m = this.mounted;
    if (!m) return;
    this.dispatch({ type: 'reading' });
    try {
      const settings = await loadSettingsForReview();
      const result = await readPullRequestDiff(this.win.document, this.win.location.href, m.info);
      if (this.mounted !== m || m.state.phase !== 'reading') return; // navigated away or cancelled
      if ('failure' in result) {
        this.dispatch({ type: 'failed', failure: result.failure });
        return;
      }
      this.dispatch({ type: 'starting' });
      m.connection.start({ diff: result.diff, settings });
    } catch (error) {
      if (this.mounted === m) this.dispatch({ type: 'failed', failure: internalFailure(error) });
    }
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
    m.state = panelReducer(m.state, action);
    this.renderPanel();
    this.renderButton();
  }

  private renderPanel(): void {
    const m = this.mounted;
    if (!m?.panel || !m.panelOpen) return;
    m.panel.container.setAttribute('data-theme', detectGithubTheme(this.win.document));
    render(
      h(Panel, {
        state: m.state,
        title: m.info.number !== null ? `Review of #${m.info.number}` : `Review of ${m.info.sha?.slice(0, 7) ?? 'commit'}`,
        onStart: () => this.guard(() => void this.startReview()),
        onCancel: () => this.guard(() => this.cancelReview()),
        onClose: () => this.guard(() => this.closePanel()),
        onOpenOptions: () => this.guard(() => void openOptions()),
        onJumpTo: (finding) => this.guard(() => scrollToFinding(this.win.document, finding)),
      }),
      m.panel.container,
    );
  }

  /** Leaving the PR: cancel whatever runs and remove every trace of ourselves. */
  private teardown(): void {
    const m = this.mounted;
    if (!m) return;
    this.mounted = null;
    m.connection.close();
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

function internalFailure(error: unknown): ReviewFailure {
  return {
    code: 'internal',
    message: `Something went wrong in local-pr-review: ${error instanceof Error ? error.message : String(error)}`,
    nextStep: 'Retry; if it keeps happening, reload the page.',
    retryable: true,
  };
}
