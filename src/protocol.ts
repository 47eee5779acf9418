/**
 * Every message that crosses a context boundary in local-pr-review, in one place.
 *
 *   content script ──Port "review"──▶ background ──Port "engine-host"──▶ engine host (offscreen document)
 *   content script ──runtime.sendMessage──▶ background (one-shot requests such as settings and review memory)
 *
 * Each union is discriminated by `kind`, so a `switch (msg.kind)` narrows the payload with no casts.
 * Payloads are plain, structured-clone-safe data.
 */
import type { MarkdownToken } from './markdown/tokens';
import type { DiffFile, PullRequestDiff } from './model/diff';
import type { CompletionNeed, ViewScope } from './github/diff-completion';
import type { LoadProgress, EngineError, EngineKind, EnginePlacement } from './engine/engine';
import type { Finding, FollowUp, Review, ReviewEvent } from './model/review';
import type { Settings } from './shared/settings';
import type { LatestReview, ReviewKey, ReviewSettings, StoredReview } from './shared/review-store';
import type { CpuBenchOptions, CpuBenchResult } from './engine/wllama-bench';

export const REVIEW_PORT = 'review';
export const ENGINE_HOST_PORT = 'engine-host';

/**
 * What the page could not show, and where the rest can be had. Set by the content script on the
 * diff it read (src/content/diff-reader.ts) when the diff is incomplete; the background fetches the
 * rest (`.diff`, else the REST file list; src/background/diff-completer.ts) and forwards the whole
 * diff to the engine host without it. Data flows one way: the content script never gets it back.
 */
export interface DiffCompletion {
  /** What the page shows (the whole PR, one commit, a range): the fetch is narrowed to it. */
  scope: ViewScope;
  /** The files listed without their lines, and whether the page left files unlisted. */
  need: CompletionNeed;
  /** Why the page gave no diff at all (said when the rest cannot be fetched either). */
  pageReason?: string;
}

/** A diff as the content script read it from the page: the background completes it before the host sees it. */
export type PageDiff = PullRequestDiff & { completion?: DiffCompletion };

/** What the content script asks the engine host to review. */
export interface ReviewRequest {
  diff: PageDiff;
  /** Settings travel with the request: the offscreen document cannot read extension storage. */
  settings: Settings;
  /**
   * Review only the commits since `baseSha` (an outdated saved review) and merge with `previous`.
   * The content script sends the page's diff; the background fetches the compare diff and puts it
   * in `compare` (and in `diff`), or drops `incremental` and says why in `notes` (full review).
   */
  incremental?: { baseSha: string; previous: Review; compare?: DiffFile[] };
  /** Said in the finished review's notes (why an incremental review became a full one). */
  notes?: string[];
}

/** A question about a finished review (src/review/follow-up.ts picks the hunks it sees). */
export interface FollowUpRequest {
  question: string;
  /** The finding asked about, if any. */
  finding?: Finding;
  review: Pick<Review, 'summary'>;
  diff: PageDiff;
  settings: Settings;
}

/** A failure the panel can explain and, where `retryable`, offer to retry. */
export interface ReviewFailure {
  code: EngineError['code'] | 'host-unavailable' | 'host-crashed' | 'no-diff' | 'internal' | 'no-engine' | 'bad-message';
  message: string;
  nextStep?: string;
  retryable: boolean;
}

// ── content script → background (Port "review") ────────────────────────────────────────────────
export type ContentToBackground =
  | { kind: 'review/start'; request: ReviewRequest }
  /** A follow-up question on this Port; its answer streams as `review/event` text, then `followup/done`. */
  | { kind: 'followup/start'; request: FollowUpRequest }
  | { kind: 'review/cancel' };

// ── background → content script (Port "review") ────────────────────────────────────────────────
export type BackgroundToContent =
  | { kind: 'engine/progress'; progress: LoadProgress }
  /** `placement`: where the model really runs (llama.cpp: GPU or CPU, read back after the load). */
  | { kind: 'engine/ready'; engine: string; modelId: string; reused: boolean; placement?: EnginePlacement }
  | { kind: 'review/event'; event: ReviewEvent }
  | { kind: 'review/cancelled' }
  | { kind: 'review/failed'; failure: ReviewFailure }
  /** Sent once the engine is ready and the review is planned, before the first model call. */
  | { kind: 'review/estimate'; estimate: ReviewEstimate }
  /** A follow-up answer is complete (its text streamed before as `review/event` text). */
  | { kind: 'followup/done'; answer: string };

/** How long a review should take on this machine (plan token counts × this engine's measured speed). */
export interface ReviewEstimate {
  seconds: number;
  /** "about 4 min", "under a minute". */
  text: string;
  /** False while the speeds are still the built-in priors (nothing measured on this machine yet). */
  measured: boolean;
  promptTokens: number;
  calls: number;
  /** Offered when the review runs beyond a few minutes: quick depth, and/or a smaller model. */
  faster: Array<{ kind: 'quick-depth'; text: string } | { kind: 'smaller-model'; engine: EngineKind; modelId: string; text: string }>;
}

// ── background ↔ engine host (Port "engine-host"), one multiplexed link for every tab ───────────
export type BackgroundToHost =
  | { kind: 'session/start'; session: string; request: ReviewRequest }
  | { kind: 'session/followup'; session: string; request: FollowUpRequest }
  | { kind: 'session/cancel'; session: string };

export type HostToBackground =
  | { kind: 'host/ready' }
  /** Sent while sessions run, so a long prefill with no tokens does not let the service worker idle out. */
  | { kind: 'host/heartbeat' }
  | { kind: 'session/message'; session: string; message: BackgroundToContent };

/** Broadcast by the background (runtime.sendMessage) to an offscreen host that lost its Port. */
export type HostWakeUp = { kind: 'host/reconnect' };

/** Asked of the engine host by extension pages (options page, diagnostics): what is it doing? */
export type HostStatusRequest = { kind: 'host/status' };
export interface HostStatus {
  activeSessions: number;
  /** Engine loads started since the host started (a warm engine reused by a review adds none). */
  loadsStarted?: number;
  engine: { kind: string; modelId: string; loaded: boolean } | null;
  /** Where the loaded engine's model runs, when the engine reports it (llama.cpp). */
  placement?: EnginePlacement;
}

// ── model manager: extension pages / panel → engine host (runtime.sendMessage) ───────────────────
// In Chrome the engine host is the offscreen document, which must exist before it can answer:
// send HOST_WAKE first (the background creates the document and answers once it is up), then the
// query. The background never answers ModelQuery kinds itself. In Firefox the host lives in the
// background page and answers both. `src/ui/model-manager/host-client.ts` wraps this.

/** Answered by the background: makes sure the engine host runs. */
export type HostWake = { kind: 'host/wake' };
export type HostWakeResponse = { ok: true } | { ok: false; message: string };

/** One model as the model manager shows it. */
export interface ModelEntry {
  engine: EngineKind;
  /** What goes into settings.modelId (a catalog id, a GGUF URL, or "local:<file name>"). */
  id: string;
  label: string;
  /** Download size in bytes (exact when cached, else the catalog's estimate); null when unknown. */
  sizeBytes: number | null;
  /** GPU memory the model needs, in MB (web-llm only). */
  vramMB: number | null;
  contextWindow: number;
  /** Whether it fits this machine (GPU memory budget, shader-f16); null when unknown. */
  fits: boolean | null;
  /** Fully downloaded in this browser (shared by all tabs). */
  cached: boolean;
  recommended: boolean;
  /** Code model (preferred for reviews). */
  code: boolean;
  /** False when this build or this machine cannot run it (see note). */
  runnable: boolean;
  /** One line for people: quantization, why it cannot run here, "custom URL"... */
  note?: string;
}

/** What this machine offers, checked in the engine host (the page that runs the models). */
export interface EngineCapabilitiesReport {
  webgpu:
    | { available: false; reason: string }
    | {
        available: true;
        fallbackAdapter: boolean;
        shaderF16: boolean;
        vendor: string;
        architecture: string;
        maxBufferSize: number;
        /** For the GGUF fit check; absent from older hosts (then maxBufferSize stands in). */
        maxStorageBufferBindingSize?: number;
      };
  builtin: 'available' | 'downloadable' | 'downloading' | 'unavailable';
  /** Cross-origin isolated: the CPU engine can use threads. */
  crossOriginIsolated: boolean;
  cores: number | null;
  /** Model libraries of web-llm bundled in this build (0 in a development build without them). */
  bundledModelLibs: number;
  /** Engines worth offering here, best first. */
  engines: Array<{ engine: EngineKind; available: boolean; reason?: string }>;
}

export interface FirstRunChoice {
  engine: EngineKind;
  modelId: string | null;
  label: string;
  /** One sentence saying why this engine was picked. */
  sentence: string;
  alternatives: Array<{ engine: EngineKind; modelId: string | null; label: string; note: string }>;
}

export interface DownloadStatus {
  engine: EngineKind;
  modelId: string;
  state: 'downloading' | 'done' | 'failed' | 'cancelled';
  loadedBytes: number;
  totalBytes: number | null;
  /** Smoothed download speed; null until measurable. */
  bytesPerSecond: number | null;
  etaSeconds: number | null;
  /** What failed and what to do, when state is 'failed'. */
  failure?: ReviewFailure;
}

export interface StorageReport {
  usageBytes: number | null;
  quotaBytes: number | null;
  persisted: boolean | null;
}

export type ModelQuery =
  /** Settings travel along: the engine host cannot read extension storage (mirrors, the current choice). */
  | { kind: 'models/list'; settings: Settings }
  /** Downloads (and loads) a model into the shared cache; progress comes from models/downloads. */
  | { kind: 'models/download'; engine: EngineKind; modelId: string; settings: Settings }
  | { kind: 'models/cancel-download'; engine: EngineKind; modelId: string }
  | { kind: 'models/downloads' }
  | { kind: 'models/delete'; engine: EngineKind; modelId: string; settings: Settings }
  | { kind: 'models/storage' }
  /**
   * Stores a .gguf file the user picked as `local:<name>`. The file itself cannot travel in a
   * runtime message (Chrome serialises them as JSON): the host asks for it by `importId` on the
   * MODEL_FILE_CHANNEL broadcast channel (below) and answers once it is stored.
   */
  | { kind: 'models/import-file'; importId: string; name: string; size: number }
  | { kind: 'engine/capabilities' }
  /** Unloads the warm engine now (frees memory). */
  | { kind: 'engine/unload' };

export interface ModelQueryResponse {
  'models/list':
    | {
        ok: true;
        models: ModelEntry[];
        choice: FirstRunChoice;
        capabilities: EngineCapabilitiesReport;
        /** web-llm models left out of `models` because this build cannot run them, as one explanation. */
        unrunnable?: { engine: EngineKind; count: number; reason: string };
      }
    | { ok: false; message: string };
  'models/download': { ok: true; status: DownloadStatus } | { ok: false; message: string };
  'models/cancel-download': { ok: true };
  'models/downloads': { ok: true; downloads: DownloadStatus[] };
  'models/delete': { ok: true; freedBytes: number | null } | { ok: false; message: string };
  'models/storage': { ok: true; storage: StorageReport };
  'models/import-file': { ok: true; modelId: string } | { ok: false; message: string };
  'engine/capabilities': { ok: true; capabilities: EngineCapabilitiesReport };
  'engine/unload': { ok: true };
}

// ── a picked model file: extension page ↔ engine host (BroadcastChannel, same extension origin) ──
// A BroadcastChannel clones a File without copying its bytes (runtime messages cannot carry one).
// Only the extension's own pages share its origin, so only they can post here; the host still
// checks each message against MODEL_FILE_SCHEMA.
export const MODEL_FILE_CHANNEL = 'lpr-model-files';
export type ModelFileMessage =
  /** Host → page, after `models/import-file`: send the file of this import. */
  | { kind: 'model-file/want'; importId: string }
  /** Page → host: the file. */
  | { kind: 'model-file/data'; importId: string; file: Blob }
  /** Host → page: bytes stored so far. */
  | { kind: 'model-file/progress'; importId: string; written: number; total: number };


// ── one-shot requests: content script → background (runtime.sendMessage) ───────────────────────
export type OneShotRequest =
  | { kind: 'options/open' }
  /**
   * Sent every 5 s by a tab while its review (with the model's download and load) runs
   * (src/shared/keep-alive.ts): Firefox stops the background event page, which hosts the engine
   * there, after 30 s without an incoming event, and an open Port does not count as one. (The
   * options page needs none: its download polling is an incoming event every 500 ms.)
   */
  | { kind: 'keepalive' }
  /** Settings are read and validated in the background, so the content script carries no validator. */
  | { kind: 'settings/get' }
  | { kind: 'settings/save'; patch: Partial<Settings> }
  /** Lexes Markdown in the background: the content script does not carry a Markdown parser. */
  | { kind: 'markdown/lex'; sources: string[] }
  // Review memory (IndexedDB lives in the background: the content script's would be github.com's).
  /** The background derives the key's settings hash (hashing lives with the store, off the content script). */
  | { kind: 'reviews/save'; key: Omit<ReviewKey, 'settingsHash'>; settings: ReviewSettings; review: Review }
  | { kind: 'reviews/latest'; owner: string; repo: string; number: number; headSha?: string }
  | { kind: 'reviews/list' }
  | { kind: 'reviews/delete'; id: string }
  /** Keeps a follow-up answer with the newest saved review of the PR at that head. */
  | { kind: 'reviews/follow-up'; owner: string; repo: string; number: number; headSha: string; followUp: FollowUp }
  | { kind: 'reviews/export' }
  /** The review as GitHub Markdown (built here, not in the content script, to keep that small). */
  | { kind: 'reviews/markdown'; review: Review; dismissedIds: string[]; modelName?: string; headSha?: string };

/** Review-memory answers: storage can fail (private mode, quota), and the caller shows why. */
export type MemoryResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** The response type each one-shot request kind gets back. */
export interface OneShotResponse {
  'options/open': { ok: true };
  'keepalive': { ok: true };
  'markdown/lex': { tokens: Array<MarkdownToken[] | null> };
  'settings/get': Settings;
  'settings/save': { ok: true; settings: Settings } | { ok: false; reason: string };
  'reviews/save': MemoryResult<StoredReview>;
  'reviews/latest': MemoryResult<LatestReview | null>;
  'reviews/list': MemoryResult<StoredReview[]>;
  'reviews/delete': MemoryResult<null>;
  'reviews/follow-up': MemoryResult<null>;
  'reviews/export': MemoryResult<string>;
  'reviews/markdown': MemoryResult<string>;
}

// ── background → content script, broadcast to a tab (tabs.sendMessage) ────────────────────────
export type BackgroundToTab = { kind: 'command/start-review' };

/** Narrowing guard for messages arriving from another context (their type is unknown there). */
export function hasKind<T extends { kind: string }>(value: unknown, kinds: readonly T['kind'][]): value is T {
  // Only the kind is checked here; callers check the payload against its schema (protocol-schema.ts).
  return typeof value === 'object' && value !== null && 'kind' in value && kinds.some((kind) => kind === value.kind);
}

/**
 * The kinds of a union, listed once and checked complete: a kind of `U` missing from the list
 * (or a kind that is not one of `U`'s) does not compile. protocol-schema.test.ts also checks each
 * list against its schema table at run time.
 */
export const kindsOf =
  <U extends { kind: string }>() =>
  <const L extends readonly U['kind'][]>(list: L & ([Exclude<U['kind'], L[number]>] extends [never] ? unknown : { missing: Exclude<U['kind'], L[number]> })): L =>
    list;

export const REVIEW_MEMORY_KINDS = ['reviews/save', 'reviews/latest', 'reviews/list', 'reviews/delete', 'reviews/follow-up', 'reviews/export', 'reviews/markdown'] as const satisfies readonly OneShotRequest['kind'][];

export const CONTENT_TO_BACKGROUND_KINDS = kindsOf<ContentToBackground>()(['review/start', 'followup/start', 'review/cancel']);
export const BACKGROUND_TO_CONTENT_KINDS = kindsOf<BackgroundToContent>()(['engine/progress', 'engine/ready', 'review/event', 'review/cancelled', 'review/failed', 'review/estimate', 'followup/done']);
export const BACKGROUND_TO_HOST_KINDS = kindsOf<BackgroundToHost>()(['session/start', 'session/followup', 'session/cancel']);
export const HOST_TO_BACKGROUND_KINDS = kindsOf<HostToBackground>()(['host/ready', 'host/heartbeat', 'session/message']);
export const BACKGROUND_TO_TAB_KINDS = kindsOf<BackgroundToTab>()(['command/start-review']);
export const ONE_SHOT_KINDS = kindsOf<OneShotRequest>()(['options/open', 'keepalive', 'markdown/lex', 'settings/get', 'settings/save', ...REVIEW_MEMORY_KINDS]);
export const MODEL_FILE_KINDS = kindsOf<ModelFileMessage>()(['model-file/want', 'model-file/data', 'model-file/progress']);
export const MODEL_QUERY_KINDS = kindsOf<ModelQuery>()([
  'models/list',
  'models/download',
  'models/cancel-download',
  'models/downloads',
  'models/delete',
  'models/storage',
  'models/import-file',
  'engine/capabilities',
  'engine/unload',
]);

// ── e2e build only: `npm run bench` measures the CPU engine inside the built engine host ─────────
export interface BenchCpuEngineRequest {
  kind: 'bench/cpu-engine';
  modelUrl: string;
  nThreads?: number;
  nCtx?: number;
  /** llama.cpp's batch sizes and flash attention, for the configuration sweep. */
  tuning?: { nBatch?: number; nUbatch?: number; flashAttn?: boolean };
  bench: CpuBenchOptions;
}
export type BenchCpuEngineResponse = { ok: true; result: CpuBenchResult } | { ok: false; message: string };

// ── every request that gets an answer, and the answer each kind gets ─────────────────────────────
/** Requests sent with runtime.sendMessage that are answered (by the background or the engine host). */
export type Request = OneShotRequest | ModelQuery | HostWake | HostStatusRequest | BenchCpuEngineRequest;

/** `Reply[K]`: what a request of kind K gets back. */
export interface Reply extends OneShotResponse, ModelQueryResponse {
  'host/wake': HostWakeResponse;
  'host/status': HostStatus;
  'bench/cpu-engine': BenchCpuEngineResponse;
}

/** A request of one kind. */
export type RequestOf<K extends Request['kind']> = Extract<Request, { kind: K }>;
