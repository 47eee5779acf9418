/**
 * Launches Debian's Chromium with a built copy of the extension and serves GitHub from saved
 * HTML, so e2e tests run offline on a fresh machine.
 */
import { test as base, chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ModelQuery, ModelQueryResponse } from '../../src/protocol';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIXTURES = join(ROOT, 'e2e', 'fixtures', 'github');

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Launched {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  close(): Promise<void>;
}

/**
 * `webgpu`: start Chromium with --enable-unsafe-webgpu, which gives a software WebGPU adapter
 * (SwiftShader: no shader-f16, 1 GiB buffers) on machines without a GPU.
 */
export async function launchExtension(options: { dist?: string; extraArgs?: string[]; webgpu?: boolean } = {}): Promise<Launched> {
  const dist = resolve(ROOT, options.dist ?? 'dist/e2e');
  const userDataDir = mkdtempSync(join(tmpdir(), 'lpr-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    headless: true,
    executablePath: CHROMIUM,
    args: [
      ...FLAGS,
      ...(options.webgpu ? ['--enable-unsafe-webgpu'] : []),
      `--disable-extensions-except=${dist}`,
      `--load-extension=${dist}`,
      ...(options.extraArgs ?? []),
    ],
  });
  // Nothing may reach the real network: GitHub's asset hosts answer 404 at once.
  await context.route(/^https:\/\/(?!github\.com\/)[^/]*(githubassets|githubusercontent|github)\.com\//, (route) =>
    route.fulfill({ status: 404, body: '' }),
  );
  let [serviceWorker] = context.serviceWorkers();
  serviceWorker ??= await context.waitForEvent('serviceworker');
  const extensionId = new URL(serviceWorker.url()).host;
  return {
    context,
    serviceWorker,
    extensionId,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export type RouteTable = Record<string, string | { body: string; status?: number; contentType?: string }>;

/** Serves github.com paths from a table (path → HTML or a full response); anything else is a 404. */
export async function serveGithub(context: BrowserContext, table: RouteTable): Promise<string[]> {
  const requested: string[] = [];
  await context.route('https://github.com/**', (route) => {
    const url = new URL(route.request().url());
    requested.push(url.pathname);
    const entry = table[url.pathname];
    if (entry === undefined) return route.fulfill({ status: 404, body: 'not found', contentType: 'text/plain' });
    const response = typeof entry === 'string' ? { body: entry } : entry;
    return route.fulfill({ status: response.status ?? 200, body: response.body, contentType: response.contentType ?? 'text/html' });
  });
  return requested;
}

/** Writes settings the way the options page does (storage.sync), from the service worker. */
export async function setSettings(serviceWorker: Worker, patch: Record<string, unknown>): Promise<void> {
  // One storage item per setting (see src/shared/settings-store.ts).
  await serviceWorker.evaluate((p) => chrome.storage.sync.set(p), patch);
}

/** What the engine host is doing right now (asked through the service worker). */
export async function hostStatus(serviceWorker: Worker): Promise<{ activeSessions: number; engine: { kind: string; modelId: string; loaded: boolean } | null } | undefined> {
  return serviceWorker.evaluate(() => chrome.runtime.sendMessage({ kind: 'host/status' }).catch(() => undefined));
}

/**
 * Asks the engine host a model-manager question from an extension page, as the extension's own
 * client does (src/ui/model-manager/host-client.ts): wake the host, ask, and wake and ask once
 * more if the answer got lost (seen once on a loaded machine, right after the offscreen document
 * was created).
 */
export async function askHostFrom<Q extends ModelQuery>(page: Page, query: Q): Promise<ModelQueryResponse[Q['kind']]> {
  return page.evaluate(async (q) => {
    for (let attempt = 0; ; attempt++) {
      const woke = (await chrome.runtime.sendMessage({ kind: 'host/wake' })) as { ok: boolean; message?: string } | undefined;
      if (woke && !woke.ok) throw new Error(`the engine host did not start: ${woke.message ?? ''}`);
      const answer: unknown = await chrome.runtime.sendMessage(q);
      if (answer !== undefined || attempt === 1) return answer;
    }
  }, query) as Promise<ModelQueryResponse[Q['kind']]>;
}

export const SCRIPTED = (params = 'delay=20') => ({ engine: 'scripted', modelId: `scripted?${params}` });

export const test = base.extend<{ ext: Launched; page: Page }>({
  // eslint-disable-next-line no-empty-pattern
  ext: async ({}, use) => {
    const launched = await launchExtension();
    await use(launched);
    await launched.close();
  },
  page: async ({ ext }, use) => {
    const page = await ext.context.newPage();
    await use(page);
  },
});

export { expect } from '@playwright/test';
