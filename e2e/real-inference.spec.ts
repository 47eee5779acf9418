/**
 * Real inference, end to end: the CPU engine (wllama, llama.cpp in WebAssembly) inside the built
 * extension runs a real GGUF model. The test writes a tiny model (e2e/support/tiny-gguf.ts: 64 wide,
 * 2 layers; its weights make it say "The change looks fine." over and over), serves it from
 * 127.0.0.1 (an offscreen document's requests cannot be routed by Playwright), picks it in the
 * options page as a custom model URL, and reviews a saved PR page with it.
 *
 * Run alone with: npx playwright test --grep @real-inference
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { HostStatus } from '../src/protocol';
import { expect, fixture, launchExtension, serveGithub, test as base, type Launched } from './support/extension';
import { writeTinyGguf } from './support/tiny-gguf';
import { startModelServer, type ModelServer } from './support/model-server';

const DIST = process.env.LPR_E2E_DIST ?? 'dist/e2e';
const PR = '/OctoLinker/testrepo/pull/1/files';
const ROUTES = {
  [PR]: fixture('OctoLinker__pull-diff_testrepo-1.html'),
  '/OctoLinker/testrepo/pull/1.diff': { body: fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), contentType: 'text/plain' },
};
/** Words the tiny model's weights produce; neither the pipeline nor the test engine writes them. */
const TINY_WORDS = 'looks fine';

const test = base.extend<{ models: { server: ModelServer; url: string } }, object>({
  // eslint-disable-next-line no-empty-pattern
  models: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'lpr-tiny-gguf-'));
    // A 4096-token context: the review prompt alone is longer than the generator's default 512.
    await writeTinyGguf(join(dir, 'tiny.gguf'), { nCtx: 4096 });
    const server = await startModelServer({ root: dir });
    // #greedy (honoured by the e2e build only): decode greedily, so two runs can be compared exactly.
    await use({ server, url: `${server.url}tiny.gguf#greedy` });
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  },
  // eslint-disable-next-line no-empty-pattern
  ext: async ({}, use) => {
    const launched: Launched = await launchExtension({ dist: DIST });
    await use(launched);
    await launched.close();
  },
});

const hostStatus = (ext: Launched['serviceWorker']): Promise<HostStatus | undefined> =>
  ext.evaluate(() => chrome.runtime.sendMessage({ kind: 'host/status' }).catch(() => undefined));
const stream = (page: Page) => page.getByTestId('stream-text');
const modelGets = (server: ModelServer) => server.requests.filter((r) => r.startsWith('GET ') && r.endsWith('/tiny.gguf')).length;

/** Picks the CPU engine and a custom model URL the way a user does, in the options page. */
async function chooseCustomModel(ext: Launched, url: string): Promise<void> {
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  await options.getByTestId('engine-select').selectOption('wllama');
  await options.getByTestId('model-input').fill(url);
  await options.getByTestId('model-input').press('Tab');
  await expect(options.getByTestId('options-status')).toContainText('Saved');
  await options.close();
}

/** Clicks Cancel from inside the page the moment the first streamed text shows, with no round trip. */
async function cancelOnFirstText(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const find = (root: Document | ShadowRoot, id: string): HTMLElement | null => {
          const hit = root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
          if (hit) return hit;
          for (const el of root.querySelectorAll('*')) {
            const inner = el.shadowRoot ? find(el.shadowRoot, id) : null;
            if (inner) return inner;
          }
          return null;
        };
        const timer = setInterval(() => {
          if (!find(document, 'stream-text')?.textContent) return;
          clearInterval(timer);
          find(document, 'review-cancel')?.click();
          resolve();
        }, 2);
      }),
  );
}

test('@real-inference the CPU engine reviews a PR with a real model: streamed, cancellable, warm, and parsed from constrained JSON', async ({ ext, page, models }) => {
  test.setTimeout(180_000);
  await serveGithub(ext.context, ROUTES);

  await test.step('the tiny model is chosen in the options page as a custom model URL', async () => {
    await chooseCustomModel(ext, models.url);
  });

  let firstText = '';
  await test.step('a review streams what the real engine wrote and ends with a parsed review', async () => {
    await page.goto(`https://github.com${PR}`);
    await page.getByTestId('review-button').click();
    await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 120_000 });
    firstText = (await stream(page).textContent()) ?? '';
    // The model's own words, streamed into the panel.
    expect(firstText).toContain(TINY_WORDS);
    // Downloaded once from the local server, through the engine host's cache.
    expect(modelGets(models.server)).toBe(1);
    const status = await hostStatus(ext.serviceWorker);
    expect(status?.engine).toEqual({ kind: 'wllama', modelId: models.url, loaded: true });
  });

  await test.step('with JSON-schema constrained output, even the tiny model\'s answer parses into the review', async () => {
    // Decoding was constrained to the findings schema: the whole answer is one JSON object.
    const answer = JSON.parse(firstText.trim()) as { summary: unknown; findings: unknown };
    expect(Array.isArray(answer.summary)).toBe(true);
    expect(Array.isArray(answer.findings)).toBe(true);
    // The parsed answer became the review: the summary shows the model's words, and nothing was unparseable.
    await expect(page.getByTestId('review-summary')).toContainText(TINY_WORDS);
    await expect(page.getByTestId('review-coverage')).toContainText('1 of 1 files reviewed fully');
    await expect(page.getByTestId('review-panel')).not.toContainText(/could not be read|unparseable/i);
  });

  await test.step('Cancel stops the review mid-stream and nothing arrives after it', async () => {
    await page.getByTestId('review-start').first().click();
    await cancelOnFirstText(page);
    await expect(page.getByTestId('panel-cancelled')).toBeVisible();
    const atCancel = (await stream(page).textContent()) ?? '';
    expect(atCancel.length).toBeGreaterThan(0);
    // Cut short: the constrained answer never got to close its JSON object.
    expect(() => JSON.parse(atCancel.trim())).toThrow();
    await page.waitForTimeout(1000);
    expect((await stream(page).textContent()) ?? '').toBe(atCancel);
    await expect.poll(async () => (await hostStatus(ext.serviceWorker))?.activeSessions).toBe(0);
  });

  await test.step('another review reuses the warm engine: no second download, no second load', async () => {
    const loadsBefore = (await hostStatus(ext.serviceWorker))?.loadsStarted;
    expect(loadsBefore).toBe(1);
    await page.getByTestId('review-start').first().click();
    await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 60_000 });
    // Same prompt, same weights, greedy decoding: the real engine writes the same answer again.
    expect((await stream(page).textContent()) ?? '').toBe(firstText);
    expect(modelGets(models.server)).toBe(1);
    const status = await hostStatus(ext.serviceWorker);
    expect(status?.loadsStarted).toBe(1);
    expect(status?.engine).toEqual({ kind: 'wllama', modelId: models.url, loaded: true });
  });
});
