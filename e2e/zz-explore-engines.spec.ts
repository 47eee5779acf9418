import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { fixture, launchExtension, serveGithub, setSettings } from './support/extension';
import { writeTinyGguf } from './support/tiny-gguf';
import { startModelServer } from './support/model-server';

test('explore seeds', async () => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'tiny-'));
  const seeds = [1, 2, 3, 4, 5, 6, 7];
  for (const seed of seeds) await writeTinyGguf(join(dir, `tiny-${seed}.gguf`), { nCtx: 4096, seed });
  const server = await startModelServer({ root: dir });
  const ext = await launchExtension({ dist: 'dist/e2e-engines' });
  await serveGithub(ext.context, {
    '/OctoLinker/testrepo/pull/1/files': fixture('OctoLinker__pull-diff_testrepo-1.html'),
    '/OctoLinker/testrepo/pull/1.diff': { body: fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), contentType: 'text/plain' },
  });
  const gh = await ext.context.newPage();
  for (const seed of seeds) {
    await setSettings(ext.serviceWorker, { engine: 'wllama', modelId: `${server.url}tiny-${seed}.gguf#greedy` });
    await gh.goto('https://github.com/OctoLinker/testrepo/pull/1/files');
    await gh.getByTestId('review-button').click();
    await expect(gh.getByTestId('panel-done').or(gh.getByTestId('panel-error'))).toBeVisible({ timeout: 60000 });
    console.log('SEED', seed, JSON.stringify(await gh.getByTestId('stream-text').textContent().catch(() => null)));
  }
  await ext.close();
  await server.close();
});
