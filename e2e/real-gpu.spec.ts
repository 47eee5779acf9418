/**
 * llama.cpp on WebGPU, for real, inside the built e2e extension. Chromium runs with
 * --enable-unsafe-webgpu, which gives a software adapter (SwiftShader) without shader-f16; the
 * e2e build's test-only shim (scripts/vite/webgpu-f16-shim.ts, switched on by the model URL's
 * #f16-shim) stands in for it, so every layer offloads and real WebGPU kernels (in f32) run.
 * That is the one test double here: a GPU with f16 cannot run on this machine.
 *
 * Software WebGPU decodes about one token a second, so the URL also asks for greedy decoding and
 * at most 6 tokens per call (#greedy+max6); the model is the tiny generated q8_0 GGUF.
 *
 * Run alone with: npx playwright test --grep @real-gpu
 */
import type { Page } from '@playwright/test';
import type { HostStatus } from '../src/protocol';
import { expect, fixture, launchExtension, serveGithub, test as base, type Launched } from './support/extension';
import { chooseCustomModel, openModelWrote, serveTinyModel, streamText, type TinyModel } from './support/custom-model';
import { MAP_USER_SUFFIX, mapSystemPrompt } from '../src/review/prompts';
import { TINY_REPLY_TEXT } from './support/tiny-gguf';

const DIST = process.env.LPR_E2E_DIST ?? 'dist/e2e';
const PR = '/OctoLinker/testrepo/pull/1/files';
const ROUTES = {
  [PR]: fixture('OctoLinker__pull-diff_testrepo-1.html'),
  '/OctoLinker/testrepo/pull/1.diff': { body: fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), contentType: 'text/plain' },
};
// Unconstrained: the tiny model then writes its reply with wide margins between tokens, so f32
// WebGPU kernels and the CPU's q8_0 kernels pick the same ones. Four tokens: "The change looks fine".
const GPU = '#greedy-unconstrained+max4+f16-shim';
const CPU = '#greedy-unconstrained+max4';
const EXPECTED = 'The change looks fine';
/** The words of the review prompt (and of the engine's speed calibration), as whole tokens. */
const PROMPT_WORDS = [
  ...new Set(
    `${mapSystemPrompt({ depth: 'thorough', language: 'English', customInstructions: '' })} ${MAP_USER_SUFFIX} ${fixture('OctoLinker__pull-diff_testrepo-1.expected.diff')} line const value compute Say OK`.match(/[A-Za-z]{2,}/g),
  ),
];

const test = base.extend<{ model: TinyModel }>({
  // eslint-disable-next-line no-empty-pattern
  model: async ({}, use) => {
    // q8_0 loads about twice as fast as f32 on SwiftShader (most of a load is shader compilation).
    const model = await serveTinyModel({ nCtx: 4096, type: 'q8_0', extraWords: PROMPT_WORDS });
    await use(model);
    await model.close();
  },
  // eslint-disable-next-line no-empty-pattern
  ext: async ({}, use) => {
    const launched: Launched = await launchExtension({ dist: DIST, webgpu: true });
    await use(launched);
    await launched.close();
  },
});

const hostStatus = (ext: Launched): Promise<HostStatus | undefined> =>
  ext.serviceWorker.evaluate(() => chrome.runtime.sendMessage({ kind: 'host/status' }).catch(() => undefined));
const modelGets = (model: TinyModel) => model.server.requests.filter((r) => r.startsWith('GET ') && r.endsWith('/tiny.gguf')).length;

/**
 * After a load the engine host measures the engine's speed with one extra call (about 500 prompt
 * tokens) unless a speed was measured before. That call is not under test here and costs a
 * software GPU some 15 s, so the test stores a measured speed first, as an earlier review would
 * have (src/host/speed-store.ts: the extension origin's localStorage).
 */
async function skipSpeedCalibration(ext: Launched, modelId: string): Promise<void> {
  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  await options.evaluate((key) => {
    const entry = { prefillTps: 40, decodeTps: 0.5, samples: 1, updatedAt: Date.now() };
    localStorage.setItem('local-pr-review:speeds', JSON.stringify({ version: 1, entries: { [key]: entry } }));
  }, `wllama:${modelId}`);
  await options.close();
}

/**
 * Reviews the PR and returns the first non-empty streamed text seen (empty when the review was
 * done before a poll saw the live text) and the final one, read as a user does from "What the
 * model wrote".
 */
async function reviewToEnd(page: Page): Promise<{ early: string; final: string }> {
  await page.getByTestId('review-button').click();
  let early = '';
  const done = page.getByTestId('panel-done');
  await expect
    .poll(async () => (early = await streamText(page)).length > 0 || (await done.isVisible()), { timeout: 120_000, intervals: [100] })
    .toBe(true);
  await expect(done).toBeVisible({ timeout: 120_000 });
  await openModelWrote(page);
  return { early, final: await streamText(page) };
}

test('@real-gpu llama.cpp offloads every layer to WebGPU, streams a review to the end with the CPU engine\'s greedy text, Cancel stops it, and the warm engine is reused', async ({ ext, page, model }) => {
  // A software GPU on a loaded 2-core machine can take minutes; the bounds are for a hang, not for speed.
  test.setTimeout(300_000);
  await serveGithub(ext.context, ROUTES);
  await chooseCustomModel(ext, model.url + GPU);
  await skipSpeedCalibration(ext, model.url + GPU);
  await page.goto(`https://github.com${PR}`);

  // 1. A review on the GPU streams and completes.
  const gpu = await reviewToEnd(page);
  expect(gpu.early.length).toBeGreaterThan(0); // a software GPU writes about a token a second: seen live
  expect(gpu.final.length).toBeGreaterThan(gpu.early.length);
  expect(gpu.final.startsWith(gpu.early)).toBe(true);
  // What the tiny model's weights make it say, word for word (e2e/support/tiny-gguf.ts).
  expect(gpu.final.trim()).toBe(EXPECTED);
  expect(TINY_REPLY_TEXT.startsWith(EXPECTED)).toBe(true);
  // Every layer is on the GPU, as llama.cpp reported it after the load (not as planned).
  const status = await hostStatus(ext);
  expect(status?.placement?.device).toBe('gpu');
  expect(status?.placement?.layersTotal).toBe(3); // 2 blocks + the output layer
  expect(status?.placement?.layersOffloaded).toBe(status?.placement?.layersTotal);
  await expect(page.getByTestId('engine-placement')).toHaveText('Ran on GPU · llama.cpp');

  // 2. A second review reuses the warm engine (no new load, no new download), and Cancel stops it.
  await page.getByTestId('review-start').first().click();
  await expect(page.getByTestId('engine-placement')).toContainText('GPU · llama.cpp');
  await expect.poll(async () => (await streamText(page)).length, { timeout: 120_000, intervals: [100] }).toBeGreaterThan(0);
  await page.getByTestId('review-cancel').click();
  await expect(page.getByTestId('panel-cancelled')).toBeVisible();
  const atCancel = await streamText(page);
  expect(gpu.final.startsWith(atCancel)).toBe(true);
  // Software WebGPU writes about a token a second: two seconds without growth means it stopped.
  await page.waitForTimeout(2000);
  expect(await streamText(page)).toBe(atCancel);
  await expect.poll(async () => (await hostStatus(ext))?.activeSessions).toBe(0);
  expect((await hostStatus(ext))?.loadsStarted).toBe(1);
  expect(modelGets(model)).toBe(1);

  // 3. The same model and prompt on the CPU (no shim: SwiftShader has no shader-f16) writes the same text.
  await chooseCustomModel(ext, model.url + CPU);
  await page.getByTestId('review-start').first().click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 120_000 });
  await openModelWrote(page);
  expect(await streamText(page)).toBe(gpu.final);
  expect((await hostStatus(ext))?.placement).toMatchObject({ device: 'cpu', layersOffloaded: 0, layersTotal: 3 });
});

test('@real-gpu without shader-f16 and without the shim llama.cpp reports the CPU, and the panel and the options page say so', async ({ ext, page, model }) => {
  test.setTimeout(90_000);
  await serveGithub(ext.context, ROUTES);
  await chooseCustomModel(ext, model.url + CPU);
  await page.goto(`https://github.com${PR}`);
  await reviewToEnd(page);
  const placement = page.getByTestId('engine-placement');
  await expect(placement).toContainText('Ran on CPU');
  await expect(placement).toContainText('shader-f16');
  await expect(placement).not.toContainText('GPU ·');
  expect((await hostStatus(ext))?.placement).toMatchObject({ device: 'cpu', layersOffloaded: 0, layersTotal: 3, label: 'CPU' });

  const options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  await expect(options.getByTestId('options-engine-placement')).toContainText('The loaded model runs on: CPU, 0 of 3 layers on the GPU.');
  await expect(options.getByTestId('options-engine-placement')).toContainText('shader-f16');
});
