/**
 * The built extension (e2e build) in headless Chromium, for benchmarks that measure the CPU engine
 * where reviews really run: the cross-origin-isolated offscreen engine host, with the wasm bundled
 * in the package. Models are served from 127.0.0.1 (an offscreen document's requests cannot be
 * routed by Playwright); `measure` sends the e2e-only `bench/cpu-engine` message (src/host/bench-hook.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startModelServer, type ModelServer } from '../../e2e/support/model-server';
import type { CpuBenchResult } from '../../src/engine/wllama-bench';
import type { BenchCpuEngineRequest, BenchCpuEngineResponse } from '../../src/protocol';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type WasmTuning = NonNullable<BenchCpuEngineRequest['tuning']>;

export class ExtensionHost {
  private constructor(
    private readonly work: string,
    private readonly site: string,
    private readonly server: ModelServer,
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {}

  get chromiumVersion(): string {
    return this.context.browser()?.version() ?? 'unknown';
  }

  static async start(opts: { dist?: string } = {}): Promise<ExtensionHost> {
    const work = mkdtempSync(join(tmpdir(), 'cpu-bench-host-'));
    let dist = opts.dist;
    if (!dist) {
      dist = join(work, 'extension');
      execFileSync('npx', ['vite', 'build', '--mode', 'e2e', '--outDir', dist, '--logLevel', 'warn'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const site = join(work, 'site');
    mkdirSync(site);
    const server = await startModelServer({ root: site });
    const profile = join(work, 'profile');
    const context = await chromium.launchPersistentContext(profile, {
      headless: true,
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--disable-extensions-except=${dist}`, `--load-extension=${dist}`],
    });
    let [worker] = context.serviceWorkers();
    worker ??= await context.waitForEvent('serviceworker');
    const id = new URL(worker.url()).host;
    const page = await context.newPage();
    await page.goto(`chrome-extension://${id}/extension/options.html`);
    return new ExtensionHost(work, site, server, context, page);
  }

  /** Loads the model at `modelPath` in the engine host with these settings and measures it. */
  async measure(modelPath: string, request: Omit<BenchCpuEngineRequest, 'kind' | 'modelUrl'>): Promise<CpuBenchResult> {
    const name = basename(modelPath);
    if (!existsSync(join(this.site, name))) symlinkSync(modelPath, join(this.site, name));
    const message: BenchCpuEngineRequest = { kind: 'bench/cpu-engine', modelUrl: this.server.url + name, ...request };
    const answer = (await this.page.evaluate(async (r) => {
      await chrome.runtime.sendMessage({ kind: 'host/wake' });
      return chrome.runtime.sendMessage(r);
    }, message)) as BenchCpuEngineResponse;
    if (!answer.ok) throw new Error(`in-extension bench failed: ${answer.message}`);
    return answer.result;
  }

  async close(): Promise<void> {
    await this.context.close();
    await this.server.close();
    rmSync(this.work, { recursive: true, force: true });
  }
}
