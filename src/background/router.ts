/**
 * The background routes; it never runs a model. Each content-script Port becomes a session on
 * the engine host, and whatever the host says about that session goes back down that Port only,
 * so two tabs never see each other's stream. A tab that closes or navigates away disconnects its
 * Port, which cancels its session.
 */
import type { Runtime } from 'webextension-polyfill';
import { CONTENT_TO_BACKGROUND_SCHEMA, checkMessage, failureText, malformedMessage } from '../protocol-schema';
import {
  type BackgroundToContent,
  type BackgroundToHost,
  type ContentToBackground,
  type FollowUpRequest,
  type HostToBackground,
  type ReviewFailure,
  type ReviewRequest,
} from '../protocol';

/** A request made ready for the host, or why it cannot be reviewed (told to the tab; the host never sees it). */
export type Prepared<T> = { ok: true; request: T } | { ok: false; failure: ReviewFailure };

/**
 * Work the background does on a request before the host gets it: completing the page's diff from
 * GitHub (src/background/diff-completer.ts), the incremental review's compare diff
 * (src/background/incremental-request.ts). See src/background/request-preparation.ts.
 */
export interface Preparation {
  review(request: ReviewRequest): Promise<Prepared<ReviewRequest>>;
  followUp(request: FollowUpRequest): Promise<Prepared<FollowUpRequest>>;
}

/** Hands requests on as they came (tests of routing alone). */
const AS_IS: Preparation = {
  review: async (request) => ({ ok: true, request }),
  followUp: async (request) => ({ ok: true, request }),
};

/** The way to the engine host: a Port to the offscreen document in Chrome, a direct call in Firefox. */
export interface HostLink {
  /** Resolves once the host can take messages; rejects with a ReviewFailure-shaped error if it cannot start. */
  ensure(): Promise<void>;
  send(message: BackgroundToHost): void;
  /** Called with every message of the host. */
  onMessage(listener: (message: HostToBackground) => void): void;
  /** Called when the host goes away (crash, closed document). */
  onDisconnect(listener: () => void): void;
}

export class HostUnavailableError extends Error {
  constructor(readonly failure: ReviewFailure) {
    super(failure.message);
    this.name = 'HostUnavailableError';
  }
}

export class Router {
  private readonly ports = new Map<string, Runtime.Port>();
  /** Sessions the host is working on; only these hear about a host crash. */
  private readonly running = new Set<string>();
  private nextSession = 1;

  constructor(
    private readonly host: HostLink,
    private readonly prepare: Preparation = AS_IS,
  ) {
    host.onMessage((message) => {
      if (message.kind !== 'session/message') return;
      const inner = message.message;
      const finished =
        inner.kind === 'review/cancelled' ||
        inner.kind === 'review/failed' ||
        inner.kind === 'followup/done' ||
        (inner.kind === 'review/event' && inner.event.type === 'done');
      if (finished) this.running.delete(message.session);
      const port = this.ports.get(message.session);
      if (port) send(port, inner);
    });
    host.onDisconnect(() => {
      const failure: ReviewFailure = {
        code: 'host-crashed',
        message: 'The engine stopped unexpectedly (the model may have run out of memory).',
        nextStep: 'Retry: the engine restarts.',
        retryable: true,
      };
      for (const session of this.running) {
        const port = this.ports.get(session);
        if (port) send(port, { kind: 'review/failed', failure });
      }
      this.running.clear();
    });
  }

  /** Takes a content script's Port; each Port is one session. */
  acceptContentPort(port: Runtime.Port): void {
    const tabId = port.sender?.tab?.id ?? 'x';
    const session = `${tabId}:${this.nextSession++}`;
    this.ports.set(session, port);
    port.onMessage.addListener((raw: unknown) => {
      // The content script runs inside github.com's renderer: check every message's shape.
      const checked = checkMessage<ContentToBackground>(CONTENT_TO_BACKGROUND_SCHEMA, raw);
      if (!checked.ok) {
        send(port, { kind: 'review/failed', failure: { code: 'bad-message', message: malformedMessage(checked.problem), retryable: false } });
        return;
      }
      void this.fromContent(session, port, checked.message);
    });
    port.onDisconnect.addListener(() => {
      this.ports.delete(session);
      this.running.delete(session);
      // Best effort: if the host is gone there is nothing left to cancel.
      try {
        this.host.send({ kind: 'session/cancel', session });
      } catch {
        /* host not running */
      }
    });
  }

  private async fromContent(session: string, port: Runtime.Port, message: ContentToBackground): Promise<void> {
    switch (message.kind) {
      case 'review/start':
      case 'followup/start': {
        // The diff is completed while the host starts; the host gets the whole diff, once.
        const ready = this.toHost(session, message);
        try {
          await this.host.ensure();
        } catch (error) {
          send(port, {
            kind: 'review/failed',
            failure:
              error instanceof HostUnavailableError
                ? error.failure
                : {
                    code: 'host-unavailable',
                    message: 'The engine could not start.',
                    nextStep: 'Retry; if it keeps failing, reload the extension.',
                    retryable: true,
                  },
          });
          return;
        }
        if (!this.ports.has(session)) return; // the tab went away while the host started
        this.running.add(session);
        const prepared = await ready;
        if (!this.ports.has(session) || !this.running.has(session)) return;
        if (!prepared.ok) {
          this.running.delete(session);
          send(port, { kind: 'review/failed', failure: prepared.failure });
          return;
        }
        this.host.send(prepared.request);
        break;
      }
      case 'review/cancel':
        try {
          this.host.send({ kind: 'session/cancel', session });
        } catch {
          this.running.delete(session);
          send(port, { kind: 'review/cancelled' });
        }
        break;
    }
  }

  /** The host's message for a start request, once the background's preparation is done; never rejects. */
  private async toHost(session: string, message: Extract<ContentToBackground, { request: unknown }>): Promise<Prepared<BackgroundToHost>> {
    try {
      if (message.kind === 'followup/start') {
        const prepared = await this.prepare.followUp(message.request);
        return prepared.ok ? { ok: true, request: { kind: 'session/followup', session, request: prepared.request } } : prepared;
      }
      const prepared = await this.prepare.review(message.request);
      return prepared.ok ? { ok: true, request: { kind: 'session/start', session, request: prepared.request } } : prepared;
    } catch (error) {
      return { ok: false, failure: { code: 'internal', message: failureText(message.kind, error), retryable: true } };
    }
  }
}

function send(port: Runtime.Port, message: BackgroundToContent): void {
  try {
    port.postMessage(message);
  } catch {
    /* the tab is gone */
  }
}
