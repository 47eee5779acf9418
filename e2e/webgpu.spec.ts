/**
 * What the engine host finds out about WebGPU, in Debian's Chromium on a machine without a GPU:
 * with --enable-unsafe-webgpu Chromium offers SwiftShader, a software adapter without shader-f16,
 * so only the f32 builds of the GPU models are offered; without the flag there is no WebGPU at all
 * and the panel's first-run choice is the CPU engine, saying why.
 */
import { test, type Page } from '@playwright/test';
import { DEFAULT_SETTINGS } from '../src/shared/settings';
import { askHostFrom as askHost, expect, fixture, launchExtension, serveGithub, setSettings, type Launched } from './support/extension';

const DIST = process.env.LPR_E2E_DIST ?? 'dist/e2e';
const PR = '/OctoLinker/testrepo/pull/1/files';
const ROUTES = {
  [PR]: fixture('OctoLinker__pull-diff_testrepo-1.html'),
  '/OctoLinker/testrepo/pull/1.diff': { body: fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), contentType: 'text/plain' },
};


async function extensionPage(ext: Launched): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  return page;
}

test('with --enable-unsafe-webgpu the engine host finds the software adapter without shader-f16; the f32 GPU models this build cannot run are told once, not listed', async () => {
  const ext = await launchExtension({ dist: DIST, extraArgs: ['--enable-unsafe-webgpu'] });
  try {
    const page = await extensionPage(ext);
    const caps = await askHost(page, { kind: 'engine/capabilities' });
    expect(caps.capabilities.webgpu).toMatchObject({ available: true, fallbackAdapter: true, shaderF16: false });

    const list = await askHost(page, { kind: 'models/list', settings: DEFAULT_SETTINGS });
    if (!list.ok) throw new Error(list.message);
    // The catalog is web-llm's own list: it has f32 builds of chat and code models, but this build
    // bundles no model library, so they come as one explanation instead of a row each.
    expect(list.models.filter((m) => m.engine === 'webllm')).toEqual([]);
    expect(list.unrunnable?.count).toBeGreaterThan(3);
    expect(list.unrunnable?.reason).toContain('npm run fetch-model-libs');
    // The llama.cpp models say where they run: on the CPU, since SwiftShader has no shader-f16.
    const gguf = list.models.filter((m) => m.engine === 'wllama');
    expect(gguf.length).toBeGreaterThan(1);
    for (const m of gguf.filter((x) => x.runnable)) expect(m.note).toContain('CPU');
    // A software GPU is no place for a model: the first-run choice stays on the CPU and says why.
    expect(list.choice.engine).toBe('wllama');
    expect(list.choice.sentence).toContain('software fallback');

    // The options page says it once, in words, instead of a row per model that cannot run.
    const manager = page.getByTestId('model-manager');
    await expect(manager.getByTestId('no-model-libs')).toContainText(`web-llm's ${list.unrunnable?.count} GPU models here cannot run`);
    await expect(manager.getByTestId('no-model-libs')).toContainText('npm run fetch-model-libs');
    await expect(manager.locator('[data-testid="model-row"][data-engine="webllm"]')).toHaveCount(0);
    await expect(manager.locator('[data-testid="model-row"][data-engine="wllama"]').first()).toBeVisible();
  } finally {
    await ext.close();
  }
});

test('without the flag the engine host reports WebGPU unavailable, and the panel offers the CPU engine instead', async () => {
  const ext = await launchExtension({ dist: DIST });
  try {
    const options = await extensionPage(ext);
    const caps = await askHost(options, { kind: 'engine/capabilities' });
    expect(caps.capabilities.webgpu.available).toBe(false);
    expect(caps.capabilities.engines.find((e) => e.engine === 'webllm')).toMatchObject({ available: false });
    expect(caps.capabilities.engines.find((e) => e.engine === 'wllama')).toMatchObject({ available: true });
    const list = await askHost(options, { kind: 'models/list', settings: DEFAULT_SETTINGS });
    if (!list.ok) throw new Error(list.message);
    expect(list.models.filter((m) => m.engine === 'webllm')).toEqual([]);

    // First run in the panel: no model chosen yet.
    await serveGithub(ext.context, ROUTES);
    const page = await ext.context.newPage();
    await page.goto(`https://github.com${PR}`);
    await page.getByTestId('review-button').click();
    await expect(page.getByTestId('panel-first-run')).toBeVisible();
    const first = page.getByTestId('model-choice').first();
    await expect(first).toHaveAttribute('data-engine', 'wllama');
    await expect(first).toContainText('No WebGPU here');
    await expect(page.getByTestId('model-choice').and(page.locator('[data-engine="webllm"]'))).toHaveCount(0);
  } finally {
    await ext.close();
  }
});

test('a 16-bit GPU model on a GPU without shader-f16 fails at once with a plain message naming the f32 build to pick', async () => {
  const ext = await launchExtension({ dist: DIST, extraArgs: ['--enable-unsafe-webgpu'] });
  try {
    await serveGithub(ext.context, ROUTES);
    const f16 = 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC';
    await setSettings(ext.serviceWorker, { engine: 'webllm', modelId: f16 });
    const page = await ext.context.newPage();
    await page.goto(`https://github.com${PR}`);
    await page.getByTestId('review-button').click();
    await expect(page.getByTestId('panel-error')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('error-message')).toContainText('shader-f16');
    await expect(page.getByTestId('panel-error')).toContainText('Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC');
  } finally {
    await ext.close();
  }
});
