/**
 * A llama.cpp worker that fails to start ends the load with a clear error (it used to leave the
 * panel on "Loading the model · 100%" forever). The test breaks the packaged worker file in a copy
 * of the built e2e extension, the way a blocked or damaged worker script fails in a user's browser,
 * and reviews with the real CPU engine.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, fixture, launchExtension, ROOT, serveGithub, test as base, type Launched } from './support/extension';
import { chooseCustomModel, serveTinyModel, type TinyModel } from './support/custom-model';

const DIST = process.env.LPR_E2E_DIST ?? 'dist/e2e';
const PR = '/OctoLinker/testrepo/pull/1/files';

const test = base.extend<{ model: TinyModel; broken: string }>({
  // eslint-disable-next-line no-empty-pattern
  broken: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'lpr-broken-dist-'));
    cpSync(resolve(ROOT, DIST), dir, { recursive: true });
    writeFileSync(join(dir, 'wllama', 'llama-cpp-worker.js'), "throw new Error('this worker script is broken on purpose');\n");
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  ext: async ({ broken }, use) => {
    const launched: Launched = await launchExtension({ dist: broken });
    await use(launched);
    await launched.close();
  },
  // eslint-disable-next-line no-empty-pattern
  model: async ({}, use) => {
    const model = await serveTinyModel({ nCtx: 4096 });
    await use(model);
    await model.close();
  },
});

test('a llama.cpp worker that fails to start ends the load with a clear error instead of hanging', async ({ ext, page, model }) => {
  test.setTimeout(90_000);
  await serveGithub(ext.context, { [PR]: fixture('OctoLinker__pull-diff_testrepo-1.html') });
  await chooseCustomModel(ext, model.url);
  await page.goto(`https://github.com${PR}`);
  await page.getByTestId('review-button').click();
  const error = page.getByTestId('panel-error');
  // Well within the stall bound: the worker's own error ends the load.
  await expect(error).toBeVisible({ timeout: 45_000 });
  await expect(error).toContainText('The CPU engine could not start');
  await expect(error).toContainText('broken on purpose');
  await expect(page.getByTestId('panel-loading')).toHaveCount(0);
});
