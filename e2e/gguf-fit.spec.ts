/**
 * Bad input: a catalog model the llama.cpp engine cannot take (Qwen2.5-Coder 7B Q4_K_M is one
 * 4.68 GB file; wllama reads at most 2 GB per file) is refused with a clear message before any
 * byte of it is downloaded, and the page keeps working.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { findGgufModel } from '../src/engine/gguf-catalog';
import { expect, fixture, launchExtension, serveGithub, setSettings } from './support/extension';
import { startModelServer } from './support/model-server';

const DIST = process.env.LPR_E2E_DIST ?? 'dist/e2e';
const PR = '/OctoLinker/testrepo/pull/1/files';

test('a model too big for the llama.cpp engine is refused before any download, saying why and what to do', async () => {
  const model = findGgufModel('qwen2.5-coder-7b-instruct-q4_k_m')!;
  const dir = mkdtempSync(join(tmpdir(), 'lpr-mirror-'));
  const server = await startModelServer({ root: dir });
  const ext = await launchExtension({ dist: DIST });
  try {
    await serveGithub(ext.context, {
      [PR]: fixture('OctoLinker__pull-diff_testrepo-1.html'),
      '/OctoLinker/testrepo/pull/1.diff': { body: fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), contentType: 'text/plain' },
    });
    await setSettings(ext.serviceWorker, { engine: 'wllama', modelId: model.id, modelHosts: { webllm: '', wllama: `${server.url}hf` } });
    const page = await ext.context.newPage();
    await page.goto(`https://github.com${PR}`);
    await page.getByTestId('review-button').click();
    await expect(page.getByTestId('panel-error')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('error-message')).toContainText('single 4.7 GB file');
    await expect(page.getByTestId('panel-error')).toContainText('llama-gguf-split');
    // Nothing was asked of the model host, and GitHub's page is intact.
    expect(server.requests).toEqual([]);
    await expect(page.locator('.file-header, [data-testid="file-header"], .file').first()).toBeVisible();
  } finally {
    await ext.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
