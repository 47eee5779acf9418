/**
 * First run on a machine without WebGPU, with the CPU engine's models self-hosted: the panel
 * recommends the CPU engine's default catalog model, the user confirms, and the model downloads
 * from the configured mirror (here a local server laid out like Hugging Face, holding a tiny
 * generated model under the catalog model's path) and reviews the PR with real inference.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from '@playwright/test';
import { DEFAULT_GGUF_MODEL_ID, findGgufModel } from '../src/engine/gguf-catalog';
import { expect, fixture, launchExtension, serveGithub, setSettings } from './support/extension';
import { startModelServer } from './support/model-server';
import { writeTinyGguf } from './support/tiny-gguf';

const DIST = process.env.LPR_E2E_DIST ?? 'dist/e2e';
const PR = '/OctoLinker/testrepo/pull/1/files';

test('@real-inference first run recommends the CPU engine, downloads its model from the configured mirror, and reviews', async () => {
  test.setTimeout(120_000);
  const model = findGgufModel(DEFAULT_GGUF_MODEL_ID)!;
  const dir = mkdtempSync(join(tmpdir(), 'lpr-mirror-'));
  // The mirror keeps Hugging Face's layout: <mirror>/<repo>/resolve/main/<file>.
  const path = join(dir, 'hf', model.repo, 'resolve', 'main', model.file);
  mkdirSync(dirname(path), { recursive: true });
  await writeTinyGguf(path, { nCtx: 4096 });
  const server = await startModelServer({ root: dir });
  const ext = await launchExtension({ dist: DIST });
  try {
    await serveGithub(ext.context, {
      [PR]: fixture('OctoLinker__pull-diff_testrepo-1.html'),
      '/OctoLinker/testrepo/pull/1.diff': { body: fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), contentType: 'text/plain' },
    });
    await setSettings(ext.serviceWorker, { modelHosts: { webllm: '', wllama: `${server.url}hf` } });
    const page = await ext.context.newPage();
    await page.goto(`https://github.com${PR}`);
    await page.getByTestId('review-button').click();

    await expect(page.getByTestId('panel-first-run')).toBeVisible();
    const recommended = page.getByTestId('model-choice').first();
    await expect(recommended).toHaveAttribute('data-engine', 'wllama');
    await expect(recommended).toContainText(model.label);
    await page.getByTestId('first-run-confirm').click();

    await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('review-coverage')).toContainText('1 of 1 files reviewed fully');
    // Fetched from the mirror, under the catalog model's path, once.
    const gets = server.requests.filter((r) => r === `GET /hf/${model.repo}/resolve/main/${model.file}`);
    expect(gets).toHaveLength(1);
    const status = await ext.serviceWorker.evaluate(() => chrome.runtime.sendMessage({ kind: 'host/status' }));
    expect(status).toMatchObject({ engine: { kind: 'wllama', modelId: model.id, loaded: true } });
  } finally {
    await ext.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
