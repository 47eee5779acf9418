/**
 * Firefox: there are no offscreen documents, and the MV3 background is an event page (a real
 * document with WebGPU and WebAssembly), so the engine host runs right there, behind the same
 * HostLink the Chrome build reaches over a Port.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import type { HostToBackground } from '../protocol';
import { createHostServices } from '../host/host-services';
import { createHostMessageHandler } from '../host/host-messages';
import type { HostLink } from './router';

export function createInProcessLink(): HostLink {
  const listeners: Array<(m: HostToBackground) => void> = [];
  const { host, models } = createHostServices((session, message) => {
    for (const listener of listeners) listener({ kind: 'session/message', session, message });
  });
  // The model manager's questions: in Firefox the host is right here, so it answers them itself.
  const answer = createHostMessageHandler({ host, models, answersWake: true });
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => answer(raw, sender.id, browser.runtime.id));
  return {
    ensure: () => Promise.resolve(),
    send: (message) => host.handle(message),
    onMessage: (listener) => void listeners.push(listener),
    onDisconnect: () => undefined, // in-process: it cannot go away on its own
  };
}
