/**
 * The extension-messaging boundary, faked for unit tests of the content script: what the
 * background and the engine host would answer (runtime.sendMessage), review Ports
 * (runtime.connect), messages to the tab (runtime.onMessage) and storage.local. The content
 * script's own code runs for real on top of it.
 */
import { vi } from 'vitest';
import type { Reply, Request, RequestOf } from '../../protocol';

type Listener = (...args: unknown[]) => void;

class Listeners {
  readonly all = new Set<Listener>();
  addListener = (listener: Listener) => void this.all.add(listener);
  removeListener = (listener: Listener) => void this.all.delete(listener);
  fire(...args: unknown[]): void {
    for (const listener of [...this.all]) listener(...args);
  }
}

/** One review Port, seen from the background's side. */
export class FakePort {
  readonly posted: unknown[] = [];
  disconnected = false;
  readonly onMessage = new Listeners();
  readonly onDisconnect = new Listeners();
  constructor(readonly name: string) {}
  postMessage(message: unknown): void {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    this.posted.push(message);
  }
  /** The content script closed it. */
  disconnect(): void {
    this.disconnected = true;
  }
  /** The background sends a message on it. */
  send(message: unknown): void {
    this.onMessage.fire(message, this);
  }
  /** The background went away (stopped service worker). */
  drop(): void {
    this.disconnected = true;
    this.onDisconnect.fire(this);
  }
}

type Answer<K extends Request['kind']> = (request: RequestOf<K>) => Reply[K] | Promise<Reply[K]>;

export interface FakeExtension {
  /** How the other side answers one kind of request (unanswered kinds resolve to undefined). */
  answer<K extends Request['kind']>(kind: K, reply: Answer<K>): void;
  /** Every request the content script sent, in order. */
  readonly requests: Request[];
  sent<K extends Request['kind']>(kind: K): Array<RequestOf<K>>;
  readonly ports: FakePort[];
  lastPort(): FakePort;
  /** The background's tabs.sendMessage to this tab. */
  sendToTab(message: unknown): void;
  readonly storage: Map<string, unknown>;
  /** Makes storage.local fail (full, private mode). */
  failStorage(message: string | null): void;
  /** The extension was reloaded under the page: connect throws, the runtime id is gone. */
  invalidate(): void;
}

function ofKind<K extends Request['kind']>(kind: K) {
  return (request: Request): request is RequestOf<K> => request.kind === kind;
}

export function installFakeExtension(): FakeExtension {
  const answers = new Map<string, (request: never) => unknown>();
  const requests: Request[] = [];
  const ports: FakePort[] = [];
  const storage = new Map<string, unknown>();
  const onMessage = new Listeners();
  let storageError: string | null = null;
  let valid = true;
  const runtime = {
    get id() {
      return valid ? 'fake-extension-id' : undefined;
    },
    sendMessage: async (request: Request) => {
      requests.push(request);
      const reply = answers.get(request.kind);
      return reply ? reply(request as never) : undefined;
    },
    connect: ({ name }: { name: string }) => {
      if (!valid) throw new Error('Extension context invalidated.');
      const port = new FakePort(name);
      ports.push(port);
      return port;
    },
    onMessage,
  };
  const check = () => {
    if (storageError) throw new Error(storageError);
  };
  const keysOf = (keys: string | string[] | null) => (keys === null ? [...storage.keys()] : typeof keys === 'string' ? [keys] : keys);
  const local = {
    get: async (keys: string | string[] | null) => {
      check();
      return Object.fromEntries(keysOf(keys).filter((k) => storage.has(k)).map((k) => [k, structuredClone(storage.get(k))]));
    },
    set: async (items: Record<string, unknown>) => {
      check();
      for (const [k, v] of Object.entries(items)) storage.set(k, structuredClone(v));
    },
    remove: async (keys: string | string[]) => {
      check();
      for (const k of keysOf(keys)) storage.delete(k);
    },
  };
  vi.stubGlobal('browser', undefined);
  vi.stubGlobal('chrome', { runtime, storage: { local, sync: local, onChanged: new Listeners() } });
  return {
    answer(kind, reply) {
      answers.set(kind, reply);
    },
    requests,
    sent: (kind) => requests.filter(ofKind(kind)),
    ports,
    lastPort() {
      const port = ports.at(-1);
      if (!port) throw new Error('no Port was opened');
      return port;
    },
    sendToTab: (message) => onMessage.fire(message, {}, () => undefined),
    storage,
    failStorage(message) {
      storageError = message;
    },
    invalidate() {
      valid = false;
    },
  };
}
