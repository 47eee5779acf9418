/**
 * Benchmark of the CPU engine inside the built extension: the e2e build (the production build
 * plus the test hooks) is loaded into headless Chromium, and its engine host (the cross-origin
 * isolated offscreen document, with the wasm bundled in the package) measures load time, prefill
 * and decode tokens/s with `measureCpuEngine`, on the same models and prompts as the plain-page
 * benchmark (scripts/bench/cpu-engine.ts), so the two can be compared as a ratio.
 *
 * Run: npx tsx scripts/bench/cpu-engine-extension.ts [--skip-big]
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureModel, modelCases } from './cpu-engine';
import { ExtensionHost } from './extension-host';

export interface ExtensionBenchOptions {
  big?: boolean;
  threads?: number[];
  cacheDir?: string;
  /** A built e2e extension to use instead of building one. */
  dist?: string;
  maxTokens?: number;
}

export async function benchCpuEngineExtension(opts: ExtensionBenchOptions = {}): Promise<Record<string, unknown>> {
  const cacheDir = opts.cacheDir ?? join(tmpdir(), 'local-pr-review-bench-models');
  const threads = opts.threads ?? [1, 2];
  const maxTokens = opts.maxTokens ?? 32;
  mkdirSync(cacheDir, { recursive: true });
  const list = modelCases({ big: opts.big ?? true, tinyPromptWords: 300, bigPromptWords: 64 });
  const sizes: Record<string, number> = {};
  for (const c of list) sizes[c.file] = await ensureModel(join(cacheDir, c.file), c.options);
  const host = await ExtensionHost.start(opts.dist ? { dist: opts.dist } : {});
  const results: Record<string, unknown>[] = [];
  try {
    for (const c of list) {
      for (const nThreads of threads) {
        const t0 = performance.now();
        const r = await host.measure(join(cacheDir, c.file), { nThreads, nCtx: c.nCtx, bench: { promptWords: c.promptWords, runs: c.runs, maxTokens } });
        results.push({ model: c.name, bytes: sizes[c.file], threads: r.crossOriginIsolated ? nThreads : 1, wallSeconds: (performance.now() - t0) / 1000, ...r });
        console.error(JSON.stringify({ model: c.name, threads: nThreads, loadMs: r.loadMs, prefill: r.prefillTokensPerSecond, decode: r.decodeTokensPerSecond }));
      }
    }
  } finally {
    await host.close();
  }
  return { date: new Date().toISOString(), where: 'extension offscreen document (e2e build)', chromium: host.chromiumVersion, hardwareConcurrency: availableParallelism(), maxTokens, results };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await benchCpuEngineExtension({ big: !process.argv.includes('--skip-big') });
  console.log(JSON.stringify(out, null, 2));
}
