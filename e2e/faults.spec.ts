/**
 * @fault: what breaks around a review, in the built extension (e2e build) in Chromium, on saved
 * GitHub pages. The scripted engine stands in for a GPU model (which cannot run here) and plays a
 * crash or a lost GPU device mid-call; the dropped download uses the real CPU engine and a tiny
 * model served from 127.0.0.1.
 *
 * Every case asserts: a clear message, no hang (each wait is bounded and ends in a final panel
 * state), no settings or saved review lost, and no stream shown in another review's panel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SCRIPTED, expect, fixture, hostStatus, serveGithub, setSettings, test, type Launched } from './support/extension';
import { CLASSIC, REACT, richReview, seedReview } from './panel-pages';
import { startModelServer } from './support/model-server';
import { writeTinyGguf } from './support/tiny-gguf';

const PR = '/OctoLinker/testrepo/pull/1/files';
const PR_FILE = 'sourcereader/popular-cat-names.js';
const COMMIT = '/TingGeorge/excalidraw-github-extension-on-chrome/commit/2fa800062b33136871c6cd109d770279c9f88b4a';
const ROUTES = {
  ...CLASSIC.routes,
  ...REACT.routes,
  [COMMIT]: fixture('TingGeorge__commit-2fa8000_react.html'),
  [`${COMMIT}.diff`]: { body: fixture('TingGeorge__commit-2fa8000_react.expected.diff'), contentType: 'text/plain' },
};
/** A review saved earlier for another PR: no fault may lose it. */
const SAVED_ELSEWHERE = { ...CLASSIC, number: 3, path: '/OctoLinker/testrepo/pull/3/files' };

const button = (page: Page) => page.getByTestId('review-button');
const stream = (page: Page) => page.getByTestId('stream-text');

/** The settings in storage.sync and the ids of saved reviews, read from an extension page. */
async function kept(ext: Launched): Promise<{ sync: Record<string, unknown>; reviews: string[] }> {
  const tab = await ext.context.newPage();
  try {
    await tab.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
    return await tab.evaluate(async () => {
      const sync = await chrome.storage.sync.get(null);
      const list = (await chrome.runtime.sendMessage({ kind: 'reviews/list' })) as { ok: boolean; value?: Array<{ number: number; owner: string }> };
      return { sync, reviews: (list.value ?? []).map((r) => `${r.owner}#${r.number}`) };
    });
  } finally {
    await tab.close();
  }
}

async function setup(ext: Launched, script: string): Promise<Record<string, unknown>> {
  await serveGithub(ext.context, ROUTES);
  const settings = SCRIPTED(script);
  await setSettings(ext.serviceWorker, settings);
  await seedReview(ext, SAVED_ELSEWHERE, richReview(SAVED_ELSEWHERE));
  return settings;
}

async function expectNothingLost(ext: Launched, settings: Record<string, unknown>): Promise<void> {
  const now = await kept(ext);
  expect(now.sync).toMatchObject(settings);
  expect(now.reviews).toContain('OctoLinker#3');
}

/** The panel shows a failure: a message and a next step, and the Retry button is there. */
async function expectClearFailure(page: Page, message: RegExp): Promise<void> {
  await expect(page.getByTestId('panel-error')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('error-message')).toHaveText(message);
  const text = (await page.getByTestId('panel-error').textContent()) ?? '';
  expect(text).not.toMatch(/TypeError|undefined|\[object Object\]/);
  await expect(page.getByTestId('review-retry')).toBeEnabled();
}

/** A finished review of the OctoLinker PR, with nothing of another page in it. */
async function expectOwnReview(page: Page): Promise<void> {
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('finding-link').first()).toHaveText(`${PR_FILE}:3`);
  const text = (await page.getByTestId('review-panel').textContent()) ?? '';
  expect(text).not.toContain('.gitignore');
}

test('@fault the service worker stopped mid-review (over CDP): the panel says Retry, not reload, and Retry reviews', async ({ ext, page }) => {
  const settings = await setup(ext, 'delay=40');
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(stream(page)).not.toBeEmpty();
  const cdp = await ext.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await expectClearFailure(page, /interrupted/);
  await expect(page.getByTestId('error-next-step')).toHaveText(/Retry/);
  await expect(page.getByTestId('error-next-step')).not.toHaveText(/[Rr]eload/);
  await page.getByTestId('review-retry').click();
  await expectOwnReview(page);
  await expectNothingLost(ext, settings);
});

test('@fault the engine host closed mid-review: a clear message, and Retry starts it again', async ({ ext, page }) => {
  const settings = await setup(ext, 'delay=150');
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(stream(page)).not.toBeEmpty();
  await ext.serviceWorker.evaluate(() => chrome.offscreen.closeDocument());
  await expectClearFailure(page, /engine stopped unexpectedly/);
  await page.getByTestId('review-retry').click();
  await expectOwnReview(page);
  await expectNothingLost(ext, settings);
});

test('@fault a tab closed mid-review: its session ends in the engine host, and a review in another tab is untouched', async ({ ext }) => {
  const settings = await setup(ext, 'delay=60');
  const [closing, staying] = [await ext.context.newPage(), await ext.context.newPage()];
  await closing.goto(`https://github.com${COMMIT}`);
  await staying.goto(`https://github.com${PR}`);
  await button(closing).click();
  await button(staying).click();
  await expect(stream(closing)).not.toBeEmpty();
  await closing.close();
  await expect.poll(async () => (await hostStatus(ext.serviceWorker))?.activeSessions, { timeout: 20_000 }).toBeLessThanOrEqual(1);
  await expectOwnReview(staying);
  await expect.poll(async () => (await hostStatus(ext.serviceWorker))?.activeSessions, { timeout: 20_000 }).toBe(0);
  await expectNothingLost(ext, settings);
});

test('@fault navigated mid-review: the old review stops, and the next page shows only its own stream', async ({ ext, page }) => {
  const settings = await setup(ext, 'delay=150');
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(stream(page)).not.toBeEmpty();
  await page.goto(`https://github.com${COMMIT}`);
  await expect.poll(async () => (await hostStatus(ext.serviceWorker))?.activeSessions, { timeout: 20_000 }).toBe(0);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
  await button(page).click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('finding-link').first()).toHaveText('.gitignore:3');
  expect((await page.getByTestId('review-panel').textContent()) ?? '').not.toContain(PR_FILE);
  await expectNothingLost(ext, { ...settings, ...SCRIPTED('delay=2') });
});

test('@fault three tabs at once: three reviews finish, each with only its own diff', async ({ ext }) => {
  const settings = await setup(ext, 'delay=5');
  const pages = [await ext.context.newPage(), await ext.context.newPage(), await ext.context.newPage()];
  const paths = [PR, COMMIT, REACT.path];
  for (const [i, p] of pages.entries()) await p.goto(`https://github.com${paths[i]}`);
  await Promise.all(pages.map((p) => button(p).click()));
  // A file name only each page's diff has.
  const files = [PR_FILE, '.gitignore', 'src/parser.c'];
  for (const [i, p] of pages.entries()) {
    await expect(p.getByTestId('panel-done')).toBeVisible({ timeout: 60_000 });
    await expect(p.getByTestId('review-panel')).toContainText(files[i]!);
    const text = (await p.getByTestId('review-panel').textContent()) ?? '';
    for (const other of files.filter((_, j) => j !== i)) expect(text, `tab ${i} shows ${other}`).not.toContain(other);
  }
  await expectNothingLost(ext, settings);
});

test('@fault storage.sync full: picking a model says why it was not saved, loses nothing, and works once there is room', async ({ ext, page }) => {
  await serveGithub(ext.context, ROUTES);
  await seedReview(ext, SAVED_ELSEWHERE, richReview(SAVED_ELSEWHERE));
  // Fill storage.sync up to its quota with items of another kind (as other data of the extension
  // would), in a few large writes (sync storage also limits writes per minute).
  const filled = await ext.serviceWorker.evaluate(async () => {
    const sync = chrome.storage.sync;
    for (let i = 0; ; i++) {
      const free = sync.QUOTA_BYTES - (await sync.getBytesInUse(null));
      if (free < 40) return i;
      const key = `filler-${i}`;
      await sync.set({ [key]: 'x'.repeat(Math.min(8000, free - key.length - 2)) });
    }
  });
  expect(filled).toBeGreaterThan(0);
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await page.getByRole('radio', { name: /Scripted test model/ }).check();
  await page.getByTestId('first-run-confirm').click();
  await expect(page.getByTestId('first-run-error')).toContainText(/Could not save settings: .*quota/i, { timeout: 20_000 });
  expect((await page.getByTestId('review-panel').textContent()) ?? '').not.toMatch(/TypeError/);
  const before = await kept(ext);
  expect(before.sync['filler-0']).toBe('x'.repeat(8000));
  expect(before.reviews).toContain('OctoLinker#3');
  // Make room: the same click now saves the choice and reviews.
  await ext.serviceWorker.evaluate(() => chrome.storage.sync.remove(['filler-0', 'filler-1']));
  await page.getByTestId('first-run-confirm').click();
  await expect(page.getByTestId('panel-reviewing').or(page.getByTestId('panel-loading')).or(page.getByTestId('panel-done'))).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => (await kept(ext)).sync.engine).toBe('scripted');
});

test('@fault the engine crashes mid-call: a clear message, what it wrote stays, and Retry reviews', async ({ ext, page }) => {
  const settings = await setup(ext, 'delay=40&fail=crash-mid&after=4');
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expectClearFailure(page, /crashed/);
  await page.getByTestId('review-retry').click();
  await expectOwnReview(page);
  await expectNothingLost(ext, settings);
});

test('@fault the GPU device is lost mid-call (scripted engine): a clear message, and Retry loads the model again and reviews', async ({ ext, page }) => {
  const settings = await setup(ext, 'delay=40&fail=device-lost&after=4');
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expectClearFailure(page, /GPU device was lost/);
  const loadsBefore = (await ext.serviceWorker.evaluate(() => chrome.runtime.sendMessage({ kind: 'host/status' }))) as { loadsStarted: number };
  await page.getByTestId('review-retry').click();
  await expectOwnReview(page);
  const loadsAfter = (await ext.serviceWorker.evaluate(() => chrome.runtime.sendMessage({ kind: 'host/status' }))) as { loadsStarted: number };
  expect(loadsAfter.loadsStarted).toBe(loadsBefore.loadsStarted + 1);
  await expectNothingLost(ext, settings);
});

test('@fault a model download dropped midway (real CPU engine): a clear message, and Retry downloads it and reviews', async ({ ext, page }) => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'lpr-fault-'));
  await writeTinyGguf(join(dir, 'tiny.gguf'), { nCtx: 4096 });
  const server = await startModelServer({ root: dir });
  try {
    await serveGithub(ext.context, ROUTES);
    await seedReview(ext, SAVED_ELSEWHERE, richReview(SAVED_ELSEWHERE));
    const settings = { engine: 'wllama', modelId: `${server.url}tiny.gguf#greedy` };
    await setSettings(ext.serviceWorker, settings);
    server.failNext('tiny.gguf', 100_000);
    await page.goto(`https://github.com${PR}`);
    await button(page).click();
    await expectClearFailure(page, /download|network|connection/i);
    await page.getByTestId('review-retry').click();
    await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 60_000 });
    expect(server.requests.filter((r) => r.startsWith('GET ') && r.includes('tiny.gguf')).length).toBeGreaterThanOrEqual(2);
    await expectNothingLost(ext, settings);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
