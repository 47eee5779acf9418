/**
 * Firefox: there are no offscreen documents, and the MV3 background is an event page (a real
 * document with WebGPU and WebAssembly), so the engine host runs right there, behind the same
 * HostLink the Chrome build reaches over a Port.
 */
import type { HostToBackground } from '../protocol';
import { EngineHost } from '../host/engine-host';
import { createEngine } from '../engine/engine-factory';
import type { HostLink } from './router';

export function createInProcessLink(): HostLink {
  const listeners: Array<(m: HostToBackground) => void> = [];
  const host = new EngineHost({
    createEngine,
    post: (session, message) => {
      for (const listener of listeners) listener({ kind: 'session/message', session, message });
    },
  });
  return {
    ensure: () => Promise.resolve(),
    send: (message) => host.handle(message),
    onMessage: (listener) => void listeners.push(listener),
    onDisconnect: () => undefined, // in-process: it cannot go away on its own
  };
}
