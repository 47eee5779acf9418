/**
 * `npm run bench -- --only=cpu,native`: the CPU engine (wllama, llama.cpp in WebAssembly) inside
 * the built extension's engine host, next to native llama.cpp (node-llama-cpp's prebuilt CPU
 * binary), in one run: the same generated GGUF, the same threads, the same prompts (about 200 and
 * 2,000 tokens), each pair measured back to back so the machine's load weighs on both alike.
 *
 * Rows: `{runtime, model, threads, promptTokens, prefillTokS, decodeTokS}`; each wasm row also has
 * `ratio: {prefill, decode}` = wasm ÷ native for the same threads and prompt.
 *
 * Flags: --skip-big (the tiny model instead of the 529 MB Qwen2.5-0.5B-shaped one),
 *        --threads=1,2 (default 1..hardwareConcurrency), --lengths=200,2000, --max-tokens=32
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchPrompt } from '../../src/engine/wllama-bench';
import { QWEN2_5_0_5B_SHAPE } from '../../e2e/support/tiny-gguf';
import { ensureModel } from './cpu-engine';
import { ExtensionHost, type WasmTuning } from './extension-host';
import { NativeLlama, type NativeConfig } from './native-llama';
import { chatMlText } from './chat-ml';

export const BENCH_SYSTEM = 'You review code changes. Answer in JSON.';

export interface SideBySideRow {
  runtime: 'wasm' | 'native' | 'onnx';
  model: string;
  threads: number;
  promptTokens: number;
  prefillTokS: number | null;
  decodeTokS: number | null;
  ratio?: { prefill: number | null; decode: number | null };
  config?: Record<string, unknown>;
}

export interface BenchModel {
  name: string;
  path: string;
}

/** The prompt as llama.cpp's built-in ChatML template lays it out, for the native side. */
export function chatMl(system: string, user: string): string {
  return chatMlText([
    { role: 'system', content: system },
    { role: 'user', content: user },
  ]);
}

/** For each target, the filler words whose bench prompt is that many tokens with this model's own tokenizer (native). */
export async function calibrateWords(modelPath: string, targets: readonly number[]): Promise<number[]> {
  const probe = await NativeLlama.open(modelPath, { threads: 1, contextSize: 512 });
  try {
    return targets.map((target) => wordsFor(target, (w) => probe.countTokens(chatMl(BENCH_SYSTEM, benchPrompt(1, w)))));
  } finally {
    await probe.close();
  }
}

/** Number of filler words whose prompt is closest to `target` tokens with this model's tokenizer. */
export function wordsFor(target: number, count: (words: number) => number): number {
  let lo = 1;
  let hi = target * 2;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (count(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const ratioOf = (a: number | null, b: number | null): number | null => (a !== null && b !== null && b > 0 ? Number((a / b).toFixed(3)) : null);

export async function bigModel(big: boolean): Promise<BenchModel> {
  const dir = join(tmpdir(), 'local-pr-review-bench-models');
  mkdirSync(dir, { recursive: true });
  if (!big) {
    const path = join(dir, 'tiny-ctx4096.gguf');
    await ensureModel(path, { nCtx: 4096 });
    return { name: 'tiny (64 wide, 2 layers, f32)', path };
  }
  const path = join(dir, 'qwen2.5-0.5b-shape-q8_0.gguf');
  await ensureModel(path, QWEN2_5_0_5B_SHAPE);
  return { name: 'Qwen2.5-0.5B shape, q8_0', path };
}

/** One wasm measurement and one native measurement of the same prompt, back to back. */
export async function measurePair(
  host: ExtensionHost,
  model: BenchModel,
  opts: { threads: number; words: number; maxTokens: number; nCtx: number; wasm?: WasmTuning; native?: Partial<NativeConfig> },
): Promise<[SideBySideRow, SideBySideRow]> {
  const native = await NativeLlama.open(model.path, { threads: opts.threads, contextSize: opts.nCtx, ...opts.native });
  let n;
  try {
    // Warm-up (page faults, caches), then the measured prompt: the same text the wasm side gets.
    await native.measure(chatMl(BENCH_SYSTEM, benchPrompt(0, 20)), 4);
    n = await native.measure(chatMl(BENCH_SYSTEM, benchPrompt(1, opts.words)), opts.maxTokens);
  } finally {
    await native.close();
  }
  const w = await host.measure(model.path, {
    nThreads: opts.threads,
    nCtx: opts.nCtx,
    ...(opts.wasm ? { tuning: opts.wasm } : {}),
    bench: { promptWords: opts.words, warmupWords: 20, runs: 1, maxTokens: opts.maxTokens, system: BENCH_SYSTEM },
  });
  const nativeRow: SideBySideRow = { runtime: 'native', model: model.name, threads: opts.threads, promptTokens: n.promptTokens, prefillTokS: round(n.prefillTokS), decodeTokS: round(n.decodeTokS) };
  const wasmRow: SideBySideRow = {
    runtime: 'wasm',
    model: model.name,
    threads: w.crossOriginIsolated ? opts.threads : 1,
    promptTokens: w.promptTokens ?? 0,
    prefillTokS: round(w.prefillTokensPerSecond),
    decodeTokS: round(w.decodeTokensPerSecond),
    ratio: { prefill: ratioOf(w.prefillTokensPerSecond, n.prefillTokS), decode: ratioOf(w.decodeTokensPerSecond, n.decodeTokS) },
  };
  return [wasmRow, nativeRow];
}

export function round(n: number | null): number | null {
  return n === null ? null : Number(n.toFixed(2));
}

export function formatTable(rows: SideBySideRow[]): string {
  const f = (n: number | null | undefined) => (typeof n === 'number' ? n.toFixed(1) : '–');
  const r = (n: number | null | undefined) => (typeof n === 'number' ? `${n.toFixed(2)}×` : '–');
  const lines = ['| runtime | model | threads | prompt tokens | prefill tok/s | decode tok/s | wasm ÷ native prefill | decode |', '|---|---|---|---|---|---|---|---|'];
  for (const x of rows) lines.push(`| ${x.runtime} | ${x.model} | ${x.threads} | ${x.promptTokens} | ${f(x.prefillTokS)} | ${f(x.decodeTokS)} | ${r(x.ratio?.prefill)} | ${r(x.ratio?.decode)} |`);
  return lines.join('\n');
}

export async function benchCpuVsNative(opts: { big?: boolean; threads?: number[]; lengths?: number[]; maxTokens?: number } = {}): Promise<Record<string, unknown>> {
  const cores = availableParallelism();
  const threads = opts.threads ?? Array.from({ length: cores }, (_, i) => i + 1);
  const lengths = opts.lengths ?? [200, 2000];
  const maxTokens = opts.maxTokens ?? 32;
  const model = await bigModel(opts.big ?? true);
  const nCtx = 4096;
  // Calibrate prompt lengths with the model's own tokenizer (native; the wasm side reports its count).
  const words = await calibrateWords(model.path, lengths);
  const host = await ExtensionHost.start();
  const rows: SideBySideRow[] = [];
  try {
    for (const t of threads) {
      for (const w of words) {
        const pair = await measurePair(host, model, { threads: t, words: w, maxTokens, nCtx });
        rows.push(...pair);
        console.error(formatTable(pair));
      }
    }
  } finally {
    await host.close();
  }
  console.error(`\n${formatTable(rows)}`);
  return { date: new Date().toISOString(), chromium: host.chromiumVersion, hardwareConcurrency: cores, loadAverage: (await import('node:os')).loadavg(), maxTokens, rows };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]?.split(',').map(Number);
  const out = await benchCpuVsNative({
    big: !process.argv.includes('--skip-big'),
    ...(arg('threads') ? { threads: arg('threads') } : {}),
    ...(arg('lengths') ? { lengths: arg('lengths') } : {}),
    ...(arg('max-tokens') ? { maxTokens: arg('max-tokens')![0] } : {}),
  });
  console.log(JSON.stringify(out, null, 2));
}
