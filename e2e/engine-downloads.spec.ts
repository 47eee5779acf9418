/**
 * The model manager's downloads, in the built extension with the real CPU engine: a download the
 * network breaks is reported with a next step and leaves nothing behind that counts as cached;
 * Retry downloads it whole; Delete frees the storage. Models come from a local server on
 * 127.0.0.1 (a mirror, as an organisation would self-host them).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';
import type { DownloadStatus } from '../src/protocol';
import { DEFAULT_SETTINGS, type Settings } from '../src/shared/settings';
import { askHostFrom as askHost, expect, launchExtension } from './support/extension';
import { startModelServer } from './support/model-server';
import { writeTinyGguf } from './support/tiny-gguf';

const DIST = process.env.LPR_E2E_DIST ?? 'dist/e2e';


async function finishedDownload(page: Page, modelId: string): Promise<DownloadStatus> {
  let last: DownloadStatus | undefined;
  await expect
    .poll(
      async () => {
        const { downloads } = await askHost(page, { kind: 'models/downloads' });
        last = downloads.find((d) => d.modelId === modelId);
        return last?.state;
      },
      { timeout: 60_000 },
    )
    .not.toBe('downloading');
  return last!;
}

async function listed(page: Page, settings: Settings, modelId: string) {
  const list = await askHost(page, { kind: 'models/list', settings });
  if (!list.ok) throw new Error(list.message);
  return list.models.find((m) => m.engine === 'wllama' && m.id === modelId);
}

test('@real-inference a download broken by the network fails cleanly, Retry completes it, and Delete frees the space', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'lpr-downloads-'));
  await writeTinyGguf(join(dir, 'tiny.gguf'), { nCtx: 4096 });
  const size = statSync(join(dir, 'tiny.gguf')).size;
  const server = await startModelServer({ root: dir });
  const ext = await launchExtension({ dist: DIST });
  try {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
    const url = `${server.url}tiny.gguf`;
    const settings: Settings = { ...DEFAULT_SETTINGS, engine: 'wllama', modelId: url };
    expect(await listed(page, settings, url)).toMatchObject({ cached: false, note: 'custom model URL' });

    // The connection drops after 100 kB of the ~900 kB file.
    server.failNext('tiny.gguf', 100_000);
    const started = await askHost(page, { kind: 'models/download', engine: 'wllama', modelId: url, settings });
    expect(started).toMatchObject({ ok: true, status: { state: 'downloading' } });
    const broken = await finishedDownload(page, url);
    expect(broken.state).toBe('failed');
    expect(broken.failure?.code).toBe('download-failed');
    expect(broken.failure?.nextStep).toBeTruthy();
    // The broken part is not taken for the model.
    expect(await listed(page, settings, url)).toMatchObject({ cached: false });

    await askHost(page, { kind: 'models/download', engine: 'wllama', modelId: url, settings });
    const retried = await finishedDownload(page, url);
    expect(retried.state).toBe('done');
    expect(retried.totalBytes).toBe(size);
    expect(await listed(page, settings, url)).toMatchObject({ cached: true, sizeBytes: size });
    // Downloading also loaded it: the engine is warm for the first review.
    const status = await ext.serviceWorker.evaluate(() => chrome.runtime.sendMessage({ kind: 'host/status' }));
    expect(status).toMatchObject({ engine: { kind: 'wllama', modelId: url, loaded: true } });

    const before = (await askHost(page, { kind: 'models/storage' })).storage.usageBytes ?? 0;
    const deleted = await askHost(page, { kind: 'models/delete', engine: 'wllama', modelId: url, settings });
    expect(deleted).toEqual({ ok: true, freedBytes: size });
    expect(await listed(page, settings, url)).toMatchObject({ cached: false });
    const after = (await askHost(page, { kind: 'models/storage' })).storage.usageBytes ?? 0;
    expect(after).toBeLessThan(before);
    // Deleting the loaded model unloaded it.
    expect(await ext.serviceWorker.evaluate(() => chrome.runtime.sendMessage({ kind: 'host/status' }))).toMatchObject({ engine: null });
  } finally {
    await ext.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
