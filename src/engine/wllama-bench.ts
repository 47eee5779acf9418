/**
 * Measures a CPU engine from inside the page that runs it: load time, prefill and decode speed.
 * Works on any `Engine`, so the same numbers can be taken on a plain page, in the extension's
 * offscreen document, or anywhere else the adapter runs. Benchmarks only; never in tests.
 */
import type { ChatChunk, Engine } from './engine';

export interface CpuBenchOptions {
  /** Approximate prompt length in words (a word is one to three tokens). */
  promptWords?: number;
  /** Tokens to generate per run. */
  maxTokens?: number;
  /** Measured runs after one warm-up run. */
  runs?: number;
  /** Length of the warm-up prompt in words (default: promptWords); a short one saves time on long prompts. */
  warmupWords?: number;
  /** The system prompt of every run (each run's user prompt differs from its first word on). */
  system?: string;
}

export interface CpuBenchRun {
  promptTokens: number;
  /** Prompt tokens reused from the previous run's KV cache (the shared system prompt). */
  cachedPromptTokens: number | null;
  completionTokens: number;
  prefillTokensPerSecond: number | null;
  decodeTokensPerSecond: number | null;
  firstChunkMs: number | null;
  totalMs: number;
}

export interface CpuBenchResult {
  modelId: string;
  loadMs: number;
  crossOriginIsolated: boolean;
  runs: CpuBenchRun[];
  /** Medians over `runs`. */
  promptTokens: number | null;
  prefillTokensPerSecond: number | null;
  decodeTokensPerSecond: number | null;
  firstChunkMs: number | null;
}

const FILLER =
  'diff --git a/src/app.ts b/src/app.ts function value return const let if else check error file line test code change summary risk';

/** A prompt that differs from the previous run's from its first word, so no KV prefix is reused. */
export function benchPrompt(run: number, words: number): string {
  const base = FILLER.split(' ');
  const out: string[] = [`run${run}`];
  for (let i = 0; out.length < words; i++) out.push(base[(i * 7 + run) % base.length]!);
  return out.join(' ');
}

function median(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export async function measureCpuEngine(engine: Engine, options: CpuBenchOptions = {}): Promise<CpuBenchResult> {
  const promptWords = options.promptWords ?? 200;
  const maxTokens = options.maxTokens ?? 32;
  const runsWanted = options.runs ?? 2;
  const t0 = performance.now();
  await engine.load(() => {});
  const loadMs = performance.now() - t0;

  const runs: CpuBenchRun[] = [];
  for (let run = 0; run <= runsWanted; run++) {
    const start = performance.now();
    let firstChunkMs: number | null = null;
    let usage: Extract<ChatChunk, { type: 'usage' }> | null = null;
    const stream = engine.chat(
      {
        messages: [
          { role: 'system', content: options.system ?? 'You review code changes.' },
          { role: 'user', content: benchPrompt(run, run === 0 ? (options.warmupWords ?? promptWords) : promptWords) },
        ],
        maxTokens,
        temperature: 0,
      },
      new AbortController().signal,
    );
    for await (const chunk of stream) {
      if (chunk.type === 'delta' && firstChunkMs === null) firstChunkMs = performance.now() - start;
      if (chunk.type === 'usage') usage = chunk;
    }
    // Run 0 warms up caches and the wasm JIT; it is not reported.
    if (run === 0) continue;
    runs.push({
      promptTokens: usage?.promptTokens ?? 0,
      cachedPromptTokens: usage?.cachedPromptTokens ?? null,
      completionTokens: usage?.completionTokens ?? 0,
      prefillTokensPerSecond: usage?.prefillTokensPerSecond ?? null,
      decodeTokensPerSecond: usage?.decodeTokensPerSecond ?? null,
      firstChunkMs,
      totalMs: performance.now() - start,
    });
  }
  return {
    modelId: engine.modelId,
    loadMs,
    crossOriginIsolated: typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated,
    runs,
    promptTokens: median(runs.map((r) => r.promptTokens)),
    prefillTokensPerSecond: median(runs.map((r) => r.prefillTokensPerSecond)),
    decodeTokensPerSecond: median(runs.map((r) => r.decodeTokensPerSecond)),
    firstChunkMs: median(runs.map((r) => r.firstChunkMs)),
  };
}
