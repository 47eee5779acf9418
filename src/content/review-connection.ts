/**
 * The content script's side of a review: one Port per review run. Closing the Port (reset,
 * navigation, closed tab) cancels the session in the engine host. While the Port is open (the
 * model downloads, loads, reviews) the keep-alive pings the background, which Firefox would
 * otherwise stop after 30 s with the engine inside it.
 */
import { extensionApi } from '../shared/extension-api';
import { KeepAlive } from '../shared/keep-alive';

type Port = chrome.runtime.Port;
import {
  BACKGROUND_TO_CONTENT_KINDS,
  REVIEW_PORT,
  hasKind,
  type BackgroundToContent,
  type ContentToBackground,
  type FollowUpRequest,
  type OneShotRequest,
  type ReviewFailure,
  type ReviewRequest,
} from '../protocol';

/** The extension itself was reloaded or updated under this page: only a reload reconnects it. */
const INVALIDATED: ReviewFailure = {
  code: 'host-unavailable',
  message: 'Lost the connection to the extension (it was reloaded or updated).',
  nextStep: 'Reload this page, then review again.',
  retryable: true,
};

/**
 * The extension still runs, but its background stopped (Chrome stops idle service workers, and
 * DevTools or the browser can stop one at any time). Connecting again wakes it, so Retry works.
 */
const INTERRUPTED: ReviewFailure = {
  code: 'host-unavailable',
  message: "The review was interrupted: the extension's background stopped.",
  nextStep: 'Retry to review again.',
  retryable: true,
};

/** Which of the two happened: an invalidated content script has no runtime id any more. */
export function lostFailure(runtimeId: string | undefined): ReviewFailure {
  return runtimeId ? INTERRUPTED : INVALIDATED;
}

function lost(): ReviewFailure {
  let id: string | undefined;
  try {
    id = extensionApi().runtime?.id;
  } catch {
    id = undefined;
  }
  return lostFailure(id);
}

const PING: OneShotRequest = { kind: 'keepalive' };

/** One per content script: a ping that fails (extension reloaded) just does nothing. */
const keepAlive = new KeepAlive(() => {
  try {
    void extensionApi().runtime.sendMessage(PING).catch(() => undefined);
  } catch {
    /* extension context invalidated: the Port reports the loss */
  }
});

export class ReviewConnection {
  private port: Port | null = null;
  private releaseKeepAlive: (() => void) | null = null;

  constructor(
    private readonly onMessage: (message: BackgroundToContent) => void,
    private readonly onLost: (failure: ReviewFailure) => void,
  ) {}

  start(request: ReviewRequest): void {
    this.open({ kind: 'review/start', request });
  }

  /** A follow-up question: its answer streams as text events, then `followup/done`. */
  ask(request: FollowUpRequest): void {
    this.open({ kind: 'followup/start', request });
  }

  private open(first: ContentToBackground): void {
    this.close();
    let port: Port;
    try {
      port = extensionApi().runtime.connect({ name: REVIEW_PORT });
    } catch {
      // "Extension context invalidated": the extension was reloaded under this page.
      this.onLost(lost());
      return;
    }
    this.port = port;
    this.releaseKeepAlive = keepAlive.hold();
    port.onMessage.addListener((raw: unknown) => {
      if (this.port !== port || !hasKind<BackgroundToContent>(raw, BACKGROUND_TO_CONTENT_KINDS)) return;
      this.onMessage(raw);
      const finished =
        raw.kind === 'review/cancelled' || raw.kind === 'review/failed' || raw.kind === 'followup/done' || (raw.kind === 'review/event' && raw.event.type === 'done');
      if (finished) this.close();
    });
    port.onDisconnect.addListener(() => {
      if (this.port !== port) return;
      this.port = null;
      this.stopKeepAlive();
      this.onLost(lost());
    });
    this.post(first);
  }

  cancel(): void {
    this.post({ kind: 'review/cancel' });
  }

  /** Drops the Port; the background cancels whatever was still running for it. */
  close(): void {
    const port = this.port;
    this.port = null;
    this.stopKeepAlive();
    try {
      port?.disconnect();
    } catch {
      /* already gone */
    }
  }

  private post(message: ContentToBackground): void {
    try {
      this.port?.postMessage(message);
    } catch {
      this.port = null;
      this.stopKeepAlive();
      this.onLost(lost());
    }
  }

  private stopKeepAlive(): void {
    this.releaseKeepAlive?.();
    this.releaseKeepAlive = null;
  }
}
