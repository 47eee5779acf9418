/**
 * The "Local server" engine end to end: the built extension talks to an OpenAI-compatible server
 * on 127.0.0.1 (e2e/support/fake-openai-server.ts stands in for Ollama / llama-server / LM Studio,
 * which cannot run a model here). The user enables it in the options (the host permission is
 * requested at that moment), picks one of the server's models, and reviews a saved PR page; the
 * panel says where the review runs.
 *
 * Chrome's permission prompt cannot be answered from Playwright, so the e2e build already holds
 * http://127.0.0.1/* (vite.config.ts) and the real permissions.request resolves at once; for
 * http://localhost, which stays optional there, the test sees the prompt pending.
 */
import type { Page } from '@playwright/test';
import { expect, fixture, launchExtension, serveGithub, test as base, type Launched } from './support/extension';
import { startFakeOpenAiServer, type FakeServer } from './support/fake-openai-server';

const PR = '/OctoLinker/testrepo/pull/1/files';
const ROUTES = {
  [PR]: fixture('OctoLinker__pull-diff_testrepo-1.html'),
  '/OctoLinker/testrepo/pull/1.diff': { body: fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), contentType: 'text/plain' },
};

const test = base.extend<{ server: FakeServer }>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const server = await startFakeOpenAiServer({ models: ['tiny-coder', 'other-model'], delayMs: 5 });
    await use(server);
    await server.close();
  },
  // eslint-disable-next-line no-empty-pattern
  ext: async ({}, use) => {
    const launched: Launched = await launchExtension();
    await use(launched);
    await launched.close();
  },
});

const hasPermission = (page: Page, origin: string) => page.evaluate((o) => chrome.permissions.contains({ origins: [o] }), origin);

async function enableLocalServer(ext: Launched, base: string, model: string): Promise<Page> {
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  await options.getByTestId('local-server-url').fill(base);
  await options.getByTestId('local-server-enable').click();
  await options.getByTestId('local-server-model').selectOption(model);
  await expect(options.getByTestId('local-server-active')).toContainText(`Reviews run on ${model} at ${base}`);
  return options;
}

test('@local-server enabling asks for the host permission, lists the server\'s models, and a review runs on the local server', async ({ ext, page, server }) => {
  await serveGithub(ext.context, ROUTES);
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  // Off by default: no engine uses it and no model list is fetched.
  await expect(options.getByTestId('local-server-active')).toHaveCount(0);
  expect(server.requests).toHaveLength(0);

  // localhost is not granted: enabling it raises the browser's permission prompt (pending here).
  expect(await hasPermission(options, 'http://localhost/*')).toBe(false);
  await options.getByTestId('local-server-url').fill(server.base.replace('127.0.0.1', 'localhost'));
  await options.getByTestId('local-server-enable').click();
  await expect(options.getByTestId('local-server-status')).toHaveText('Waiting for your answer to the browser’s permission prompt…');
  await options.close();

  // An address elsewhere is refused before anything is asked or sent.
  const other = await ext.context.newPage();
  await other.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  await other.getByTestId('local-server-url').fill('http://192.168.1.20:11434/v1');
  await other.getByTestId('local-server-enable').click();
  await expect(other.getByTestId('local-server-error')).toContainText('must be on this machine');
  await other.close();

  // 127.0.0.1 (held by the test build): the request resolves, the models are listed and one is picked.
  const enabled = await enableLocalServer(ext, server.base, 'tiny-coder');
  expect(await hasPermission(enabled, 'http://127.0.0.1/*')).toBe(true);
  await expect(enabled.getByTestId('local-server-model').locator('option')).toHaveText(['Choose…', 'tiny-coder', 'other-model']);
  await enabled.close();

  await page.goto(`https://github.com${PR}`);
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('panel-runs-on')).toHaveText('Local server · tiny-coder');
  await expect(page.getByTestId('review-panel')).toContainText('Fake server finding');
  await expect(page.getByTestId('review-panel')).toContainText('popular-cat-names.js: changed (fake server)');
  // The map call(s) and the verify pass's check, all streamed from the local server, as that model,
  // from the extension itself.
  expect(server.requests.length).toBeGreaterThanOrEqual(2);
  expect(server.requests.every((r) => r.model === 'tiny-coder' && r.stream === true)).toBe(true);
  expect(server.requests.some((r) => r.messages[0]!.content.startsWith('You check one finding'))).toBe(true);
  expect(new Set(server.origins)).toEqual(new Set([`chrome-extension://${ext.extensionId}`]));
});

test('@local-server Cancel stops the server\'s stream mid-answer', async ({ ext, page, server }) => {
  server.options.delayMs = 60;
  server.options.chunkChars = 4;
  await serveGithub(ext.context, ROUTES);
  (await enableLocalServer(ext, server.base, 'other-model')).close();
  await page.goto(`https://github.com${PR}`);
  await page.getByTestId('review-button').click();
  await expect.poll(async () => ((await page.getByTestId('stream-text').textContent()) ?? '').length, { timeout: 30_000 }).toBeGreaterThan(20);
  await page.getByTestId('review-cancel').click();
  await expect(page.getByTestId('panel-cancelled')).toBeVisible();
  await expect.poll(() => server.aborted, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
});

test('@local-server a server that is down gives a clear error in the panel', async ({ ext, page, server }) => {
  await serveGithub(ext.context, ROUTES);
  (await enableLocalServer(ext, server.base, 'tiny-coder')).close();
  await server.close();
  await page.goto(`https://github.com${PR}`);
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('panel-error')).toContainText('Could not reach the server at');
  await expect(page.getByTestId('panel-runs-on')).toHaveText('Local server · tiny-coder');
});
