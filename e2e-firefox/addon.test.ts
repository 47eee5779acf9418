/**
 * The built Firefox add-on (dist/firefox) in Debian's Firefox ESR: it installs and runs with no
 * CSP violation, and its options page picks a tiny GGUF served from 127.0.0.1 and downloads it
 * (download and load run in the background page, Firefox's engine host), also when the download
 * outlasts Firefox's 30 s idle timeout of that page: the options page's download polling is an
 * incoming event every 500 ms, which keeps the page alive (docs/firefox.md). A .gguf file picked
 * there is stored by the background page; an idle options page polls nothing, so the idle
 * background page may stop.
 *
 * Run: npm run test:firefox (builds dist/firefox first).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostStatus, ModelQueryResponse } from '../src/protocol';
import { backgroundMark, backgroundViolations, launchFirefox, markBackground, recordBackgroundViolations, testIdText, violations, waitFor, type FirefoxSession, type WithBrowser } from './support/firefox';
import { pickModelInOptions, serveTinyModels, type TinyModels } from './support/models';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyGguf } from '../e2e/support/tiny-gguf';
import { formatBytes } from '../src/shared/format';

/** More than Firefox's 30 s idle timeout of the background page (left at its default). */
const SLOW_DOWNLOAD_MS = 40_000;

let session: FirefoxSession;
let models: TinyModels;

before(async () => {
  [session, models] = await Promise.all([launchFirefox(), serveTinyModels(['tiny', 'slow'])]);
  models.server.slowDown('/slow.gguf', SLOW_DOWNLOAD_MS);
});
after(async () => {
  await session?.close();
  await models?.close();
});

test('the add-on installs, its background page answers and its options page renders, with no CSP violation', async () => {
  const options = await session.openExtensionPage('extension/options.html');
  await recordBackgroundViolations(options);
  // The background page (the engine host in Firefox) started and answers.
  const status = (await options.evaluate(() => (globalThis as unknown as WithBrowser).browser.runtime.sendMessage({ kind: 'host/status' }))) as HostStatus;
  assert.deepEqual({ activeSessions: status.activeSessions, engine: status.engine }, { activeSessions: 0, engine: null });
  const caps = (await options.evaluate(() =>
    (globalThis as unknown as WithBrowser).browser.runtime.sendMessage({ kind: 'engine/capabilities' }),
  )) as ModelQueryResponse['engine/capabilities'];
  // No GPU on the test machines; the CPU engine is offered; Firefox's extension pages are never
  // cross-origin isolated (docs/firefox.md), so the CPU engine runs one thread.
  assert.equal(caps.capabilities.crossOriginIsolated, false);
  assert.ok(caps.capabilities.engines.some((e) => e.engine === 'wllama' && e.available), JSON.stringify(caps.capabilities.engines));
  // The options page rendered its engine section with the first-run choice.
  await waitFor(() => testIdText(options, 'first-run-sentence'), (t) => (t ?? '').length > 0, 20_000, 'the first-run sentence');
  assert.match((await testIdText(options, 'first-run-sentence')) ?? '', /CPU engine/);
  assert.deepEqual(await violations(options), []);
  assert.deepEqual(await backgroundViolations(options), []);
  await options.close();
});

test('the options page picks a tiny GGUF served from 127.0.0.1 and downloads it into the add-on', async () => {
  const url = models.url('tiny');
  const options = await pickModelInOptions(session, url);
  await recordBackgroundViolations(options);
  const row = `[data-testid="model-row"][data-model-id="${url}"]`;
  await options.waitForSelector(row, { timeout: 20_000 });
  assert.equal(await options.$eval(row, (el) => el.getAttribute('data-cached')), 'false');
  await options.click(`${row} [data-testid="model-download"]`);
  // Downloaded and loaded by the background page: the row says so, from the real cache. A CSP
  // violation in the background (a worker the policy blocks) ends the wait at once.
  const outcome = await waitFor(
    async () => ({
      cached: await options.$eval(row, (el) => el.getAttribute('data-cached')),
      status: await options.$eval(row, (el) => el.querySelector('[data-testid="download-text"]')?.textContent ?? null),
      error: await testIdText(options, 'model-manager-error'),
      violations: (await backgroundViolations(options)) ?? [],
    }),
    (r) => r.cached === 'true' || r.violations.length > 0 || r.error !== null || /could not/.test(r.status ?? ''),
    60_000,
    'the model to be downloaded',
  );
  assert.deepEqual(outcome.violations, []);
  assert.equal(outcome.cached, 'true', `the download did not complete: ${JSON.stringify(outcome)}`);
  assert.equal(await options.$eval(row, (el) => el.querySelector('[data-testid="model-cached"]')?.textContent), 'downloaded');
  assert.equal(models.gets('tiny'), 1);
  assert.deepEqual(await backgroundViolations(options), []);
  assert.deepEqual(await violations(options), []);
  await options.close();
});

test('a download from the options page lasting longer than 30 s completes in the same background page', async () => {
  const url = models.url('slow');
  const options = await pickModelInOptions(session, url);
  const row = `[data-testid="model-row"][data-model-id="${url}"]`;
  await options.waitForSelector(row, { timeout: 20_000 });
  await markBackground(options, 'before-the-slow-download');
  const started = Date.now();
  await options.click(`${row} [data-testid="model-download"]`);
  const outcome = await waitFor(
    async () => ({
      cached: await options.$eval(row, (el) => el.getAttribute('data-cached')),
      status: await options.$eval(row, (el) => el.querySelector('[data-testid="download-text"]')?.textContent ?? null),
    }),
    (r) => r.cached === 'true' || /could not|failed/.test(r.status ?? ''),
    SLOW_DOWNLOAD_MS + 60_000,
    'the slow download to finish',
  );
  const seconds = (Date.now() - started) / 1000;
  assert.equal(outcome.cached, 'true', `after ${seconds} s: ${JSON.stringify(outcome)}`);
  assert.ok(seconds > 30, `the download took ${seconds} s, not longer than Firefox's 30 s idle timeout`);
  assert.equal(await backgroundMark(options), 'before-the-slow-download');
  await options.close();
});

test('a .gguf file picked in the options page is stored by the background page (the engine host) and listed with its size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lpr-ff-file-'));
  try {
    const path = join(dir, 'picked.gguf');
    await writeTinyGguf(path, { nCtx: 4096 });
    const options = await session.openExtensionPage('extension/options.html');
    const input = await options.waitForSelector('input[data-testid="custom-model-file"]', { timeout: 30_000 });
    await input!.uploadFile(path);
    const note = await waitFor(() => testIdText(options, 'custom-model-file-note'), (t) => /is stored|could not/.test(t ?? ''), 30_000, 'the file to be stored');
    assert.equal(note, 'picked.gguf is stored; it works offline.');
    const row = '[data-testid="model-row"][data-model-id="local:picked.gguf"]';
    await options.waitForSelector(row, { timeout: 20_000 });
    assert.equal(await options.$eval(row, (el) => el.getAttribute('data-cached')), 'true');
    assert.match(await options.$eval(row, (el) => el.querySelector('[data-testid="model-facts"]')?.textContent ?? ''), new RegExp(formatBytes(statSync(path).size)));
    await options.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an idle options page left open asks the host nothing, so Firefox may stop the idle background page', async () => {
  const options = await session.openExtensionPage('extension/options.html');
  try {
    await waitFor(() => testIdText(options, 'first-run-sentence'), (t) => (t ?? '').length > 0, 20_000, 'the options page to render');
    await markBackground(options, 'idle-options-page');
    // Longer than Firefox's 30 s idle timeout, with the options page open and nothing running.
    await new Promise((ok) => setTimeout(ok, 42_000));
    assert.equal(await backgroundMark(options), null, 'the background page was kept alive by the idle options page');
  } finally {
    await options.close();
  }
});
