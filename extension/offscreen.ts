// Chrome offscreen document: the engine host. Only chrome.runtime exists here, so it is used directly.
import { BACKGROUND_TO_HOST_KINDS, ENGINE_HOST_PORT, hasKind, type BackgroundToHost, type BenchCpuEngineRequest, type HostToBackground } from '../src/protocol';
import { createHostServices } from '../src/host/host-services';
import { createHostMessageHandler } from '../src/host/host-messages';
import { BACKGROUND_TO_HOST_SCHEMA, checkMessage, malformedMessage } from '../src/protocol-schema';

const HEARTBEAT_MS = 20_000;
let port: chrome.runtime.Port | null = null;

function post(message: HostToBackground): void {
  try {
    port?.postMessage(message);
  } catch {
    /* the background restarted; it will wake us with host/reconnect */
  }
}

const { host, models } = createHostServices((session, message) => post({ kind: 'session/message', session, message }));

function connect(): void {
  const current = chrome.runtime.connect({ name: ENGINE_HOST_PORT });
  port = current;
  current.onMessage.addListener((raw: unknown) => {
    if (!hasKind<BackgroundToHost>(raw, BACKGROUND_TO_HOST_KINDS)) return;
    const checked = checkMessage(BACKGROUND_TO_HOST_SCHEMA, raw);
    if (checked.ok) host.handle(checked.message);
    else if (typeof raw.session === 'string') {
      post({ kind: 'session/message', session: raw.session, message: { kind: 'review/failed', failure: { code: 'bad-message', message: malformedMessage(checked.problem), retryable: false } } });
    }
  });
  current.onDisconnect.addListener(() => {
    if (port !== current) return;
    port = null;
    // Every session was routed through the old service worker; nobody is listening any more.
    host.cancelAll();
  });
  post({ kind: 'host/ready' });
}

const answer = createHostMessageHandler({
  host,
  models,
  answersWake: false,
  onReconnect: () => {
    if (!port) connect();
  },
  ...(__E2E__ ? { bench: (request: BenchCpuEngineRequest) => import('../src/host/bench-hook').then((m) => m.runCpuBench(request)) } : {}),
});

chrome.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
  const answering = answer(raw, sender.id, chrome.runtime.id);
  if (!answering) return undefined;
  void answering.then(sendResponse);
  return true; // answered asynchronously
});

// Keeps the service worker awake while a long prefill produces no tokens.
setInterval(() => {
  if (host.activeSessions > 0) post({ kind: 'host/heartbeat' });
}, HEARTBEAT_MS);

connect();
