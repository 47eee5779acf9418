/**
 * How long a review will take on this machine, from the plan's token counts and the speeds
 * measured on earlier reviews (per engine and model, smoothed), with a nudge towards a quicker
 * review when the wait gets long. Pure; the state is plain JSON for storage.
 */
import type { ChatChunk, EngineKind } from './engine';
import { isRecord } from '../shared/guards';

export interface Speed {
  /** Prompt tokens read per second. */
  prefillTps: number;
  /** Answer tokens written per second. */
  decodeTps: number;
}

export interface SpeedEntry extends Speed {
  samples: number;
  /**
   * Answer tokens per review call as this model really writes them (moving average over the
   * review's calls), once a review has run; the estimate's decode time uses it instead of a share
   * of the answer budget, which over-counts several-fold (a map call's answer is about 72 tokens
   * on the corpus with the short format, the budget 1,024 at 4k).
   */
  answerTokens?: number;
  /** Epoch ms of the last update. */
  updatedAt: number;
}

export interface SpeedState {
  version: 1;
  entries: Record<string, SpeedEntry>;
}

export const EMPTY_SPEED_STATE: SpeedState = { version: 1, entries: {} };

/**
 * Starting points before anything is measured. wllama: the Qwen2.5-0.5B-shaped q8_0 model in
 * headless Chromium on an idle 2-core machine, 1 thread, the engine's default there (10.4
 * prefill, 6.0 decode; the same window measured native llama.cpp at 106–112 / 20.5,
 * docs/benchmarks.md). The first load's
 * calibration call and every review replace it with this machine's own figures. web-llm and the
 * built-in model: cautious guesses for a small model on an integrated GPU, replaced by the first
 * real review.
 */
export const PRIOR_SPEEDS: Record<EngineKind, Speed> = {
  webllm: { prefillTps: 400, decodeTps: 20 },
  wllama: { prefillTps: 10.4, decodeTps: 6 },
  builtin: { prefillTps: 200, decodeTps: 15 },
  // A server on this machine: its speed is unknown until the first review measures it.
  localserver: { prefillTps: 200, decodeTps: 15 },
  native: { prefillTps: 150, decodeTps: 20 },
  scripted: { prefillTps: 100000, decodeTps: 10000 },
};

/**
 * Engines that keep the KV cache of the previous prompt and prefill only what differs (llama.cpp's
 * `cache_prompt` with one slot: the CPU engine). Every map call of a review starts with the same
 * system prompt, so each call after the first skips it.
 */
const PROMPT_CACHE_ENGINES: ReadonlySet<EngineKind> = new Set(['wllama']);

/** Prompt tokens a review's map calls take from the prompt cache: the shared prefix of every call after the first. */
export function promptCacheSavings(engine: EngineKind, mapCalls: number, sharedPrefixTokens: number): number {
  if (!PROMPT_CACHE_ENGINES.has(engine) || !(mapCalls > 1) || !(sharedPrefixTokens > 0)) return 0;
  return Math.floor(mapCalls - 1) * Math.floor(sharedPrefixTokens);
}

/** Weight of the newest review in the moving average. */
export const SMOOTHING = 0.3;
/** Fixed cost per model call (request set-up, JSON parsing, scheduling), in seconds. */
export const PER_CALL_OVERHEAD_S = 0.5;
/** Above this the panel suggests a quicker review. */
export const SLOW_REVIEW_S = 180;

const MAX_TPS = 1e6;

export function speedKey(engine: EngineKind, modelId: string): string {
  return `${engine}:${modelId}`;
}

function valid(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 && n < MAX_TPS;
}

export function speedFor(state: SpeedState, engine: EngineKind, modelId: string): Speed & { measured: boolean; answerTokens?: number } {
  const entry = state.entries[speedKey(engine, modelId)];
  const answer = entry?.answerTokens !== undefined ? { answerTokens: entry.answerTokens } : {};
  if (entry && entry.samples > 0) return { prefillTps: entry.prefillTps, decodeTps: entry.decodeTps, measured: true, ...answer };
  return { ...PRIOR_SPEEDS[engine], measured: false, ...answer };
}

/** Folds one review call's answer length into the model's average (speeds untouched). */
export function recordAnswerTokens(state: SpeedState, engine: EngineKind, modelId: string, completionTokens: number, now: number = Date.now()): SpeedState {
  if (!valid(completionTokens)) return state;
  const key = speedKey(engine, modelId);
  const old = state.entries[key];
  const base: SpeedEntry = old ?? { ...PRIOR_SPEEDS[engine], samples: 0, updatedAt: now };
  const answerTokens = base.answerTokens === undefined ? completionTokens : SMOOTHING * completionTokens + (1 - SMOOTHING) * base.answerTokens;
  return { version: 1, entries: { ...state.entries, [key]: { ...base, answerTokens } } };
}

/**
 * Folds one measurement in (exponential moving average; the first one replaces the prior).
 * Missing or nonsensical figures leave that half of the entry as it was.
 */
export function recordSpeed(
  state: SpeedState,
  engine: EngineKind,
  modelId: string,
  sample: Partial<Speed>,
  now: number = Date.now(),
): SpeedState {
  const okPrefill = valid(sample.prefillTps);
  const okDecode = valid(sample.decodeTps);
  if (!okPrefill && !okDecode) return state;
  const key = speedKey(engine, modelId);
  const old = state.entries[key];
  const base = old && old.samples > 0 ? old : { ...PRIOR_SPEEDS[engine], samples: 0, updatedAt: now };
  const blend = (prev: number, next: number) => (base.samples === 0 ? next : SMOOTHING * next + (1 - SMOOTHING) * prev);
  const entry: SpeedEntry = {
    ...base,
    prefillTps: okPrefill ? blend(base.prefillTps, sample.prefillTps!) : base.prefillTps,
    decodeTps: okDecode ? blend(base.decodeTps, sample.decodeTps!) : base.decodeTps,
    samples: base.samples + 1,
    updatedAt: now,
  };
  return { version: 1, entries: { ...state.entries, [key]: entry } };
}

/** Records the speeds of an engine's `usage` chunk. */
export function recordUsage(
  state: SpeedState,
  engine: EngineKind,
  modelId: string,
  usage: Extract<ChatChunk, { type: 'usage' }>,
  now: number = Date.now(),
): SpeedState {
  return recordSpeed(
    state,
    engine,
    modelId,
    {
      ...(usage.prefillTokensPerSecond !== undefined ? { prefillTps: usage.prefillTokensPerSecond } : {}),
      ...(usage.decodeTokensPerSecond !== undefined ? { decodeTps: usage.decodeTokensPerSecond } : {}),
    },
    now,
  );
}

export interface PlanTokens {
  /** Prompt tokens summed over every call. */
  promptTokens: number;
  /** Of those, tokens the engine takes from its prompt cache instead of prefilling (see promptCacheSavings). */
  cachedPromptTokens?: number;
  /** Expected answer tokens summed over every call. */
  completionTokens: number;
  calls: number;
}

export interface TimeEstimate {
  seconds: number;
  prefillSeconds: number;
  decodeSeconds: number;
  overheadSeconds: number;
  /** False while the speeds are still the priors. */
  measured: boolean;
}

export function estimateReviewTime(plan: PlanTokens, speed: Speed & { measured?: boolean }): TimeEstimate {
  const nonNeg = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);
  const prefilled = Math.max(0, nonNeg(plan.promptTokens) - nonNeg(plan.cachedPromptTokens ?? 0));
  const prefillSeconds = prefilled / (valid(speed.prefillTps) ? speed.prefillTps : 1);
  const decodeSeconds = nonNeg(plan.completionTokens) / (valid(speed.decodeTps) ? speed.decodeTps : 1);
  const overheadSeconds = nonNeg(plan.calls) * PER_CALL_OVERHEAD_S;
  return {
    seconds: prefillSeconds + decodeSeconds + overheadSeconds,
    prefillSeconds,
    decodeSeconds,
    overheadSeconds,
    measured: speed.measured ?? false,
  };
}

export type FasterOption =
  | { kind: 'quick-depth'; text: string }
  | { kind: 'smaller-model'; modelId: string; text: string };

/**
 * What to offer when the estimate exceeds `slowAfterSeconds`: quick depth (if not already) and a
 * smaller model (if the caller knows one). Empty when the review is quick enough.
 */
export function suggestFaster(
  estimate: TimeEstimate,
  opts: { depth: 'quick' | 'thorough'; smallerModel?: { id: string; label: string }; slowAfterSeconds?: number },
): FasterOption[] {
  if (estimate.seconds <= (opts.slowAfterSeconds ?? SLOW_REVIEW_S)) return [];
  const out: FasterOption[] = [];
  if (opts.depth !== 'quick') out.push({ kind: 'quick-depth', text: 'Quick depth reviews only the riskiest files and finishes sooner.' });
  if (opts.smallerModel) {
    out.push({
      kind: 'smaller-model',
      modelId: opts.smallerModel.id,
      text: `${opts.smallerModel.label} is smaller and reads the diff faster.`,
    });
  }
  return out;
}

/** "under a minute", "about 4 min", "about 1 h 20 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 60) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `about ${h} h` : `about ${h} h ${m} min`;
}

/** Reads stored state; anything malformed is dropped rather than trusted. */
export function parseSpeedState(raw: unknown): SpeedState {
  const entries: Record<string, SpeedEntry> = {};
  if (!isRecord(raw) || raw.version !== 1 || !isRecord(raw.entries)) return { version: 1, entries };
  for (const [key, v] of Object.entries(raw.entries)) {
    if (!isRecord(v) || !valid(v.prefillTps) || !valid(v.decodeTps)) continue;
    const samples = typeof v.samples === 'number' && Number.isInteger(v.samples) && v.samples > 0 ? v.samples : 1;
    const updatedAt = typeof v.updatedAt === 'number' && Number.isFinite(v.updatedAt) ? v.updatedAt : 0;
    const answer = valid(v.answerTokens) ? { answerTokens: v.answerTokens } : {};
    entries[key] = { prefillTps: v.prefillTps, decodeTps: v.decodeTps, samples, updatedAt, ...answer };
  }
  return { version: 1, entries };
}
