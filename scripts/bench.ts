/**
 * `npm run bench`: every benchmark of the project, one after the other, with a summary table.
 *   - diff extraction on synthetic GitHub pages (scripts/bench/extract.ts)
 *   - review planning token counts (scripts/bench/tokens.ts)
 *   - prompt fill with the usage calibration (scripts/bench/fill.ts)
 *   - the GPU engines this machine has (scripts/bench/gpu.ts; adapter, load, prefill, decode, review time)
 *   - the CPU engine on a plain page (scripts/bench/cpu-engine.ts)
 *   - the CPU engine inside the built extension (scripts/bench/cpu-engine-extension.ts), and its
 *     ratio to the plain page; and to a native llama.cpp build when `llama-bench` is on the PATH.
 *   - with both `cpu` and `native` in --only: the CPU engine in the extension's engine host and
 *     native llama.cpp (node-llama-cpp) side by side in one run, with the wasm ÷ native ratio
 *     (scripts/bench/cpu-vs-native.ts); add `cpu-sweep` for the configuration sweep
 *     (scripts/bench/cpu-sweep.ts), `prefix` for the prompt-cache savings on the corpus,
 *     `answers` for the answer tokens of the map format (scripts/bench/answer-tokens.ts).
 *   - `--only=onnx`: onnxruntime-web in Chromium on a Qwen2.5-0.5B-shaped ONNX decoder next to wllama
 *     and native llama.cpp on the same shape (scripts/bench/onnx-web.ts; not in the default run)
 *
 *   - what a streaming review costs GitHub's tab (scripts/bench/stream.ts; not in the default run: about an hour)
 *
 * Flags: --skip-big (leave out the 529 MB Qwen2.5-0.5B-shaped model), --only=extract,tokens,fill,gpu,cpu,cpu-extension,stream,native,cpu-sweep,prefix,answers,onnx
 *        --threads=1,2 --lengths=200,2000 (side by side and onnx), --onnx-weights=int8,int4 (onnx), --sweep-threads=1 --sweep-formats=q8_0,q4_k_m (cpu-sweep; not in the default run: about half an hour)
 * (stream: see scripts/bench/stream.ts for --stream-cases=, --piece=, --dist=)
 * Raw results go to stdout as JSON; the table to stderr. docs/benchmarks.md holds figures from a run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const big = !args.includes('--skip-big');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (name: string) => !only || only.includes(name);
/** Sections a plain `npm run bench` leaves out (too long); --only= runs them. */
const onlyWhenAsked = new Set(['stream', 'cpu-sweep', 'onnx']);

type Row = { model: string; threads: number; loadMs?: number; prefillTokensPerSecond?: number | null; decodeTokensPerSecond?: number | null };

const out: Record<string, unknown> = {};

async function section(name: string, run: () => Promise<unknown>): Promise<void> {
  if (!wanted(name) || (!only && onlyWhenAsked.has(name))) return;
  console.error(`\n── ${name} ──`);
  const t0 = performance.now();
  try {
    out[name] = await run();
  } catch (error) {
    out[name] = { error: error instanceof Error ? error.message : String(error) };
    console.error(`${name} failed: ${String(error)}`);
  }
  console.error(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

await section('extract', async () => (await import('./bench/extract')).benchExtract());
await section('tokens', async () => (await import('./bench/tokens')).benchTokens());
await section('fill', async () => (await import('./bench/fill')).benchFill());
await section('gpu', async () => (await import('./bench/gpu')).benchGpu({ big }));
const sideBySide = !!only?.includes('cpu') && only.includes('native');
const listArg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]?.split(',').map(Number);
if (sideBySide) {
  await section('cpu', async () =>
    (await import('./bench/cpu-vs-native')).benchCpuVsNative({
      big,
      ...(listArg('threads') ? { threads: listArg('threads') } : {}),
      ...(listArg('lengths') ? { lengths: listArg('lengths') } : {}),
    }),
  );
} else {
  await section('cpu', async () => (await import('./bench/cpu-engine')).benchCpuEngine({ big }));
  await section('cpu-extension', async () => (await import('./bench/cpu-engine-extension')).benchCpuEngineExtension({ big }));
  await section('stream', async () => {
    const { benchStream, parseStreamArgs } = await import('./bench/stream');
    return benchStream(parseStreamArgs(args));
  });
  if (wanted('native')) out.native = nativeLlamaCpp();
}
await section('cpu-sweep', async () => {
  const { benchCpuSweep, sweepCases } = await import('./bench/cpu-sweep');
  const formats = args.find((a) => a.startsWith('--sweep-formats='))?.split('=')[1]?.split(',');
  return benchCpuSweep({ big, cases: sweepCases(formats), ...(listArg('sweep-threads') ? { threads: listArg('sweep-threads')![0]! } : {}) });
});
await section('onnx', async () => {
  const { benchOnnx } = await import('./bench/onnx-web');
  const weights = args.find((a) => a.startsWith('--onnx-weights='))?.split('=')[1]?.split(',').filter((w) => w === 'int8' || w === 'int4');
  return benchOnnx({
    ...(listArg('threads') ? { threads: listArg('threads') } : {}),
    ...(listArg('lengths') ? { lengths: listArg('lengths') } : {}),
    ...(weights?.length ? { weights } : {}),
  });
});
await section('prefix', async () => (await import('./bench/prefix-reuse')).benchPrefixReuse());
await section('answers', async () => (await import('./bench/answer-tokens')).benchAnswerTokens());

printCpuTable();
console.log(JSON.stringify(out, null, 2));

/** llama.cpp's own llama-bench on the same generated model, when a native build is installed. */
function nativeLlamaCpp(): unknown {
  const bin = process.env.LLAMA_BENCH ?? 'llama-bench';
  try {
    execFileSync(bin, ['--help'], { stdio: 'ignore' });
  } catch {
    return { available: false, note: `no native llama.cpp (${bin}) on the PATH; set LLAMA_BENCH to compare` };
  }
  const model = join(tmpdir(), 'local-pr-review-bench-models', big ? 'qwen2.5-0.5b-shape-q8_0.gguf' : 'tiny-ctx4096.gguf');
  if (!existsSync(model)) return { available: true, note: 'model not generated yet' };
  const json = execFileSync(bin, ['-m', model, '-p', '64', '-n', '32', '-t', '2', '-o', 'json'], { encoding: 'utf8' });
  const rows = JSON.parse(json) as Array<{ n_prompt: number; n_gen: number; avg_ts: number }>;
  return {
    available: true,
    model,
    prefillTokensPerSecond: rows.find((r) => r.n_prompt > 0)?.avg_ts ?? null,
    decodeTokensPerSecond: rows.find((r) => r.n_gen > 0)?.avg_ts ?? null,
  };
}

function rowsOf(key: string): Row[] {
  const v = out[key] as { results?: Row[] } | undefined;
  return Array.isArray(v?.results) ? v.results : [];
}

function printCpuTable(): void {
  if (sideBySide) return; // cpu-vs-native prints its own table
  const page = rowsOf('cpu');
  const ext = rowsOf('cpu-extension');
  if (!page.length && !ext.length) return;
  const native = out.native as { prefillTokensPerSecond?: number | null; decodeTokensPerSecond?: number | null } | undefined;
  const f = (n: number | null | undefined, d = 1) => (typeof n === 'number' ? n.toFixed(d) : '–');
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? (a / b).toFixed(2) : '–');
  const lines = ['| model | threads | where | load ms | prefill tok/s | decode tok/s | prefill vs page | decode vs page |', '|---|---|---|---|---|---|---|---|'];
  for (const e of ext) {
    const p = page.find((r) => r.model === e.model && r.threads === e.threads);
    if (p) lines.push(`| ${p.model} | ${p.threads} | plain page | ${f(p.loadMs, 0)} | ${f(p.prefillTokensPerSecond)} | ${f(p.decodeTokensPerSecond)} | 1.00 | 1.00 |`);
    lines.push(
      `| ${e.model} | ${e.threads} | extension | ${f(e.loadMs, 0)} | ${f(e.prefillTokensPerSecond)} | ${f(e.decodeTokensPerSecond)} | ${ratio(e.prefillTokensPerSecond, p?.prefillTokensPerSecond)} | ${ratio(e.decodeTokensPerSecond, p?.decodeTokensPerSecond)} |`,
    );
  }
  if (native?.prefillTokensPerSecond) lines.push(`| native llama.cpp | 2 | native | – | ${f(native.prefillTokensPerSecond)} | ${f(native.decodeTokensPerSecond)} | | |`);
  console.error(`\n${lines.join('\n')}`);
}
