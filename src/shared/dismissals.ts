/**
 * Findings the user dismissed, per pull request and head commit, kept in storage.local.
 *
 * Keyed by head SHA on purpose: after a push the code changed, so a finding that comes back is
 * worth a second look. One item per (repo, PR, SHA), holding the ids and when it last changed,
 * so old entries can be pruned.
 */
import type { StorageArea, StorageChange } from './storage-area';
import { isRecord } from './guards';

export interface DismissalTarget {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
}

interface StoredDismissals {
  ids: string[];
  updatedAt: number;
}

const PREFIX = 'dismissals:';

/** The storage key of a target; owner and repo compare case-insensitively, as on GitHub. */
export function dismissalKey(target: DismissalTarget): string {
  return `${PREFIX}${target.owner.toLowerCase()}/${target.repo.toLowerCase()}#${target.number}@${target.headSha.toLowerCase()}`;
}

function parse(value: unknown): StoredDismissals {
  if (!isRecord(value)) return { ids: [], updatedAt: 0 };
  const record = value;
  const ids = Array.isArray(record.ids) ? record.ids.filter((id): id is string => typeof id === 'string') : [];
  return { ids, updatedAt: typeof record.updatedAt === 'number' ? record.updatedAt : 0 };
}

// Read-modify-write per key, one at a time, so two quick clicks cannot lose one another.
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

/** The dismissed finding ids for a target (empty when none, or when storage fails). */
export async function listDismissed(area: StorageArea, target: DismissalTarget): Promise<Set<string>> {
  const key = dismissalKey(target);
  try {
    const stored = await area.get(key);
    return new Set(parse(stored[key]).ids);
  } catch {
    return new Set();
  }
}

async function update(area: StorageArea, target: DismissalTarget, change: (ids: Set<string>) => void, now: number): Promise<Set<string>> {
  const key = dismissalKey(target);
  return serialized(key, async () => {
    const stored = await area.get(key);
    const ids = new Set(parse(stored[key]).ids);
    change(ids);
    if (ids.size === 0) await area.remove(key);
    else await area.set({ [key]: { ids: [...ids], updatedAt: now } satisfies StoredDismissals });
    return ids;
  });
}

/** Dismisses a finding; resolves to the ids now dismissed. */
export function dismissFinding(area: StorageArea, target: DismissalTarget, findingId: string, now = Date.now()): Promise<Set<string>> {
  return update(area, target, (ids) => ids.add(findingId), now);
}

/** Undoes a dismissal; resolves to the ids still dismissed. */
export function undoDismissal(area: StorageArea, target: DismissalTarget, findingId: string, now = Date.now()): Promise<Set<string>> {
  return update(area, target, (ids) => ids.delete(findingId), now);
}

/** Brings back every dismissed finding of a target. */
export function clearDismissals(area: StorageArea, target: DismissalTarget): Promise<Set<string>> {
  return update(area, target, (ids) => ids.clear(), Date.now());
}

/** Calls back with the target's dismissed ids whenever they change (e.g. from another tab). */
export function onDismissalsChanged(area: StorageArea, target: DismissalTarget, callback: (ids: Set<string>) => void): () => void {
  const key = dismissalKey(target);
  const listener = (changes: Record<string, StorageChange>) => {
    const change = changes[key];
    if (change) callback(new Set(parse(change.newValue).ids));
  };
  area.onChanged.addListener(listener);
  return () => area.onChanged.removeListener(listener);
}

/**
 * How long dismissals of one PR and commit are kept after their last change: past that, the PR has
 * long moved on (dismissals are per head commit), and without a limit they would grow forever.
 */
export const DISMISSAL_MAX_AGE_MS = 90 * 24 * 60 * 60 * 1000;

/** Removes dismissals not touched for `maxAgeMs`; resolves to how many were removed. */
export async function pruneDismissals(area: StorageArea, maxAgeMs: number, now = Date.now()): Promise<number> {
  const all = await area.get(null);
  const stale = Object.entries(all)
    .filter(([key, value]) => key.startsWith(PREFIX) && now - parse(value).updatedAt > maxAgeMs)
    .map(([key]) => key);
  if (stale.length) await area.remove(stale);
  return stale.length;
}
