/**
 * The shape of every message in src/protocol.ts, checked where a message enters a context that
 * must not trust it (the background, from content scripts that run inside github.com's renderer;
 * the engine host, from the background and extension pages). A malformed message gets a clear
 * answer instead of a TypeError from deep inside a handler.
 *
 * One table per message union, typed from the union itself: `Fields<…>` demands a check for every
 * field of every kind and refuses extra ones, so adding a kind or a field to the protocol without
 * its check does not compile (and protocol-schema.test.ts checks the kind lists against the
 * tables at run time). Small hand-made checks rather than a schema library: the checks run in
 * the background on every message and stay a few hundred bytes.
 */
import type {
  BackgroundToContent,
  BackgroundToHost,
  BackgroundToTab,
  ContentToBackground,
  HostToBackground,
  ModelFileMessage,
  ModelQuery,
  OneShotRequest,
} from './protocol';
import type { EngineKind, EnginePlacement } from './engine/engine';
import { DEFAULT_SETTINGS } from './shared/settings';
import { CATEGORIES, SEVERITIES } from './model/review';
import { isRecord } from './shared/guards';

/** Returns what is wrong (one short phrase naming the field), or null when the value fits. */
export type Check = (value: unknown, path: string) => string | null;

type Payload<U, K> = Omit<Extract<U, { kind: K }>, 'kind'>;
/** A check for each field of a payload: no more, no fewer. */
export type Fields<T> = { [P in keyof T]-?: Check };
export type SchemaTable<U extends { kind: string }> = { [K in U['kind']]: Fields<Payload<U, K>> };

/** Bounds that keep a check itself cheap on hostile input (the real limits live with the data). */
const MAX_ITEMS = 200_000;
const MAX_STRING = 64 * 1024 * 1024;


export const str: Check = (v, p) => (typeof v === 'string' && v.length <= MAX_STRING ? null : `${p} must be a string`);
export const num: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? null : `${p} must be a number`);
export const bool: Check = (v, p) => (typeof v === 'boolean' ? null : `${p} must be true or false`);
export const opt = (check: Check): Check => (v, p) => (v === undefined ? null : check(v, p));
export const nullable = (check: Check): Check => (v, p) => (v === null ? null : check(v, p));
export const oneOf = (values: readonly (string | number | boolean | null)[]): Check => (v, p) =>
  values.some((x) => x === v) ? null : `${p} must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;

export const arr = (item: Check): Check => (v, p) => {
  if (!Array.isArray(v)) return `${p} must be a list`;
  if (v.length > MAX_ITEMS) return `${p} has too many items`;
  for (let i = 0; i < v.length; i++) {
    const problem = item(v[i], `${p}[${i}]`);
    if (problem) return problem;
  }
  return null;
};

/** An object with these fields (unknown extra fields are ignored: they are never read). */
export const obj = <T>(fields: Fields<T>): Check => (v, p) => {
  if (!isRecord(v)) return `${p} must be an object`;
  for (const [key, check] of Object.entries<Check>(fields)) {
    const problem = check(v[key], `${p}.${key}`);
    if (problem) return problem;
  }
  return null;
};

/** Any object (its parts are checked by the code that owns them, e.g. a settings patch). */
export const object: Check = (v, p) => (isRecord(v) ? null : `${p} must be an object`);

// ── the data the messages carry ──────────────────────────────────────────────────────────────

/** Every engine kind, as a record so a kind added to EngineKind without this entry does not compile. */
const ENGINE_KINDS: Record<EngineKind, true> = { webllm: true, wllama: true, builtin: true, localserver: true, native: true, scripted: true };
const engineKind = oneOf(Object.keys(ENGINE_KINDS));
const placement = obj<EnginePlacement>({ device: oneOf(['gpu', 'cpu']), layersOffloaded: num, layersTotal: num, label: str, reason: opt(str) });

/** Settings, derived from the defaults: every key present with its default's type. */
export const settings: Check = (v, p) => {
  if (!isRecord(v)) return `${p} must be an object`;
  for (const [key, fallback] of Object.entries(DEFAULT_SETTINGS)) {
    const value = v[key];
    const at = `${p}.${key}`;
    if (fallback === null) {
      if (value !== null && typeof value !== 'string') return `${at} must be a string or null`;
    } else if (Array.isArray(fallback)) {
      const problem = arr(str)(value, at);
      if (problem) return problem;
    } else if (isRecord(fallback)) {
      if (!isRecord(value) || Object.values(value).some((x) => typeof x !== 'string')) return `${at} must be an object of strings`;
    } else if (typeof value !== typeof fallback) return `${at} must be a ${typeof fallback}`;
  }
  return null;
};

const ref = obj<{ owner: string; repo: string; number: number | null; baseSha?: string; headSha?: string }>({
  owner: str,
  repo: str,
  number: nullable(num),
  baseSha: opt(str),
  headSha: opt(str),
});

const line = obj({ kind: oneOf(['context', 'addition', 'deletion']), oldNumber: nullable(num), newNumber: nullable(num), text: str, noNewlineAtEnd: opt(bool) });
const hunk = obj({ header: str, oldStart: num, oldLines: num, newStart: num, newLines: num, lines: arr(line) });
const file = obj({
  path: str,
  oldPath: opt(str),
  status: str,
  hunks: arr(hunk),
  source: str,
  additions: opt(num),
  deletions: opt(num),
  oldMode: opt(str),
  newMode: opt(str),
});
const missing = obj({ path: nullable(str), reason: str });
const scope = obj({ kind: str, sha: opt(str), range: opt(str) });
const completion = obj({ scope, need: obj({ complete: bool, paths: arr(str), unlistedFiles: bool }), pageReason: opt(str) });
export const diff = obj({ ref, files: arr(file), missing: arr(missing), completion: opt(completion) });

const finding = obj({
  id: str,
  file: str,
  line: num,
  endLine: opt(num),
  severity: oneOf(SEVERITIES),
  category: oneOf(CATEGORIES),
  title: str,
  explanation: str,
  suggestion: opt(str),
  quote: str,
});
export const review = obj({
  summary: str,
  risks: arr(str),
  changes: arr(str),
  walkthrough: arr(obj({ path: str, summary: str })),
  findings: arr(finding),
  coverage: arr(obj({ path: str, coverage: str, reason: opt(str) })),
  truncated: bool,
  notes: opt(arr(str)),
  stats: opt(object),
  followUps: opt(arr(obj({ question: str, answer: str }))),
});
const reviewSettings = obj({ depth: str, language: str, customInstructions: str, ignorePatterns: arr(str) });
const failure = obj({ code: str, message: str, nextStep: opt(str), retryable: bool });

// ── one table per message union ──────────────────────────────────────────────────────────────

const followUp = obj({ question: str, findingId: opt(str), answer: str, askedAt: num });
const reviewRequest = obj({ diff, settings, incremental: opt(obj({ baseSha: str, previous: review, compare: opt(arr(file)) })), notes: opt(arr(str)) });
const followUpRequest = obj({ question: str, finding: opt(finding), review: obj({ summary: str }), diff, settings });

export const CONTENT_TO_BACKGROUND_SCHEMA: SchemaTable<ContentToBackground> = {
  'review/start': { request: reviewRequest },
  'followup/start': { request: followUpRequest },
  'review/cancel': {},
};

export const BACKGROUND_TO_CONTENT_SCHEMA: SchemaTable<BackgroundToContent> = {
  'engine/progress': { progress: obj({ fraction: nullable(num), text: str }) },
  'engine/ready': { engine: str, modelId: str, reused: bool, placement: opt(placement) },
  'review/event': { event: obj({ type: str }) },
  'review/cancelled': {},
  'review/failed': { failure },
  'review/estimate': { estimate: obj({ seconds: num, text: str, measured: bool, promptTokens: num, calls: num, faster: arr(object) }) },
  'followup/done': { answer: str },
};

export const BACKGROUND_TO_HOST_SCHEMA: SchemaTable<BackgroundToHost> = {
  'session/start': { session: str, request: reviewRequest },
  'session/followup': { session: str, request: followUpRequest },
  'session/cancel': { session: str },
};

export const HOST_TO_BACKGROUND_SCHEMA: SchemaTable<HostToBackground> = {
  'host/ready': {},
  'host/heartbeat': {},
  'session/message': { session: str, message: obj({ kind: str }) },
};

export const MODEL_QUERY_SCHEMA: SchemaTable<ModelQuery> = {
  'models/list': { settings },
  'models/download': { engine: engineKind, modelId: str, settings },
  'models/cancel-download': { engine: engineKind, modelId: str },
  'models/downloads': {},
  'models/delete': { engine: engineKind, modelId: str, settings },
  'models/storage': {},
  'models/import-file': { importId: str, name: str, size: num },
  'engine/capabilities': {},
  'engine/unload': {},
};

/** A Blob (or File) cloned from another extension page. */
const blob: Check = (v, p) => (typeof Blob !== 'undefined' && v instanceof Blob ? null : `${p} must be a file`);

export const MODEL_FILE_SCHEMA: SchemaTable<ModelFileMessage> = {
  'model-file/want': { importId: str },
  'model-file/data': { importId: str, file: blob },
  'model-file/progress': { importId: str, written: num, total: num },
};

export const ONE_SHOT_SCHEMA: SchemaTable<OneShotRequest> = {
  'options/open': {},
  'keepalive': {},
  'settings/get': {},
  'settings/save': { patch: object },
  'markdown/lex': { sources: arr(str) },
  'reviews/save': { key: obj({ owner: str, repo: str, number: num, headSha: str, modelId: str }), settings: reviewSettings, review },
  'reviews/latest': { owner: str, repo: str, number: num, headSha: opt(str) },
  'reviews/list': {},
  'reviews/delete': { id: str },
  'reviews/follow-up': { owner: str, repo: str, number: num, headSha: str, followUp },
  'reviews/export': {},
  'reviews/markdown': { review, dismissedIds: arr(str), modelName: opt(str), headSha: opt(str) },
};

export const BACKGROUND_TO_TAB_SCHEMA: SchemaTable<BackgroundToTab> = {
  'command/start-review': {},
};

export type MessageCheck<T> = { ok: true; message: T } | { ok: false; problem: string };

/**
 * Checks a message against its union's table. Unknown kinds and wrong shapes both come back as
 * one sentence a person can read ("reviews/save: key.number must be a number").
 */
export function checkMessage<U extends { kind: string }>(table: SchemaTable<U>, raw: unknown): MessageCheck<U> {
  let problem = '';
  if (fitsTable(table, raw, (found) => (problem = found))) return { ok: true, message: raw };
  return { ok: false, problem };
}

/** What is wrong with `raw` for its union's table, or null when every field of its kind fits. */
function problemWith<U extends { kind: string }>(table: SchemaTable<U>, raw: unknown): string | null {
  if (!isRecord(raw) || typeof raw.kind !== 'string') return 'the message has no kind';
  const kind = raw.kind;
  if (!Object.hasOwn(table, kind)) return `unknown message kind "${kind.slice(0, 60)}"`;
  const fields = new Map(Object.entries<Record<string, Check>>(table)).get(kind) ?? {};
  for (const [key, check] of Object.entries(fields)) {
    const problem = check(raw[key], key);
    if (problem) return `${kind}: ${problem}`;
  }
  return null;
}

/**
 * The one place a message takes its type: `SchemaTable<U>` holds a check for every field of
 * every kind of U (Fields<…> refuses a missing one at compile time), and all of them pass.
 */
function fitsTable<U extends { kind: string }>(table: SchemaTable<U>, raw: unknown, report: (problem: string) => void): raw is U {
  const problem = problemWith(table, raw);
  if (problem !== null) report(problem);
  return problem === null;
}

/** The sentence a malformed message gets back. */
export function malformedMessage(problem: string): string {
  return `local-pr-review refused a malformed message (${problem}).`;
}

/**
 * What a handler's failure says across the boundary: its own message when it raised one on
 * purpose (a plain Error or one of our named errors), never the text of a TypeError or another
 * programming error, which means nothing to the person reading it.
 */
export function failureText(kind: string, error: unknown): string {
  const programming = error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
  if (error instanceof Error && !programming && error.message) return error.message;
  return `local-pr-review could not answer "${kind}": an internal error. Retry; if it keeps failing, reload the extension.`;
}
