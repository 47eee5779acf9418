/**
 * The last review per (repo, PR, head SHA, model, settings), kept in IndexedDB so reopening a PR
 * shows the earlier result at once, marked outdated when the PR has moved on.
 *
 * IndexedDB belongs to the origin of the context that opens it: call this from an extension page
 * or the background, not from the content script (there it would be github.com's storage).
 * This is the only importer of `idb`.
 */
import { isRecord } from './guards';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FollowUp, Review } from '../model/review';
import type { Settings } from './settings';

export interface ReviewKey {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  modelId: string;
  /** From reviewSettingsHash(): reviews made with other settings are kept apart. */
  settingsHash: string;
}

export interface StoredReview extends ReviewKey {
  /** Derived from the key; one record per key, a newer review replaces the older. */
  id: string;
  /** Milliseconds since the epoch. */
  savedAt: number;
  review: Review;
}

export interface LatestReview extends StoredReview {
  /** True when a current head SHA was given and this review was made at another commit. */
  outdated: boolean;
}

export interface ReviewExport {
  format: 'local-pr-review/reviews';
  version: 1;
  exportedAt: string;
  reviews: StoredReview[];
}

export class ReviewStoreError extends Error {
  override name = 'ReviewStoreError';
}

interface StoredRecord extends StoredReview {
  /** `owner/repo#number`, lower-cased, for the per-PR index. */
  pr: string;
}

interface ReviewDb extends DBSchema {
  reviews: {
    key: string;
    value: StoredRecord;
    indexes: { byPr: string; bySavedAt: number };
  };
}

const DB_VERSION = 1;

function prKey(owner: string, repo: string, number: number): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}#${number}`;
}

/** The record id for a key (owner and repo compare case-insensitively, as on GitHub). */
export function reviewId(key: ReviewKey): string {
  return `${prKey(key.owner, key.repo, key.number)}@${key.headSha.toLowerCase()}|${key.modelId}|${key.settingsHash}`;
}

/** The settings that change what a review says. Other settings (engine hosts, markers) do not. */
export type ReviewSettings = Pick<Settings, 'depth' | 'language' | 'customInstructions' | 'ignorePatterns'>;

/**
 * A stable 64-bit FNV-1a hash (16 hex digits) of the settings that shape a review. Whitespace
 * around values and the order and duplicates of ignore patterns do not change the review, so
 * they do not change the hash.
 */
export function reviewSettingsHash(settings: ReviewSettings): string {
  const patterns = [...new Set((settings.ignorePatterns ?? []).map((p) => p.trim()).filter((p) => p !== ''))].sort();
  const canonical = JSON.stringify([1, settings.depth, (settings.language ?? '').trim(), (settings.customInstructions ?? '').trim(), patterns]);
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(canonical)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

function isStoredRecord(value: unknown): value is StoredRecord {
  if (!isRecord(value)) return false;
  const r = value;
  return (
    typeof r.id === 'string' &&
    typeof r.owner === 'string' &&
    typeof r.repo === 'string' &&
    typeof r.number === 'number' &&
    typeof r.headSha === 'string' &&
    typeof r.savedAt === 'number' &&
    isRecord(r.review) &&
    Array.isArray(r.review.findings)
  );
}

/** What IndexedDB returns is whatever was stored (another version, a hand edit): checked, never trusted. */
const widen = (records: readonly unknown[]): unknown[] => [...records];

function publicRecord(record: StoredRecord): StoredReview {
  const { pr: _pr, ...rest } = record;
  return rest;
}

export interface ReviewStoreOptions {
  dbName?: string;
  /** Oldest reviews beyond this many are deleted on save. */
  maxReviews?: number;
}

export interface ReviewStore {
  saveReview(key: ReviewKey, review: Review, now?: number): Promise<StoredReview>;
  getReview(key: ReviewKey): Promise<StoredReview | undefined>;
  /**
   * The review to show for a PR: one at `currentHeadSha` when there is one, else the newest,
   * marked outdated.
   */
  getLatestForPr(owner: string, repo: string, number: number, currentHeadSha?: string): Promise<LatestReview | undefined>;
  /**
   * Keeps a follow-up answer with the newest review of the PR at `headSha` (answers belong to a
   * head). False when there is no such review.
   */
  addFollowUp(owner: string, repo: string, number: number, headSha: string, followUp: FollowUp): Promise<boolean>;
  /** Every stored review, newest first. */
  listReviews(): Promise<StoredReview[]>;
  deleteReview(id: string): Promise<void>;
  /** All reviews as pretty-printed JSON (a ReviewExport). */
  exportReviews(now?: number): Promise<string>;
  clear(): Promise<void>;
  close(): void;
}

export function createReviewStore(options: ReviewStoreOptions = {}): ReviewStore {
  const dbName = options.dbName ?? 'local-pr-review';
  const maxReviews = Math.max(1, options.maxReviews ?? 200);
  let dbPromise: Promise<IDBPDatabase<ReviewDb>> | null = null;

  const db = (): Promise<IDBPDatabase<ReviewDb>> => {
    dbPromise ??= openDB<ReviewDb>(dbName, DB_VERSION, {
      upgrade(database) {
        const store = database.createObjectStore('reviews', { keyPath: 'id' });
        store.createIndex('byPr', 'pr');
        store.createIndex('bySavedAt', 'savedAt');
      },
    }).catch((e: unknown) => {
      dbPromise = null;
      throw new ReviewStoreError(`Review storage (IndexedDB) is unavailable: ${e instanceof Error ? e.message : String(e)}`);
    });
    return dbPromise;
  };

  async function run<T>(what: string, work: (database: IDBPDatabase<ReviewDb>) => Promise<T>): Promise<T> {
    const database = await db();
    try {
      return await work(database);
    } catch (e) {
      if (e instanceof ReviewStoreError) throw e;
      throw new ReviewStoreError(`Could not ${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  return {
    saveReview: (key, review, now = Date.now()) =>
      run('save the review', async (database) => {
        const record: StoredRecord = {
          id: reviewId(key),
          pr: prKey(key.owner, key.repo, key.number),
          owner: key.owner,
          repo: key.repo,
          number: key.number,
          headSha: key.headSha,
          modelId: key.modelId,
          settingsHash: key.settingsHash,
          savedAt: now,
          review,
        };
        const tx = database.transaction('reviews', 'readwrite');
        await tx.store.put(record);
        let excess = (await tx.store.count()) - maxReviews;
        if (excess > 0) {
          let cursor = await tx.store.index('bySavedAt').openCursor();
          while (cursor && excess > 0) {
            if (cursor.value.id !== record.id) {
              await cursor.delete();
              excess--;
            }
            cursor = await cursor.continue();
          }
        }
        await tx.done;
        return publicRecord(record);
      }),

    getReview: (key) =>
      run('read the review', async (database) => {
        const record: unknown = await database.get('reviews', reviewId(key));
        return isStoredRecord(record) ? publicRecord(record) : undefined;
      }),

    getLatestForPr: (owner, repo, number, currentHeadSha) =>
      run('read the reviews of this pull request', async (database) => {
        const records = widen(await database.getAllFromIndex('reviews', 'byPr', prKey(owner, repo, number))).filter(isStoredRecord);
        const current = currentHeadSha?.toLowerCase();
        const atHead = current === undefined ? [] : records.filter((r) => r.headSha.toLowerCase() === current);
        const pool = atHead.length ? atHead : records;
        const newest = pool.reduce<StoredRecord | undefined>((best, r) => (best === undefined || r.savedAt > best.savedAt ? r : best), undefined);
        if (!newest) return undefined;
        return { ...publicRecord(newest), outdated: current !== undefined && newest.headSha.toLowerCase() !== current };
      }),

    addFollowUp: (owner, repo, number, headSha, followUp) =>
      run('keep the answer', async (database) => {
        const tx = database.transaction('reviews', 'readwrite');
        const head = headSha.toLowerCase();
        const records = widen(await tx.store.index('byPr').getAll(prKey(owner, repo, number)))
          .filter(isStoredRecord)
          .filter((r) => r.headSha.toLowerCase() === head);
        const newest = records.reduce<StoredRecord | undefined>((best, r) => (best === undefined || r.savedAt > best.savedAt ? r : best), undefined);
        if (newest) await tx.store.put({ ...newest, review: { ...newest.review, followUps: [...(newest.review.followUps ?? []), followUp] } });
        await tx.done;
        return newest !== undefined;
      }),

    listReviews: () =>
      run('list the reviews', async (database) => {
        const records = widen(await database.getAll('reviews')).filter(isStoredRecord);
        return records.sort((a, b) => b.savedAt - a.savedAt).map(publicRecord);
      }),

    deleteReview: (id) => run('delete the review', (database) => database.delete('reviews', id)),

    exportReviews: (now = Date.now()) =>
      run('export the reviews', async (database) => {
        const records = widen(await database.getAll('reviews')).filter(isStoredRecord);
        const data: ReviewExport = {
          format: 'local-pr-review/reviews',
          version: 1,
          exportedAt: new Date(now).toISOString(),
          reviews: records.sort((a, b) => b.savedAt - a.savedAt).map(publicRecord),
        };
        return JSON.stringify(data, null, 2);
      }),

    clear: () => run('clear the reviews', (database) => database.clear('reviews')),

    close: () => {
      const pending = dbPromise;
      dbPromise = null;
      void pending?.then((database) => database.close()).catch(() => undefined);
    },
  };
}
