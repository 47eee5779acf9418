/**
 * `npm run bench -- --only=gpu`: the GPU engines this machine has, in headless Chromium with
 * WebGPU on (--enable-unsafe-webgpu).
 *
 * Reports the adapter (vendor, architecture, software or hardware, shader-f16, buffer limits), then
 * for each GPU engine: whether it can run here and why not; where it can, load time, prefill and
 * decode tokens/s, time to first token, and the whole-review time of a corpus diff of 459 changed
 * lines (go-slog-migration + ts-rate-limiter) on a named model.
 *
 * - llama.cpp on WebGPU (the wllama engine): needs an adapter with shader-f16 (ggml-webgpu does;
 *   without it llama.cpp stays on the CPU). The model is GPU_BENCH_MODEL (a .gguf path, e.g.
 *   Qwen2.5-Coder-1.5B-Instruct q8_0) or, without it, the generated Qwen2.5-0.5B-shaped q8_0 model
 *   (real sizes, meaningless text).
 * - web-llm: needs a bundled model library (npm run fetch-model-libs) and its weights from the
 *   network; reported as not run where either is missing.
 * A software adapter (SwiftShader) is labelled as such: its figures prove the path runs, nothing more.
 * It has no shader-f16, so there the bench page carries the test-only f16 shim
 * (scripts/vite/webgpu-f16-shim.ts, f32 shaders; never in a product build) and runs the tiny
 * generated q8_0 model only, without the whole review (about one token a second: hours).
 * Where the engine really ran comes from the engine itself (`placement()`: layers read back).
 *
 * Run alone: npx tsx scripts/bench/gpu.ts [--skip-big]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildBenchPage, repoImport } from './bench-page';
import { startModelServer } from '../../e2e/support/model-server';
import { QWEN2_5_0_5B_SHAPE } from '../../e2e/support/tiny-gguf';
import { F16_SHIM_SOURCE } from '../vite/webgpu-f16-shim';
import { wllamaWorkers } from '../vite/wllama-workers';
import { ensureModel } from './cpu-engine';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REVIEW_DIFFS = ['go-slog-migration.diff', 'ts-rate-limiter.diff'];

export interface GpuBenchOptions {
  big?: boolean;
  chromiumPath?: string;
  cacheDir?: string;
}

/** Changed lines (added or deleted, headers excluded) of a unified diff. */
export function changedLines(diff: string): number {
  return diff.split('\n').filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---) /.test(l)).length;
}

function buildPage(outDir: string): Promise<void> {
  return buildBenchPage(outDir, {
    title: 'gpu bench',
    main: `import { checkWebGpu } from '${repoImport('src/engine/webgpu-check.ts')}';
import { WllamaEngine } from '${repoImport('src/engine/wllama-engine.ts')}';
import { measureCpuEngine } from '${repoImport('src/engine/wllama-bench.ts')}';
import { runReview } from '${repoImport('src/review/pipeline.ts')}';
import { parseUnifiedDiff } from '${repoImport('src/github/diff-text.ts')}';
import { DEFAULT_SETTINGS } from '${repoImport('src/shared/settings.ts')}';
const w = window as any;
w.adapter = () => checkWebGpu();
w.bench = async (engineOptions: any, benchOptions: any) => {
  const engine = new WllamaEngine(engineOptions);
  try {
    const r = await measureCpuEngine(engine, benchOptions);
    return { ...r, placement: engine.placement?.() ?? null };
  } finally { await engine.unload(); }
};
w.review = async (engineOptions: any, diffText: string) => {
  const engine = new WllamaEngine(engineOptions);
  try {
    await engine.load(() => {});
    const t0 = performance.now();
    const diff = { ref: { owner: 'bench', repo: 'corpus', number: null }, files: parseUnifiedDiff(diffText), missing: [] };
    const review = await runReview({ diff, settings: { ...DEFAULT_SETTINGS, maxModelCalls: 1000 }, engine }, () => {}, new AbortController().signal);
    return { reviewMs: performance.now() - t0, contextWindow: engine.capabilities().contextWindow, placement: engine.placement?.() ?? null, ...review.stats };
  } finally { await engine.unload(); }
};
`,
    // wllama's workers as files (the worker factory looks for them at /wllama/), with the
    // test-only f16 shim that a worker runs only when the engine asks for it.
    plugins: [wllamaWorkers({ f16Shim: F16_SHIM_SOURCE })],
  });
}

interface Adapter {
  available: boolean;
  reason?: string;
  fallbackAdapter?: boolean;
  shaderF16?: boolean;
  vendor?: string;
  architecture?: string;
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
}

function webllmStatus(): { ran: false; reason: string } {
  const index = join(repo, 'public/model-libs/index.json');
  const libs = existsSync(index) ? ((JSON.parse(readFileSync(index, 'utf8')) as { files?: string[] }).files ?? []) : [];
  return {
    ran: false,
    reason:
      libs.length === 0
        ? 'no web-llm model library is bundled (run npm run fetch-model-libs where GitHub is reachable), and its weights come from Hugging Face'
        : 'web-llm downloads its weights from Hugging Face at load; this benchmark does not fetch them (measure in the extension, see docs/engines-webgpu.md)',
  };
}

export async function benchGpu(opts: GpuBenchOptions = {}): Promise<Record<string, unknown>> {
  const cacheDir = opts.cacheDir ?? join(tmpdir(), 'local-pr-review-bench-models');
  mkdirSync(cacheDir, { recursive: true });
  const site = mkdtempSync(join(tmpdir(), 'gpu-bench-site-'));
  await buildPage(site);
  mkdirSync(join(site, 'models'));
  const diffText = REVIEW_DIFFS.map((f) => readFileSync(join(repo, 'e2e/fixtures/diffs', f), 'utf8')).join('\n');

  const server = await startModelServer({ root: site, crossOriginIsolated: true });
  const browser = await chromium.launch({
    executablePath: opts.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const chromiumVersion = browser.version();
  const engines: Record<string, unknown>[] = [];
  let adapter: Adapter = { available: false };
  // GPU_BENCH_CPU_PATH=1 takes the same measurements where the GPU path cannot run, labelled
  // "cpu": a comparison on the same model, and a check of this script on machines without a GPU.
  const cpuPath = process.env.GPU_BENCH_CPU_PATH === '1';
  try {
    const page = await browser.newPage();
    await page.goto(server.url + 'index.html');
    await page.waitForFunction(() => 'adapter' in window);
    adapter = (await page.evaluate(() => (window as any).adapter())) as Adapter;
    const software = adapter.available ? Boolean(adapter.fallbackAdapter) : null;
    console.error(`adapter: ${JSON.stringify(adapter)}${software ? ' (software: figures only prove the path runs)' : ''}`);

    const llama: Record<string, unknown> = { engine: 'llama.cpp on WebGPU (wllama)' };
    // A software adapter without f16 runs through the test-only shim (proof the path runs).
    const shim = Boolean(adapter.available && !adapter.shaderF16 && software && process.env.GPU_BENCH_NO_SHIM !== '1');
    if (!adapter.available) llama.reason = `no WebGPU adapter: ${adapter.reason ?? ''}`;
    else if (!adapter.shaderF16 && !shim) {
      llama.reason = "the adapter has no shader-f16, which llama.cpp's WebGPU backend needs: the engine stays on the CPU here";
    }
    if (llama.reason) engines.push({ ...llama, ran: false });
    if (!llama.reason || cpuPath) {
      const onCpu = Boolean(llama.reason);
      if (onCpu) llama.engine = 'llama.cpp on the CPU (wllama), for comparison';
      if (shim) llama.engine = 'llama.cpp on WebGPU (wllama), software adapter through the test-only f16 shim';
      delete llama.reason;
      const custom = shim ? undefined : process.env.GPU_BENCH_MODEL;
      const file = custom ? basename(custom) : shim ? 'tiny-q8_0.gguf' : 'qwen2.5-0.5b-shape-q8_0.gguf';
      const source = custom ?? join(cacheDir, file);
      if (!custom) await ensureModel(source, shim ? { nCtx: 4096, type: 'q8_0' } : QWEN2_5_0_5B_SHAPE);
      symlinkSync(source, join(site, 'models', file));
      const modelUrl = server.url + 'models/' + file;
      const model = custom ? file : shim ? 'tiny generated model (64 wide, 2 layers, q8_0)' : 'Qwen2.5-0.5B shape, q8_0 (generated)';
      const engineOptions = { modelUrl, nCtx: 4096, gpu: onCpu ? 'off' : 'auto', ...(shim ? { f16ShimAvailable: true } : {}) };
      const benchOptions = shim ? { promptWords: 60, runs: 1, maxTokens: 8 } : { promptWords: 400, runs: 2, maxTokens: 32 };
      const measured = await page.evaluate(([o, b]) => (window as any).bench(o, b), [engineOptions, benchOptions] as const);
      const reviewWanted = !shim || process.env.GPU_BENCH_REVIEW === '1';
      const review = reviewWanted
        ? { changedLines: changedLines(diffText), diffs: REVIEW_DIFFS, ...(await page.evaluate(([o, text]) => (window as any).review(o, text), [{ ...engineOptions, nCtx: 16_384 }, diffText] as const)) }
        : { skipped: 'software adapter: at about one token a second the whole review would take hours (GPU_BENCH_REVIEW=1 runs it)' };
      engines.push({
        ...llama,
        ran: true,
        software: onCpu ? null : software,
        model,
        bytes: statSync(source).size,
        placement: measured.placement,
        loadMs: measured.loadMs,
        prefillTokensPerSecond: measured.prefillTokensPerSecond,
        decodeTokensPerSecond: measured.decodeTokensPerSecond,
        timeToFirstTokenMs: measured.firstChunkMs,
        review,
      });
    }
    engines.push({ engine: 'web-llm', ...webllmStatus() });
    await page.close();
  } finally {
    await browser.close();
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
  for (const e of engines) console.error(`${String(e.engine)}: ${e.ran ? JSON.stringify(e) : `not run (${String(e.reason)})`}`);
  return {
    date: new Date().toISOString(),
    chromium: chromiumVersion,
    adapter: adapter.available
      ? {
          vendor: adapter.vendor,
          architecture: adapter.architecture,
          software: adapter.fallbackAdapter,
          shaderF16: adapter.shaderF16,
          maxBufferSize: adapter.maxBufferSize,
          maxStorageBufferBindingSize: adapter.maxStorageBufferBindingSize,
        }
      : { available: false, reason: adapter.reason },
    reviewDiff: { diffs: REVIEW_DIFFS, changedLines: changedLines(diffText) },
    engines,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await benchGpu({ big: !process.argv.includes('--skip-big') });
  console.log(JSON.stringify(out, null, 2));
}
