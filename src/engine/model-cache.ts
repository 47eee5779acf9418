/**
 * Which models are already downloaded in this browser, and deleting them, without loading the
 * 6 MB inference libraries just to look: both libraries keep their files in the extension
 * origin's storage, shared by every tab and page of the extension.
 *
 *  - wllama (CPU): OPFS directory "cache", one file per URL named `<sha1(url)>_<basename>`, and a
 *    `__metadata__<name>` file written only once the download completed (with the expected size).
 *    A file without matching metadata is a broken download: wllama checks the size again and
 *    downloads it anew, so a broken download never poisons the cache.
 *  - web-llm (GPU): the Cache API, caches "webllm/model" and "webllm/config", keyed by the
 *    weight URLs under `<record.model>/resolve/main/`.
 *  - Models the user picked from disk live in OPFS "local-models" and are referred to by
 *    `local:<file name>` in settings.modelId (runtime messages cannot carry a File).
 *
 * Every function fails soft: a storage error reads as "not cached" rather than breaking a list.
 */
import { isRecord } from '../shared/guards';

const WLLAMA_DIR = 'cache';
const WLLAMA_METADATA_PREFIX = '__metadata__';
const LOCAL_DIR = 'local-models';
export const LOCAL_MODEL_PREFIX = 'local:';
const WEBLLM_CACHES = ['webllm/model', 'webllm/config'];

interface DirectoryLike {
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<DirectoryLike>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<{ getFile(): Promise<File>; createWritable?: () => Promise<WritableLike> }>;
  removeEntry(name: string): Promise<void>;
}
interface WritableLike {
  write(data: Blob | BufferSource): Promise<void>;
  close(): Promise<void>;
  abort?: () => Promise<void>;
}

async function opfsDir(name: string, create: boolean): Promise<DirectoryLike | null> {
  try {
    const root: DirectoryLike = await navigator.storage.getDirectory();
    return await root.getDirectoryHandle(name, { create });
  } catch {
    return null;
  }
}

async function fileIn(dir: DirectoryLike, name: string): Promise<File | null> {
  try {
    return await (await dir.getFileHandle(name)).getFile();
  } catch {
    return null;
  }
}

/** wllama's storage key for a URL (must match its urlToFileName). */
export async function wllamaCacheKey(url: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(url));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex}_${url.split('/').pop() ?? ''}`;
}

/** Decides from the stored file size and metadata whether a download completed. */
export function isCompleteDownload(fileSize: number | null, metadata: unknown, url: string): boolean {
  if (fileSize === null || fileSize <= 0) return false;
  return isRecord(metadata) && metadata.originalURL === url && metadata.originalSize === fileSize;
}

/** Bytes of a completely downloaded GGUF, or null when it is not (fully) in the cache. */
export async function cachedGgufBytes(url: string): Promise<number | null> {
  const dir = await opfsDir(WLLAMA_DIR, false);
  if (!dir) return null;
  const key = await wllamaCacheKey(url);
  const file = await fileIn(dir, key);
  const meta = await fileIn(dir, WLLAMA_METADATA_PREFIX + key);
  let metadata: unknown = null;
  try {
    metadata = meta ? JSON.parse(await meta.text()) : null;
  } catch {
    metadata = null;
  }
  return file && isCompleteDownload(file.size, metadata, url) ? file.size : null;
}

/** Removes a GGUF (complete or broken) from wllama's cache; returns the bytes freed. */
export async function deleteCachedGguf(url: string): Promise<number> {
  const dir = await opfsDir(WLLAMA_DIR, false);
  if (!dir) return 0;
  const key = await wllamaCacheKey(url);
  const file = await fileIn(dir, key);
  await dir.removeEntry(key).catch(() => undefined);
  await dir.removeEntry(WLLAMA_METADATA_PREFIX + key).catch(() => undefined);
  return file?.size ?? 0;
}

/** Name under which a picked file is stored ("my model.gguf" → "my_model.gguf"). */
export function localModelName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? 'model.gguf';
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '').slice(0, 120);
  return safe || 'model.gguf';
}

export function isLocalModelId(modelId: string): boolean {
  return modelId.startsWith(LOCAL_MODEL_PREFIX);
}

/** Stores a model file the user picked (options page) so the engine host can open it. */
export async function saveLocalModel(file: Blob & { name?: string }, onProgress?: (written: number) => void): Promise<string> {
  const dir = await opfsDir(LOCAL_DIR, true);
  if (!dir) throw new Error('This browser does not offer the private file storage the model needs.');
  const name = localModelName(file.name ?? 'model.gguf');
  const handle = await dir.getFileHandle(name, { create: true });
  if (!handle.createWritable) throw new Error('This browser cannot write model files here.');
  const writable = await handle.createWritable();
  try {
    // Written in slices so the page can show progress on multi-GB files.
    const slice = 64 * 1024 * 1024;
    for (let at = 0; at < file.size; at += slice) {
      await writable.write(file.slice(at, Math.min(file.size, at + slice)));
      onProgress?.(Math.min(file.size, at + slice));
    }
    await writable.close();
  } catch (error) {
    await writable.abort?.().catch(() => undefined);
    await dir.removeEntry(name).catch(() => undefined);
    throw error;
  }
  return LOCAL_MODEL_PREFIX + name;
}

/** The stored file of a `local:` model id, or null. */
export async function openLocalModel(modelId: string): Promise<File | null> {
  if (!isLocalModelId(modelId)) return null;
  const dir = await opfsDir(LOCAL_DIR, false);
  return dir ? fileIn(dir, modelId.slice(LOCAL_MODEL_PREFIX.length)) : null;
}

export async function deleteLocalModel(modelId: string): Promise<number> {
  const file = await openLocalModel(modelId);
  const dir = await opfsDir(LOCAL_DIR, false);
  if (dir) await dir.removeEntry(modelId.slice(LOCAL_MODEL_PREFIX.length)).catch(() => undefined);
  return file?.size ?? 0;
}

/** Cache API entries of a web-llm model (weights and config under its base URL). */
async function webllmEntries(modelBaseUrl: string): Promise<Array<{ cache: Cache; request: Request }>> {
  if (typeof caches === 'undefined') return [];
  const base = modelBaseUrl.replace(/\/+$/, '') + '/';
  const out: Array<{ cache: Cache; request: Request }> = [];
  for (const name of WEBLLM_CACHES) {
    try {
      if (!(await caches.has(name))) continue;
      const cache = await caches.open(name);
      for (const request of await cache.keys()) if (request.url.startsWith(base)) out.push({ cache, request });
    } catch {
      /* unreadable cache: treat as empty */
    }
  }
  return out;
}

/**
 * Whether web-llm has this model's weights. web-llm stores the shard list (ndarray-cache.json)
 * first and each shard as it arrives, so a model counts as cached only when every listed shard is.
 */
export async function webllmCachedBytes(modelBaseUrl: string): Promise<number | null> {
  const entries = await webllmEntries(modelBaseUrl);
  const manifest = entries.find((e) => e.request.url.endsWith('/ndarray-cache.json'));
  if (!manifest) return null;
  try {
    const response = await manifest.cache.match(manifest.request);
    const json: unknown = await response?.json();
    const records: unknown[] = isRecord(json) && Array.isArray(json.records) ? json.records : [];
    const have = new Set(entries.map((e) => e.request.url.split('/').pop()));
    if (records.length === 0 || !records.every((r) => isRecord(r) && typeof r.dataPath === 'string' && have.has(r.dataPath))) return null;
    return records.reduce<number>((n, r) => n + (isRecord(r) && typeof r.nbytes === 'number' ? r.nbytes : 0), 0);
  } catch {
    return null;
  }
}

export async function deleteWebllmModel(modelBaseUrl: string): Promise<number | null> {
  const size = await webllmCachedBytes(modelBaseUrl);
  for (const { cache, request } of await webllmEntries(modelBaseUrl)) await cache.delete(request).catch(() => false);
  return size;
}
