/**
 * The CPU engine's speed in Firefox ESR, where the engine host (the background page) is never
 * cross-origin isolated, so wllama runs one thread. Reviews the saved PR page with the tiny
 * generated model N times in the built dist/firefox and prints llama.cpp's own prefill/decode
 * figures as the engine host recorded them (its speed store: smoothed over the reviews), plus
 * the wall time of each review from click to finished panel.
 *
 * Run: npx vite build --mode production-firefox && npx tsx scripts/bench/firefox-cpu.ts [--runs=3] [--medium]
 * --medium: a 512-wide, 8-layer q8_0 model (about 30 MB) instead of the tiny one, for figures
 * where the matrix work, not the per-call overhead, dominates.
 */
import type { Page } from 'puppeteer';
import { clickTestId, fixture, launchFirefox, testIdText, waitFor, type WithBrowser } from '../../e2e-firefox/support/firefox';
import { pickModelInOptions, serveTinyModels } from '../../e2e-firefox/support/models';

const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 3);
const PR = '/OctoLinker/testrepo/pull/1/files';
const medium = process.argv.includes('--medium');
const SHAPE = medium ? ({ nEmbd: 512, nLayer: 8, nHead: 8, nFf: 2048, type: 'q8_0', name: 'medium' } as const) : {};
const MODEL = medium ? 'medium (512 wide, 8 layers, 2048 feed-forward, q8_0)' : 'tiny (64 wide, 2 layers, f32)';

const session = await launchFirefox();
const models = await serveTinyModels(['bench'], SHAPE);
try {
  const options = await pickModelInOptions(session, models.url('bench'));
  const tab = await session.openGithub(PR, { [PR]: fixture('OctoLinker__pull-diff_testrepo-1.html') });
  const wall: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = Date.now();
    await clickTestId(tab, i === 0 ? 'review-button' : 'review-start');
    await waitFor(() => testIdText(tab, 'panel-done'), (t) => t !== null, 180_000, 'the review to finish');
    wall.push(Date.now() - started);
    if (i + 1 < runs) await tab.evaluate(() => new Promise((ok) => setTimeout(ok, 300)));
  }
  const speeds = await readSpeeds(options);
  console.log(JSON.stringify({ browser: await session.browser.version(), model: MODEL, runs, wallMs: wall, speeds }, null, 2));
} finally {
  await session.close();
  await models.close();
}

function readSpeeds(extensionPage: Page): Promise<unknown> {
  return extensionPage.evaluate(async () => {
    const bg = await (globalThis as unknown as WithBrowser).browser.runtime.getBackgroundPage();
    const crossOriginIsolated = (bg as Window & { crossOriginIsolated: boolean }).crossOriginIsolated;
    return { crossOriginIsolated, store: JSON.parse(bg.localStorage.getItem('local-pr-review:speeds') ?? 'null') as unknown };
  });
}
