/**
 * Issue 12: nothing published leaks where the model came from. A custom model chosen by URL
 * (here the tiny real model served from 127.0.0.1, standing in for an internal mirror) reviews a
 * PR; Copy as Markdown and Insert into comment name the model only: no URL, host or port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, fixture, launchExtension, serveGithub, test as base, type Launched } from './support/extension';
import { writeTinyGguf } from './support/tiny-gguf';
import { startModelServer, type ModelServer } from './support/model-server';

const CONVERSATION = '/OctoLinker/testrepo/pull/1';
const ROUTES = {
  [CONVERSATION]: fixture('OctoLinker__pull-comments_testrepo-1.html').replace(
    '</body>',
    '<form id="comment-form" class="js-new-comment-form"><textarea name="comment[body]" id="new_comment_field"></textarea></form></body>',
  ),
  '/OctoLinker/testrepo/pull/1.diff': { body: fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), contentType: 'text/plain' },
};

const test = base.extend<{ models: { server: ModelServer; url: string } }>({
  // eslint-disable-next-line no-empty-pattern
  models: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'lpr-tiny-gguf-'));
    await writeTinyGguf(join(dir, 'private-coder.gguf'), { nCtx: 4096 });
    const server = await startModelServer({ root: dir });
    await use({ server, url: `${server.url}private-coder.gguf#greedy` });
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  },
  // eslint-disable-next-line no-empty-pattern
  ext: async ({}, use) => {
    const launched: Launched = await launchExtension({ dist: process.env.LPR_E2E_DIST ?? 'dist/e2e' });
    await use(launched);
    await launched.close();
  },
});

test('Copy as Markdown and Insert into comment name the model, never its URL, host or port', async ({ ext, page, models }) => {
  test.setTimeout(180_000);
  await ext.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://github.com' });
  await serveGithub(ext.context, ROUTES);
  await ext.serviceWorker.evaluate((url) => chrome.storage.sync.set({ engine: 'wllama', modelId: url }), models.url);
  const { host, port } = new URL(models.url);

  await page.goto(`https://github.com${CONVERSATION}`);
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 150_000 });

  await page.getByTestId('copy-markdown').click();
  await expect(page.getByTestId('action-status')).toContainText('copied');
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  await page.getByTestId('insert-comment').click();
  await expect(page.getByTestId('action-status')).toContainText('Nothing is posted');
  const comment = await page.locator('#new_comment_field').inputValue();

  for (const published of [markdown, comment]) {
    expect(published).toContain('## Pull request review');
    expect(published).toContain('with `private-coder`'); // the model, by name
    expect(published).not.toContain(host);
    expect(published).not.toContain(`:${port}`);
    expect(published).not.toContain('http://');
    expect(published).not.toContain('private-coder.gguf');
  }
});
