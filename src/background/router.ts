/**
 * The background routes; it never runs a model. Each content-script Port becomes a session on
 * the engine host, and whatever the host says about that session goes back down that Port only,
 * so two tabs never see each other's stream. A tab that closes or navigates away disconnects its
 * Port, which cancels its session.
 */
import type { Runtime } from 'webextension-polyfill';
import { CONTENT_TO_BACKGROUND_SCHEMA, checkMessage, malformedMessage } from '../protocol-schema';
import {
  type BackgroundToContent,
  type BackgroundToHost,
  type ContentToBackground,
  type HostToBackground,
  type ReviewFailure,
  type ReviewRequest,
} from '../protocol';

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
    /** Work the background does on a request before the host gets it (the incremental review's compare diff). */
    private readonly prepare: (request: ReviewRequest) => Promise<ReviewRequest> = async (request) => request,
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
        if (message.kind === 'followup/start') {
          this.host.send({ kind: 'session/followup', session, request: message.request });
          break;
        }
        const request = await this.prepare(message.request).catch(() => message.request);
        if (!this.ports.has(session)) return;
        this.host.send({ kind: 'session/start', session, request });
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
}

function send(port: Runtime.Port, message: BackgroundToContent): void {
  try {
    port.postMessage(message);
  } catch {
    /* the tab is gone */
  }
}
