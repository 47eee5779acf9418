import { describe, expect, it } from 'vitest';
import { browserStorageArea, createMemoryArea, itemBytes, type BrowserStorageLike, type StorageChange } from './storage-area';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createMemoryArea', () => {
  it('stores copies, so callers cannot change stored values by mutation', async () => {
    const area = createMemoryArea();
    const value = { list: [1] };
    await area.set({ k: value });
    value.list.push(2);
    const read = await area.get('k');
    (read.k as { list: number[] }).list.push(3);
    expect(await area.get(['k', 'missing'])).toEqual({ k: { list: [1] } });
  });

  it('reports changes with old and new values, and none for a write that changes nothing', async () => {
    const area = createMemoryArea({ a: 1 });
    const seen: Record<string, StorageChange>[] = [];
    area.onChanged.addListener((c) => seen.push(c));
    await area.set({ a: 1 });
    await area.set({ a: 2, b: 'x' });
    await area.remove(['a', 'nope']);
    await tick();
    expect(seen).toEqual([{ a: { oldValue: 1, newValue: 2 }, b: { newValue: 'x' } }, { a: { oldValue: 2 } }]);
  });

  it('enforces a per-item quota like storage.sync', async () => {
    const area = createMemoryArea({}, { quotaBytesPerItem: 20 });
    await expect(area.set({ k: 'x'.repeat(30) })).rejects.toThrow(/QUOTA_BYTES_PER_ITEM/);
    expect(area.snapshot()).toEqual({});
    expect(itemBytes('k', 'é')).toBe(1 + 4); // key + quotes + two UTF-8 bytes
  });
});

describe('browserStorageArea', () => {
  it('passes calls through and delivers only changes of its own area', async () => {
    type L = (changes: Record<string, StorageChange>, areaName: string) => void;
    const listeners = new Set<L>();
    const sync = createMemoryArea();
    const storage: BrowserStorageLike = {
      onChanged: { addListener: (l) => void listeners.add(l), removeListener: (l) => void listeners.delete(l) },
      sync,
      local: createMemoryArea(),
    };
    const area = browserStorageArea(storage, 'sync');
    await area.set({ a: 1 });
    expect(sync.snapshot()).toEqual({ a: 1 });
    const seen: string[] = [];
    const listener = (c: Record<string, StorageChange>) => seen.push(Object.keys(c).join());
    area.onChanged.addListener(listener);
    for (const l of listeners) {
      l({ fromLocal: {} }, 'local');
      l({ fromSync: {} }, 'sync');
    }
    expect(seen).toEqual(['fromSync']);
    area.onChanged.removeListener(listener);
    expect(listeners.size).toBe(0);
  });
});
