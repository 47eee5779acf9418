/**
 * Reviews in the built Firefox add-on (dist/firefox-e2e: dist/firefox with open shadow roots for the
 * test), Debian's Firefox ESR, real inference on the
 * CPU engine with the tiny generated model (e2e/support/tiny-gguf.ts) served from 127.0.0.1, on a
 * saved GitHub PR page served by request interception. One browser for the whole file (Firefox
 * takes seconds to start); each test picks a model URL of its own, so none depends on another.
 *
 * The long review: the model server spreads the model's download over 40 s, so the review, from
 * the click to the finished panel, outlasts Firefox's 30 s idle timeout of the background page
 * (left at its default). Firefox stops an event page with no incoming event for 30 s even while
 * a fetch runs or a Port is open (measured, docs/firefox.md); the tab's keep-alive pings are what
 * keep it alive. The test then shows the same page is stopped once idle, so the harness does not
 * keep it alive by itself.
 *
 * Run: npm run test:firefox (builds dist/firefox first).
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer';
import type { HostStatus } from '../src/protocol';
import {
  backgroundMark,
  backgroundViolations,
  clickTestId,
  fixture,
  DIST_E2E,
  launchFirefox,
  openModelWrote,
  markBackground,
  recordBackgroundViolations,
  testIdText,
  violations,
  waitFor,
  type FirefoxSession,
  type WithBrowser,
} from './support/firefox';
import { pickModelInOptions, serveTinyModels, type TinyModels } from './support/models';

const PR = '/OctoLinker/testrepo/pull/1/files';
const ROUTES = { [PR]: fixture('OctoLinker__pull-diff_testrepo-1.html') };
/** How long the long review's model download takes: more than Firefox's 30 s idle timeout. */
const SLOW_DOWNLOAD_MS = 40_000;

let session: FirefoxSession;
let models: TinyModels;

/**
 * Eight layers instead of two: the model still answers in a fraction of a second, but its answer
 * now spans several of the engine host's 50 ms delta batches, so a panel that streams shows a
 * part of it before the whole (with two layers the whole answer could land in one batch).
 */
const STREAM_SHAPE = { nLayer: 8 };

before(async () => {
  [session, models] = await Promise.all([launchFirefox(DIST_E2E), serveTinyModels(['review', 'cancel', 'long'], STREAM_SHAPE)]);
  models.server.slowDown('/cancel.gguf', 60_000);
  models.server.slowDown('/long.gguf', SLOW_DOWNLOAD_MS);
});
after(async () => {
  await session?.close();
  await models?.close();
});

const hostStatus = (extensionPage: Page) =>
  extensionPage.evaluate(() => (globalThis as unknown as WithBrowser).browser.runtime.sendMessage({ kind: 'host/status' })) as Promise<HostStatus>;

/** Which of the panel's end states shows, if any (with the error text when it failed). */
async function panelEnd(tab: Page): Promise<string | null> {
  if ((await testIdText(tab, 'panel-done')) !== null) return 'done';
  if ((await testIdText(tab, 'panel-cancelled')) !== null) return 'cancelled';
  const error = await testIdText(tab, 'panel-error');
  return error !== null ? `error: ${error}` : null;
}

/**
 * Forgets saved reviews (the add-on's review memory would show the last test's review of the same
 * PR at once), through the add-on's own messages, as the options page's history does.
 */
async function forgetReviews(extensionPage: Page): Promise<void> {
  await extensionPage.evaluate(async () => {
    const { runtime } = (globalThis as unknown as WithBrowser).browser;
    const listed = (await runtime.sendMessage({ kind: 'reviews/list' })) as { ok: boolean; value?: Array<{ id: string }> };
    for (const review of listed.value ?? []) await runtime.sendMessage({ kind: 'reviews/delete', id: review.id });
  });
}

/**
 * Samples the panel's streamed text in the tab every few milliseconds from now on (a review of
 * the tiny model takes well under a second), so a test can tell it grew piece by piece.
 */
async function sampleStream(tab: Page): Promise<() => Promise<string[]>> {
  await tab.evaluate(() => {
    const seen: string[] = [];
    (globalThis as { __streamSamples?: string[] }).__streamSamples = seen;
    const timer = setInterval(() => {
      const roots: Array<Document | ShadowRoot> = [document];
      for (let root = roots.pop(); root; root = roots.pop()) {
        const found = root.querySelector('[data-testid="stream-text"]');
        if (found) {
          const text = found.textContent ?? '';
          if (text !== seen[seen.length - 1]) seen.push(text);
          return;
        }
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
      }
    }, 5);
    setTimeout(() => clearInterval(timer), 180_000);
  });
  return () => tab.evaluate(() => (globalThis as { __streamSamples?: string[] }).__streamSamples ?? []);
}

/** Picks the model in the options page, which stays open to watch the background page. */
async function setUp(t: TestContext, modelName: string): Promise<{ options: Page; tab: Page }> {
  const opened: Page[] = [];
  // Close this test's pages even when it fails: an options page left open polls the background
  // every few seconds, which keeps Firefox's event page alive and would fail the idle test after it.
  t.after(async () => {
    for (const page of opened) if (!page.isClosed()) await page.close().catch(() => undefined);
  });
  const options = await pickModelInOptions(session, models.url(modelName));
  opened.push(options);
  await recordBackgroundViolations(options);
  await forgetReviews(options);
  const tab = await session.openGithub(PR, ROUTES);
  opened.push(tab);
  return { options, tab };
}

test('Review on a saved PR page streams the model\'s answer and completes', async (t) => {
  const { options, tab } = await setUp(t, 'review');
  const samples = await sampleStream(tab);
  await clickTestId(tab, 'review-button');
  const end = await waitFor(() => panelEnd(tab), (e) => e !== null, 120_000, 'the review to finish');
  assert.equal(end, 'done', `CSP violations in the background: ${JSON.stringify(await backgroundViolations(options))}`);
  // Streamed: before it was done, the panel showed part of the answer, growing (the engine host
  // merges deltas for 50 ms, so the tiny model's fast answer arrives in a few pieces, not one per token).
  const seen = (await samples()).filter((text) => text.length > 0);
  const final = await openModelWrote(tab);
  assert.ok(seen.some((text) => text.length < final.trim().length && final.startsWith(text)), `the answer did not stream: ${JSON.stringify(seen)} then ${JSON.stringify(final)}`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.startsWith(seen[i - 1]!), `the streamed text changed instead of growing: ${JSON.stringify(seen)}`);
  // Constrained to the findings schema, even the tiny model's answer is one JSON object of that
  // shape, and it became the review: the file counts as reviewed.
  const answer = JSON.parse(final.trim()) as { summary: unknown; findings: unknown };
  assert.ok(Array.isArray(answer.summary) && Array.isArray(answer.findings));
  assert.match((await testIdText(tab, 'review-coverage')) ?? '', /1 of 1 files reviewed fully/);
  // Where it ran, honestly: the engine probed for WebGPU in the background page (the GPU path is
  // not switched off in the Firefox build) and found none on this Linux machine, so the CPU.
  const placement = (await testIdText(tab, 'engine-placement')) ?? '';
  assert.match(placement, /CPU/);
  assert.match(placement, /no WebGPU/);
  assert.doesNotMatch(placement, /switched off/);
  assert.equal(models.gets('review'), 1);
  assert.deepEqual(await backgroundViolations(options), []);
  assert.deepEqual(await violations(tab), []);
  await tab.close();
  await options.close();
});

test('a review lasting longer than 30 s survives Firefox\'s idle timeout, and the idle background page may stop afterwards', async (t) => {
  const { options, tab } = await setUp(t, 'long');
  await markBackground(options, 'before-the-long-review');
  // No extension page stays open while the review runs or idles: an options page polls the
  // engine host while it sees a download, and that would keep the background page alive itself.
  await options.close();
  const started = Date.now();
  await clickTestId(tab, 'review-button');
  const end = await waitFor(() => panelEnd(tab), (e) => e !== null, SLOW_DOWNLOAD_MS + 120_000, 'the long review to finish');
  const seconds = (Date.now() - started) / 1000;
  assert.equal(end, 'done', `after ${seconds} s`);
  assert.ok(seconds > 30, `the review took ${seconds} s, not longer than Firefox's 30 s idle timeout`);
  assert.match((await testIdText(tab, 'review-coverage')) ?? '', /1 of 1 files reviewed fully/);
  // The same background page ran the whole review: Firefox did not stop and restart it.
  assert.equal(await readMark(), 'before-the-long-review');
  // Idle now (no review, no download, no extension page open): Firefox stops the page after its
  // 30 s, as it may.
  await new Promise((ok) => setTimeout(ok, 40_000));
  assert.equal(await readMark(), null, 'the idle background page was not stopped: the test would prove nothing');
  await tab.close();
});

/** Reads the background page's mark from an extension page opened just for that, then closed. */
async function readMark(): Promise<string | null> {
  const page = await session.openExtensionPage('extension/options.html');
  try {
    return await backgroundMark(page);
  } finally {
    await page.close();
  }
}

test('Cancel stops a review while the model downloads, and the engine host ends the session', async (t) => {
  const { options, tab } = await setUp(t, 'cancel');
  await clickTestId(tab, 'review-button');
  await waitFor(() => testIdText(tab, 'panel-downloading'), (t) => t !== null, 30_000, 'the download to start');
  await clickTestId(tab, 'review-cancel');
  await waitFor(() => panelEnd(tab), (e) => e === 'cancelled', 15_000, 'the panel to say cancelled');
  await waitFor(() => hostStatus(options), (s) => s.activeSessions === 0, 15_000, 'the engine host to end the session');
  // It stays cancelled: nothing of the cancelled review arrives later.
  await new Promise((ok) => setTimeout(ok, 2_000));
  assert.equal(await panelEnd(tab), 'cancelled');
  assert.equal((await testIdText(tab, 'stream-text')) ?? '', '');
  await tab.close();
  await options.close();
});
