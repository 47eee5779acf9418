/**
 * `npm run bench -- --only=cpu-sweep`: which CPU configuration is fastest, by measurement. Each
 * configuration of the CPU engine (in the extension's engine host) is measured back to back with
 * native llama.cpp on the same file and threads (scripts/bench/cpu-vs-native.ts), on a prompt of
 * about 200 tokens:
 *   - formats q8_0, q4_0, q4_1 and Q4_K_M (llama.cpp's mix: e2e/support/tiny-gguf-kquants.ts) of the
 *     Qwen2.5-0.5B-shaped model, at the default settings;
 *   - on q8_0: flash attention on (the default lets llama.cpp decide); physical/logical batch
 *     sizes 64 and 512.
 * Thread counts 1..hardwareConcurrency are covered by the side-by-side run; the sweep runs on
 * one thread by default (--sweep-threads=N), which on a shared 2-core machine is the steadiest.
 *
 * `--sweep-formats=q8_0,q4_k_m` keeps only the default-settings rows of those formats (standalone: --formats=).
 *
 * Flags (standalone): --skip-big, --threads=2, --length=200, --formats=q8_0,q4_k_m
 */
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QWEN2_5_0_5B_SHAPE, type TinyGgufType } from '../../e2e/support/tiny-gguf';
import { ensureModel } from './cpu-engine';
import { bigModel, calibrateWords, formatTable, measurePair, type BenchModel, type SideBySideRow } from './cpu-vs-native';
import { ExtensionHost, type WasmTuning } from './extension-host';
import type { NativeConfig } from './native-llama';

interface SweepCase {
  label: string;
  format: TinyGgufType;
  wasm?: WasmTuning;
  native?: Partial<NativeConfig>;
}

export const SWEEP: SweepCase[] = [
  { label: 'q8_0, defaults', format: 'q8_0' },
  { label: 'q4_0, defaults', format: 'q4_0' },
  { label: 'q4_1, defaults', format: 'q4_1' },
  { label: 'Q4_K_M, defaults', format: 'q4_k_m' },
  { label: 'q8_0, flash attention on', format: 'q8_0', wasm: { flashAttn: true }, native: { flashAttention: true } },
  { label: 'q8_0, batch 64', format: 'q8_0', wasm: { nBatch: 64, nUbatch: 64 }, native: { batchSize: 64 } },
  { label: 'q8_0, batch 512', format: 'q8_0', wasm: { nBatch: 512, nUbatch: 512 }, native: { batchSize: 512 } },
];

async function modelFor(format: TinyGgufType, big: boolean): Promise<BenchModel> {
  if (!big || format === 'q8_0') return bigModel(big);
  const path = join(tmpdir(), 'local-pr-review-bench-models', `qwen2.5-0.5b-shape-${format}.gguf`);
  await ensureModel(path, { ...QWEN2_5_0_5B_SHAPE, type: format });
  return { name: `Qwen2.5-0.5B shape, ${format}`, path };
}

/** The sweep's cases; with `formats`, only the default-settings rows of those formats. */
export function sweepCases(formats?: readonly string[]): SweepCase[] {
  return formats?.length ? SWEEP.filter((c) => formats.includes(c.format) && !c.wasm && !c.native) : SWEEP;
}

export async function benchCpuSweep(opts: { big?: boolean; threads?: number; length?: number; cases?: SweepCase[] } = {}): Promise<Record<string, unknown>> {
  const big = opts.big ?? true;
  const threads = opts.threads ?? 1;
  const base = await bigModel(big);
  const words = (await calibrateWords(base.path, [opts.length ?? 200]))[0]!;
  const host = await ExtensionHost.start();
  const rows: (SideBySideRow & { config: { label: string } })[] = [];
  try {
    for (const c of opts.cases ?? SWEEP) {
      const model = await modelFor(c.format, big);
      try {
        const pair = await measurePair(host, model, { threads, words, maxTokens: 32, nCtx: 4096, ...(c.wasm ? { wasm: c.wasm } : {}), ...(c.native ? { native: c.native } : {}) });
        rows.push(...pair.map((r) => ({ ...r, config: { label: c.label } })));
        console.error(`${c.label}\n${formatTable(pair)}`);
      } catch (error) {
        console.error(`${c.label} failed: ${String(error)}`);
      }
    }
  } finally {
    await host.close();
  }
  const lines = ['| configuration | wasm prefill | wasm decode | native prefill | native decode | ratio prefill | ratio decode |', '|---|---|---|---|---|---|---|'];
  for (let i = 0; i + 1 < rows.length; i += 2) {
    const [w, n] = [rows[i]!, rows[i + 1]!];
    lines.push(`| ${w.config.label} | ${w.prefillTokS} | ${w.decodeTokS} | ${n.prefillTokS} | ${n.decodeTokS} | ${w.ratio?.prefill} | ${w.ratio?.decode} |`);
  }
  console.error(`\n${lines.join('\n')}`);
  return { date: new Date().toISOString(), threads, hardwareConcurrency: availableParallelism(), loadAverage: loadavg(), rows };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const num = (name: string) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]) || undefined;
  const threads = num('threads');
  const length = num('length');
  const formats = process.argv.find((a) => a.startsWith('--formats='))?.split('=')[1]?.split(',');
  const out = await benchCpuSweep({ big: !process.argv.includes('--skip-big'), cases: sweepCases(formats), ...(threads ? { threads } : {}), ...(length ? { length } : {}) });
  console.log(JSON.stringify(out, null, 2));
}
