/**
 * Benchmark of the CPU engine inside the built extension: the e2e build (the production build
 * plus the test hooks) is loaded into headless Chromium, and its engine host (the cross-origin
 * isolated offscreen document, with the wasm bundled in the package) measures load time, prefill
 * and decode tokens/s with `measureCpuEngine`, on the same models and prompts as the plain-page
 * benchmark (scripts/bench/cpu-engine.ts), so the two can be compared as a ratio.
 *
 * Run: npx tsx scripts/bench/cpu-engine-extension.ts [--skip-big]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startModelServer } from '../../e2e/support/model-server';
import { ensureModel, modelCases } from './cpu-engine';
import type { BenchCpuEngineRequest, BenchCpuEngineResponse } from '../../src/protocol';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

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
  const work = mkdtempSync(join(tmpdir(), 'cpu-bench-ext-'));
  let dist = opts.dist;
  if (!dist) {
    dist = join(work, 'extension');
    execFileSync('npx', ['vite', 'build', '--mode', 'e2e', '--outDir', dist, '--logLevel', 'warn'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const site = join(work, 'site');
  mkdirSync(site);
  const list = modelCases({ big: opts.big ?? true, tinyPromptWords: 300, bigPromptWords: 64 });
  const sizes: Record<string, number> = {};
  for (const c of list) {
    sizes[c.file] = await ensureModel(join(cacheDir, c.file), c.options);
    symlinkSync(join(cacheDir, c.file), join(site, c.file));
  }
  const server = await startModelServer({ root: site });
  const userDataDir = mkdtempSync(join(tmpdir(), 'cpu-bench-ext-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    headless: true,
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--disable-extensions-except=${dist}`, `--load-extension=${dist}`],
  });
  const results: Record<string, unknown>[] = [];
  try {
    let [worker] = context.serviceWorkers();
    worker ??= await context.waitForEvent('serviceworker');
    const id = new URL(worker.url()).host;
    const page = await context.newPage();
    await page.goto(`chrome-extension://${id}/extension/options.html`);
    for (const c of list) {
      for (const nThreads of threads) {
        const request: BenchCpuEngineRequest = {
          kind: 'bench/cpu-engine',
          modelUrl: server.url + c.file,
          nThreads,
          nCtx: c.nCtx,
          bench: { promptWords: c.promptWords, runs: c.runs, maxTokens },
        };
        const t0 = performance.now();
        const answer = (await page.evaluate(async (r) => {
          await chrome.runtime.sendMessage({ kind: 'host/wake' });
          return chrome.runtime.sendMessage(r);
        }, request)) as BenchCpuEngineResponse;
        if (!answer.ok) throw new Error(`in-extension bench failed: ${answer.message}`);
        const r = answer.result;
        results.push({ model: c.name, bytes: sizes[c.file], threads: r.crossOriginIsolated ? nThreads : 1, wallSeconds: (performance.now() - t0) / 1000, ...r });
        console.error(JSON.stringify({ model: c.name, threads: nThreads, loadMs: r.loadMs, prefill: r.prefillTokensPerSecond, decode: r.decodeTokensPerSecond }));
      }
    }
  } finally {
    await context.close();
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
  return { date: new Date().toISOString(), where: 'extension offscreen document (e2e build)', chromium: context.browser()?.version() ?? 'unknown', hardwareConcurrency: availableParallelism(), maxTokens, results };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await benchCpuEngineExtension({ big: !process.argv.includes('--skip-big') });
  console.log(JSON.stringify(out, null, 2));
}
