/**
 * The slice of `browser.storage.sync` / `.local` our stores use, so they can run against an
 * in-memory area in unit tests and against the real one in the extension.
 */

export interface StorageChange {
  oldValue?: unknown;
  newValue?: unknown;
}

export type StorageChangeListener = (changes: Record<string, StorageChange>) => void;

export interface StorageArea {
  /** null: every item in the area. */
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
  onChanged: {
    addListener(listener: StorageChangeListener): void;
    removeListener(listener: StorageChangeListener): void;
  };
}

/** storage.sync's per-item limit (Chrome and Firefox): JSON of the value plus the key's length. */
export const SYNC_QUOTA_BYTES_PER_ITEM = 8192;

/** Bytes an item counts against a per-item quota. */
export function itemBytes(key: string, value: unknown): number {
  return new TextEncoder().encode(key + JSON.stringify(value ?? null)).length;
}

/** Structural type of `browser.storage` (webextension-polyfill) / `chrome.storage` we need. */
export interface BrowserStorageLike {
  onChanged: {
    addListener(listener: (changes: Record<string, StorageChange>, areaName: string) => void): void;
    removeListener(listener: (changes: Record<string, StorageChange>, areaName: string) => void): void;
  };
  sync: Pick<StorageArea, 'get' | 'set' | 'remove'>;
  local: Pick<StorageArea, 'get' | 'set' | 'remove'>;
}

/**
 * Adapts `browser.storage` to a StorageArea. Changes are taken from the global
 * `storage.onChanged` filtered by area name: the per-area `onChanged` is missing in older Firefox.
 */
export function browserStorageArea(storage: BrowserStorageLike, areaName: 'sync' | 'local'): StorageArea {
  const area = storage[areaName];
  const wrapped = new Map<StorageChangeListener, (changes: Record<string, StorageChange>, name: string) => void>();
  return {
    get: (keys) => area.get(keys),
    set: (items) => area.set(items),
    remove: (keys) => area.remove(keys),
    onChanged: {
      addListener(listener) {
        if (wrapped.has(listener)) return;
        const filtered = (changes: Record<string, StorageChange>, name: string) => {
          if (name === areaName) listener(changes);
        };
        wrapped.set(listener, filtered);
        storage.onChanged.addListener(filtered);
      },
      removeListener(listener) {
        const filtered = wrapped.get(listener);
        if (!filtered) return;
        wrapped.delete(listener);
        storage.onChanged.removeListener(filtered);
      },
    },
  };
}

export interface MemoryAreaOptions {
  /** Enforce storage.sync's per-item quota, rejecting like the browser does. */
  quotaBytesPerItem?: number;
}

export interface MemoryStorageArea extends StorageArea {
  /** A copy of everything stored, for assertions. */
  snapshot(): Record<string, unknown>;
}

/**
 * An in-memory StorageArea with the browser's semantics that matter to us: values are copied
 * through JSON (as the browser serialises them), listeners fire after a change with old and new
 * values, and nothing fires for a write that changes nothing.
 */
export function createMemoryArea(initial: Record<string, unknown> = {}, options: MemoryAreaOptions = {}): MemoryStorageArea {
  // JSON.parse gives back the same shape it was given (plain data in, plain data out).
  const copy = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));
  const items = new Map<string, unknown>(Object.entries(copy(initial)));
  const listeners = new Set<StorageChangeListener>();
  const emit = (changes: Record<string, StorageChange>) => {
    if (Object.keys(changes).length === 0) return;
    // Asynchronous, like the browser's events.
    queueMicrotask(() => {
      for (const listener of [...listeners]) listener(copy(changes));
    });
  };
  const keyList = (keys: string | string[] | null) => (keys === null ? [...items.keys()] : Array.isArray(keys) ? keys : [keys]);

  return {
    async get(keys) {
      const out: Record<string, unknown> = {};
      for (const key of keyList(keys)) if (items.has(key)) out[key] = copy(items.get(key));
      return out;
    },
    async set(newItems) {
      const quota = options.quotaBytesPerItem;
      if (quota !== undefined) {
        for (const [key, value] of Object.entries(newItems)) {
          if (itemBytes(key, value) > quota) throw new Error('QUOTA_BYTES_PER_ITEM quota exceeded');
        }
      }
      const changes: Record<string, StorageChange> = {};
      for (const [key, value] of Object.entries(newItems)) {
        const oldValue = items.get(key);
        const next = copy(value);
        if (JSON.stringify(oldValue) === JSON.stringify(next)) continue;
        items.set(key, next);
        changes[key] = oldValue === undefined ? { newValue: next } : { oldValue, newValue: next };
      }
      emit(changes);
    },
    async remove(keys) {
      const changes: Record<string, StorageChange> = {};
      for (const key of Array.isArray(keys) ? keys : [keys]) {
        if (!items.has(key)) continue;
        changes[key] = { oldValue: items.get(key) };
        items.delete(key);
      }
      emit(changes);
    },
    onChanged: {
      addListener: (listener) => void listeners.add(listener),
      removeListener: (listener) => void listeners.delete(listener),
    },
    snapshot: () => copy(Object.fromEntries(items)),
  };
}
