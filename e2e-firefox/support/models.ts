/**
 * The tiny generated GGUF (e2e/support/tiny-gguf.ts) on a 127.0.0.1 server, under several names
 * so each test gets a model of its own (the engine host caches models per URL), and helpers to
 * pick one in the options page as a user does.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { startModelServer, type ModelServer } from '../../e2e/support/model-server';
import { writeTinyGguf, type TinyGgufOptions } from '../../e2e/support/tiny-gguf';
import { clickTestId, testIdText, waitFor, type FirefoxSession } from './firefox';

export interface TinyModels {
  server: ModelServer;
  /** URL of `<name>.gguf` on the server (every name serves the same tiny model). */
  url(name: string): string;
  /** GETs of `<name>.gguf` so far. */
  gets(name: string): number;
  close(): Promise<void>;
}

export async function serveTinyModels(names: string[], shape: TinyGgufOptions = {}): Promise<TinyModels> {
  const dir = mkdtempSync(join(tmpdir(), 'lpr-ff-gguf-'));
  // A 4096-token context: the review prompt alone is longer than the generator's default 512.
  const { path } = await writeTinyGguf(join(dir, 'tiny.gguf'), { nCtx: 4096, ...shape });
  for (const name of names) if (name !== 'tiny') copyFileSync(path, join(dir, `${name}.gguf`));
  const server = await startModelServer({ root: dir });
  return {
    server,
    url: (name) => `${server.url}${name}.gguf`,
    gets: (name) => server.requests.filter((r) => r === `GET /${name}.gguf`).length,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Picks a custom model URL for the CPU engine in the options page, as a user does; returns the page. */
export async function pickModelInOptions(session: FirefoxSession, url: string): Promise<Page> {
  const options = await session.openExtensionPage('extension/options.html');
  await options.waitForSelector('[data-testid="custom-model-url"]', { timeout: 30_000 });
  await options.type('[data-testid="custom-model-url"]', url);
  await clickTestId(options, 'custom-model-use');
  await waitFor(() => testIdText(options, 'options-status'), (t) => /Saved/.test(t ?? ''), 15_000, 'the options page to save the model');
  // The page shows the saved choice: the CPU engine and this URL.
  await waitFor(
    () => options.evaluate(() => [document.querySelector<HTMLSelectElement>('[data-testid="engine-select"]')?.value, document.querySelector<HTMLInputElement>('[data-testid="model-input"]')?.value]),
    ([engine, model]) => engine === 'wllama' && model === url,
    15_000,
    'the saved engine and model',
  );
  return options;
}
