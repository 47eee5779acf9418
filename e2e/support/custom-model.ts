/** Helpers for specs that run the CPU/llama.cpp engine on a tiny model served from 127.0.0.1. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, type Launched } from './extension';
import { writeTinyGguf, type TinyGgufOptions } from './tiny-gguf';
import { startModelServer, type ModelServer } from './model-server';

/** Picks the llama.cpp engine and a custom model URL the way a user does, in the options page. */
export async function chooseCustomModel(ext: Launched, url: string): Promise<void> {
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  await options.getByTestId('engine-select').selectOption('wllama');
  await options.getByTestId('model-input').fill(url);
  await options.getByTestId('model-input').press('Tab');
  await expect(options.getByTestId('options-status')).toContainText('Saved');
  await options.close();
}

/** The model's text in the panel: the live tail while reviewing, the whole text once opened. */
export const streamText = async (page: Page): Promise<string> => (await page.getByTestId('stream-text').textContent()) ?? '';

/** After a review, the model's text is under a collapsed "What the model wrote": open it as a reader does. */
export async function openModelWrote(page: Page): Promise<void> {
  const details = page.getByTestId('model-wrote');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
  await expect(page.getByTestId('stream-text')).toBeVisible();
}

export interface TinyModel {
  server: ModelServer;
  /** The model's URL (without a fragment). */
  url: string;
  close(): Promise<void>;
}

/** Writes a tiny GGUF into a temporary folder and serves it from 127.0.0.1. */
export async function serveTinyModel(options: TinyGgufOptions = {}): Promise<TinyModel> {
  const dir = mkdtempSync(join(tmpdir(), 'lpr-tiny-gguf-'));
  await writeTinyGguf(join(dir, 'tiny.gguf'), options);
  const server = await startModelServer({ root: dir });
  return {
    server,
    url: `${server.url}tiny.gguf`,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
