// Chrome offscreen document: the engine host. Only chrome.runtime exists here, so it is used directly.
import {
  BACKGROUND_TO_HOST_KINDS,
  ENGINE_HOST_PORT,
  MODEL_QUERY_KINDS,
  hasKind,
  type BackgroundToHost,
  type HostStatusRequest,
  type HostToBackground,
  type HostWakeUp,
  type ModelQuery,
} from '../src/protocol';
import { createHostServices } from '../src/host/host-services';
import { BACKGROUND_TO_HOST_SCHEMA, MODEL_QUERY_SCHEMA, checkMessage, failureText, malformedMessage } from '../src/protocol-schema';
import type { BenchCpuEngineRequest } from '../src/host/bench-hook';

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

chrome.runtime.onMessage.addListener((raw: unknown, sender, sendResponse) => {
  // Only the extension's own pages and scripts talk to the host.
  if (sender.id !== chrome.runtime.id) return undefined;
  if (hasKind<HostWakeUp>(raw, ['host/reconnect']) && !port) connect();
  if (hasKind<HostStatusRequest>(raw, ['host/status'])) sendResponse(host.status());
  if (hasKind<ModelQuery>(raw, MODEL_QUERY_KINDS)) {
    const checked = checkMessage(MODEL_QUERY_SCHEMA, raw);
    if (!checked.ok) sendResponse({ ok: false, malformed: true, message: malformedMessage(checked.problem) });
    else void models.handle(checked.message).then(sendResponse, (error: unknown) => sendResponse({ ok: false, message: failureText(raw.kind, error) }));
    return true; // answered asynchronously
  }
  if (__E2E__ && hasKind<BenchCpuEngineRequest>(raw, ['bench/cpu-engine'])) {
    void import('../src/host/bench-hook').then((m) => m.runCpuBench(raw)).then(sendResponse);
    return true;
  }
  return undefined;
});

// Keeps the service worker awake while a long prefill produces no tokens.
setInterval(() => {
  if (host.activeSessions > 0) post({ kind: 'host/heartbeat' });
}, HEARTBEAT_MS);

connect();
