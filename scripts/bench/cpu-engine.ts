/**
 * Benchmark of the CPU engine (wllama) on a plain page in headless Chromium: load time, prefill
 * and decode tokens/s, for the tiny test model and for a model with Qwen2.5-0.5B's shape in q8_0,
 * on 1 and 2 threads (the page is served cross-origin isolated so threads are possible).
 *
 * Run: npx tsx scripts/bench/cpu-engine.ts [--skip-big]
 * The measuring itself is `measureCpuEngine` (src/engine/wllama-bench.ts), which runs inside
 * the page and can be reused wherever the adapter runs (e.g. in the built extension).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildBenchPage, repoImport } from './bench-page';
import { startModelServer } from '../../e2e/support/model-server';
import { QWEN2_5_0_5B_SHAPE, writeTinyGguf, type TinyGgufOptions } from '../../e2e/support/tiny-gguf';

export interface CpuEngineBenchOptions {
  /** Also measure the 0.5B-shaped model (a 529 MB file, written once into cacheDir). */
  big?: boolean;
  threads?: number[];
  /** Where generated models are kept between runs. */
  cacheDir?: string;
  chromiumPath?: string;
  tinyPromptWords?: number;
  bigPromptWords?: number;
  maxTokens?: number;
}

export interface ModelCase {
  name: string;
  file: string;
  options: TinyGgufOptions;
  promptWords: number;
  runs: number;
  nCtx: number;
}

/** Builds a one-file page that exposes `measureCpuEngine` over the adapter as `window.bench`. */
function buildCpuBenchPage(outDir: string): Promise<void> {
  return buildBenchPage(outDir, {
    title: 'cpu bench',
    main: `import { WllamaEngine } from '${repoImport('src/engine/wllama-engine.ts')}';
import { measureCpuEngine } from '${repoImport('src/engine/wllama-bench.ts')}';
(window as any).bench = async (engineOptions: any, benchOptions: any) => {
  const engine = new WllamaEngine(engineOptions);
  try { return await measureCpuEngine(engine, benchOptions); } finally { await engine.unload(); }
};
`,
  });
}

/** Writes the generated model once into the cache folder; later runs reuse it. */
export async function ensureModel(path: string, options: TinyGgufOptions): Promise<number> {
  // Generation is deterministic, so a file of the right size is the same file.
  if (existsSync(path)) return statSync(path).size;
  const t0 = performance.now();
  const { bytes } = await writeTinyGguf(path, options);
  console.error(`wrote ${path} (${bytes} bytes) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return bytes;
}

/** The models both CPU benchmarks run (plain page and extension), so their rows line up. */
export function modelCases(o: { big: boolean; tinyPromptWords: number; bigPromptWords: number }): ModelCase[] {
  const cases: ModelCase[] = [
    { name: 'tiny (64 wide, 2 layers, f32)', file: 'tiny-ctx4096.gguf', options: { nCtx: 4096 }, promptWords: o.tinyPromptWords, runs: 3, nCtx: 2048 },
  ];
  if (o.big) {
    cases.push({ name: 'Qwen2.5-0.5B shape, q8_0', file: 'qwen2.5-0.5b-shape-q8_0.gguf', options: QWEN2_5_0_5B_SHAPE, promptWords: o.bigPromptWords, runs: 1, nCtx: 2048 });
  }
  return cases;
}

export async function benchCpuEngine(opts: CpuEngineBenchOptions = {}): Promise<Record<string, unknown>> {
  const cacheDir = opts.cacheDir ?? join(tmpdir(), 'local-pr-review-bench-models');
  const threads = opts.threads ?? [1, 2];
  const maxTokens = opts.maxTokens ?? 32;
  const site = mkdtempSync(join(tmpdir(), 'cpu-bench-site-'));
  mkdirSync(cacheDir, { recursive: true });
  await buildCpuBenchPage(join(site, 'page'));

  const cases = modelCases({ big: opts.big ?? true, tinyPromptWords: opts.tinyPromptWords ?? 300, bigPromptWords: opts.bigPromptWords ?? 64 });
  const modelsDir = join(site, 'models');
  mkdirSync(modelsDir);
  const sizes: Record<string, number> = {};
  for (const c of cases) {
    sizes[c.file] = await ensureModel(join(cacheDir, c.file), c.options);
  }
  // Serve the cached models through symlinks rather than copies.
  const { symlinkSync } = await import('node:fs');
  for (const c of cases) symlinkSync(join(cacheDir, c.file), join(modelsDir, c.file));

  const server = await startModelServer({ root: site, crossOriginIsolated: true });
  const browser = await chromium.launch({
    executablePath: opts.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const chromiumVersion = browser.version();
  const results: Record<string, unknown>[] = [];
  try {
    for (const c of cases) {
      for (const nThreads of threads) {
        // A fresh page per case: the OPFS cache persists within the browser, so the load time
        // of the second thread count is a cached load (no download), which is the common case.
        const page = await browser.newPage();
        await page.goto(server.url + 'page/index.html');
        await page.waitForFunction(() => 'bench' in window);
        const isolated = await page.evaluate(() => crossOriginIsolated);
        const t0 = performance.now();
        const r = await page.evaluate(
          ([url, n, ctx, words, runs, max]) =>
            (window as any).bench({ modelUrl: url, nThreads: n, nCtx: ctx }, { promptWords: words, runs, maxTokens: max }),
          [server.url + 'models/' + c.file, nThreads, c.nCtx, c.promptWords, c.runs, maxTokens] as const,
        );
        results.push({ model: c.name, bytes: sizes[c.file], threads: isolated ? nThreads : 1, wallSeconds: (performance.now() - t0) / 1000, ...r });
        console.error(JSON.stringify(results.at(-1)));
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
  return {
    date: new Date().toISOString(),
    chromium: chromiumVersion,
    hardwareConcurrency: (await import('node:os')).availableParallelism(),
    maxTokens,
    results,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await benchCpuEngine({ big: !process.argv.includes('--skip-big') });
  console.log(JSON.stringify(out, null, 2));
}
