/**
 * Chrome: the engine host lives in an offscreen document (service workers are killed after ~30 s
 * idle or 5 minutes of one task, which would cut a long review off). The document connects back
 * with a Port named ENGINE_HOST_PORT; this link creates it on demand and waits for that Port.
 */
import { HOST_TO_BACKGROUND_SCHEMA, checkMessage } from '../protocol-schema';
import type { Runtime } from 'webextension-polyfill';
import {
  hasKind,
  type BackgroundToHost,
  type HostToBackground,
  type HostWake,
  type HostWakeResponse,
  type HostWakeUp,
} from '../protocol';
import { HostUnavailableError, type HostLink } from './router';

const OFFSCREEN_PATH = 'extension/offscreen.html';
const CONNECT_TIMEOUT_MS = 15_000;

export interface OffscreenLink extends HostLink {
  /** Hand the Port the offscreen document opened to this link. */
  acceptHostPort(port: Runtime.Port): void;
}

async function documentExists(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
  return contexts.length > 0;
}

async function openDocument(): Promise<void> {
  if (await documentExists()) {
    // The document is alive but lost its Port (the service worker restarted): wake it.
    const wake: HostWakeUp = { kind: 'host/reconnect' };
    await chrome.runtime.sendMessage(wake).catch(() => undefined);
    return;
  }
  await chrome.offscreen.createDocument({
    url: OFFSCREEN_PATH,
    reasons: [chrome.offscreen.Reason.WORKERS],
    justification: 'Runs the local language model that reviews pull requests, shared by all tabs.',
  });
}

export function createOffscreenLink(connectTimeoutMs = CONNECT_TIMEOUT_MS): OffscreenLink {
  let port: Runtime.Port | null = null;
  let waiting: Array<() => void> = [];
  const messageListeners: Array<(m: HostToBackground) => void> = [];
  const disconnectListeners: Array<() => void> = [];

  let starting: Promise<void> | null = null;

  async function start(): Promise<void> {
    const connected = waitForPort();
    try {
      await openDocument();
    } catch (error) {
      // Stop waiting, or the timeout would later close a document some other start opened.
      connected.cancel();
      throw new HostUnavailableError({
        code: 'host-unavailable',
        message: `The engine could not start: ${error instanceof Error ? error.message : String(error)}`,
        nextStep: 'Retry; if it keeps failing, reload the extension from chrome://extensions.',
        retryable: true,
      });
    }
    await connected.promise;
  }

  function waitForPort(): { promise: Promise<void>; cancel: () => void } {
    let cancel: () => void = () => {};
    const promise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting = waiting.filter((w) => w !== done);
        // A document that never answered is broken: close it so a retry starts clean.
        void chrome.offscreen.closeDocument().catch(() => undefined);
        reject(
          new HostUnavailableError({
            code: 'host-unavailable',
            message: 'The engine did not start in time.',
            nextStep: 'Retry; if it keeps failing, reload the extension from chrome://extensions.',
            retryable: true,
          }),
        );
      }, connectTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      waiting.push(done);
      cancel = () => {
        clearTimeout(timer);
        waiting = waiting.filter((w) => w !== done);
      };
    });
    return { promise, cancel: () => cancel() };
  }

  const link: OffscreenLink = {
    ensure() {
      if (port) return Promise.resolve();
      // One start at a time: a tab's review and an extension page's question can arrive together,
      // and Chrome allows a single offscreen document ("Only a single offscreen document may be created").
      starting ??= start().finally(() => {
        starting = null;
      });
      return starting;
    },
    send(message: BackgroundToHost) {
      if (!port) throw new Error('engine host not connected');
      port.postMessage(message);
    },
    onMessage(listener) {
      messageListeners.push(listener);
    },
    onDisconnect(listener) {
      disconnectListeners.push(listener);
    },
    acceptHostPort(newPort) {
      newPort.onMessage.addListener((raw: unknown) => {
        // The schema check also rejects a missing or unknown kind.
        const checked = checkMessage(HOST_TO_BACKGROUND_SCHEMA, raw);
        if (!checked.ok) return;
        const message = checked.message;
        if (message.kind === 'host/ready') {
          port = newPort;
          const ready = waiting;
          waiting = [];
          for (const resolve of ready) resolve();
          return;
        }
        for (const listener of messageListeners) listener(message);
      });
      newPort.onDisconnect.addListener(() => {
        if (port !== newPort) return;
        port = null;
        for (const listener of disconnectListeners) listener();
      });
    },
  };

  // Extension pages ask the engine host about models with runtime.sendMessage; the document must
  // exist to answer, so they first send host/wake, answered here once it is up.
  chrome.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || !hasKind<HostWake>(raw, ['host/wake'])) return undefined;
    link.ensure().then(
      () => sendResponse({ ok: true } satisfies HostWakeResponse),
      (error: unknown) => sendResponse({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies HostWakeResponse),
    );
    return true;
  });
  return link;
}
