/**
 * Firefox: there are no offscreen documents, and the MV3 background is an event page (a real
 * document with WebGPU and WebAssembly), so the engine host runs right there, behind the same
 * HostLink the Chrome build reaches over a Port.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { MODEL_QUERY_KINDS, hasKind, type HostStatusRequest, type HostToBackground, type HostWake, type HostWakeResponse, type ModelQuery } from '../protocol';
import { createHostServices } from '../host/host-services';
import { MODEL_QUERY_SCHEMA, checkMessage, failureText, malformedMessage } from '../protocol-schema';
import type { HostLink } from './router';

export function createInProcessLink(): HostLink {
  const listeners: Array<(m: HostToBackground) => void> = [];
  const { host, models } = createHostServices((session, message) => {
    for (const listener of listeners) listener({ kind: 'session/message', session, message });
  });
  // The model manager's questions: in Firefox the host is right here, so it answers them itself.
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id) return undefined;
    if (hasKind<HostWake>(raw, ['host/wake'])) return Promise.resolve({ ok: true } satisfies HostWakeResponse);
    if (hasKind<HostStatusRequest>(raw, ['host/status'])) return Promise.resolve(host.status());
    if (hasKind<ModelQuery>(raw, MODEL_QUERY_KINDS)) {
      const checked = checkMessage(MODEL_QUERY_SCHEMA, raw);
      if (!checked.ok) return Promise.resolve({ ok: false, malformed: true, message: malformedMessage(checked.problem) });
      return models.handle(checked.message).catch((error: unknown) => ({ ok: false, message: failureText(raw.kind, error) }));
    }
    return undefined;
  });
  return {
    ensure: () => Promise.resolve(),
    send: (message) => host.handle(message),
    onMessage: (listener) => void listeners.push(listener),
    onDisconnect: () => undefined, // in-process: it cannot go away on its own
  };
}
