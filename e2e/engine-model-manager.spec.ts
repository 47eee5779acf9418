/**
 * The model manager in the options page, driven as a user would, against the real engine host:
 * a self-hosted mirror set in the page, a catalog model downloaded with its size shown, then
 * deleted. The mirror is a local server laid out like Hugging Face holding a tiny generated model
 * under the catalog model's path.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from '@playwright/test';
import { DEFAULT_GGUF_MODEL_ID, findGgufModel } from '../src/engine/gguf-catalog';
import { formatBytes } from '../src/shared/format';
import { expect, launchExtension } from './support/extension';
import { startModelServer } from './support/model-server';
import { writeTinyGguf } from './support/tiny-gguf';

const DIST = process.env.LPR_E2E_DIST ?? 'dist/e2e';

test('@real-inference the options page lists the CPU models with sizes, downloads one from a mirror set there, and deletes it', async () => {
  test.setTimeout(120_000);
  const model = findGgufModel(DEFAULT_GGUF_MODEL_ID)!;
  const dir = mkdtempSync(join(tmpdir(), 'lpr-mm-mirror-'));
  const path = join(dir, 'hf', model.repo, 'resolve', 'main', model.file);
  mkdirSync(dirname(path), { recursive: true });
  await writeTinyGguf(path, { nCtx: 4096 });
  const size = statSync(path).size;
  const server = await startModelServer({ root: dir });
  const ext = await launchExtension({ dist: DIST });
  try {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
    const manager = page.getByTestId('model-manager');
    // No GPU here: the first-run choice is the CPU engine, and the page says why.
    await expect(manager.getByTestId('first-run-sentence')).toContainText('No WebGPU here');
    await expect(manager.getByTestId('webgpu-unavailable')).toBeVisible();

    await manager.getByTestId('mirror-wllama').fill(`${server.url}hf`);
    await manager.getByTestId('mirror-wllama').press('Tab');
    await expect(page.getByTestId('options-status')).toContainText('Saved');

    const row = manager.locator(`[data-testid="model-row"][data-model-id="${model.id}"]`);
    await expect(row).toHaveAttribute('data-cached', 'false');
    // Before download: the catalog's size estimate.
    await expect(row.getByTestId('model-facts')).toContainText(formatBytes(model.approxBytes));
    await row.getByTestId('model-download').click();
    // Downloaded (from the mirror): the exact size on disk replaces the estimate.
    await expect(row).toHaveAttribute('data-cached', 'true', { timeout: 60_000 });
    await expect(row.getByTestId('model-cached')).toHaveText('downloaded');
    await expect(row.getByTestId('model-facts')).toContainText(formatBytes(size));
    expect(server.requests).toContain(`GET /hf/${model.repo}/resolve/main/${model.file}`);
    await expect(manager.getByTestId('storage-used')).toContainText('Storage used by the extension');

    await row.getByTestId('model-delete').click();
    await expect(row).toHaveAttribute('data-cached', 'false');
    await expect(row.getByTestId('model-download')).toBeVisible();
  } finally {
    await ext.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a .gguf file picked in the options page is stored by the engine host, listed as downloaded with its size, and deleted', async () => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'lpr-mm-file-'));
  const path = join(dir, 'my tiny model.gguf');
  await writeTinyGguf(path, { nCtx: 4096 });
  const size = statSync(path).size;
  const ext = await launchExtension({ dist: DIST });
  try {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
    const manager = page.getByTestId('model-manager');
    await expect(manager.getByTestId('first-run-sentence')).toBeVisible();
    await manager.getByTestId('custom-model-file').setInputFiles(path);
    await expect(manager.getByTestId('custom-model-file-note')).toHaveText('my tiny model.gguf is stored; it works offline.');
    await expect(page.getByTestId('options-status')).toContainText('Saved');
    // The engine host lists it from its own storage: the exact size, downloaded, selected.
    const row = manager.locator('[data-testid="model-row"][data-model-id="local:my_tiny_model.gguf"]');
    await expect(row).toHaveAttribute('data-cached', 'true');
    await expect(row.getByTestId('model-facts')).toContainText(formatBytes(size));
    await expect(row.getByTestId('model-facts')).toContainText('model file from this computer');
    await expect(row.getByTestId('model-select')).toBeChecked();
    await row.getByTestId('model-delete').click();
    await expect(row).toHaveAttribute('data-cached', 'false');
  } finally {
    await ext.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
