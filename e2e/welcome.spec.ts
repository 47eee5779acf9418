/**
 * Issue 12: the welcome a fresh install opens (production builds open
 * `extension/options.html#welcome` from runtime.onInstalled; the unit test of welcome-route.ts
 * checks when). Here: what that page offers: how to start a review, the shortcut, and the engine
 * and model choice with its fit check right below, in light and dark.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { expect, test } from './support/extension';
import { SCREENSHOT_DIR } from './panel-pages';

for (const scheme of ['light', 'dark'] as const) {
  test(`welcome page (${scheme}): how to start, the shortcut, and the model choice with its fit check`, async ({ ext, page }, info) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1000, height: 1400 });
    await page.goto(`chrome-extension://${ext.extensionId}/extension/options.html#welcome`);
    const welcome = page.getByTestId('welcome');
    await expect(welcome).toBeVisible();
    await expect(welcome).toContainText('click Local review');
    // The shortcut the browser has assigned (headless Chromium may assign none).
    const commands = await page.evaluate(() => chrome.commands.getAll());
    const assigned = commands.find((c) => c.name === 'start-review')?.shortcut ?? '';
    if (assigned) await expect(welcome.getByTestId('welcome-shortcut')).toHaveText(assigned);
    else await expect(welcome.getByTestId('welcome-no-shortcut')).toContainText('no keyboard shortcut is assigned');
    // The choice: the CPU models, each with its size and whether it fits this machine.
    const rows = page.getByTestId('models-wllama').getByTestId('model-row');
    await expect(rows.first()).toBeVisible({ timeout: 30_000 });
    await expect(rows.first().getByTestId('model-facts')).toContainText(/MB|GB/);
    // Without #welcome the options page has no welcome.
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = join(SCREENSHOT_DIR, `welcome-${scheme}.png`);
    await page.screenshot({ path: file });
    await info.attach(`welcome-${scheme}`, { path: file, contentType: 'image/png' });
    await page.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
    await expect(page.getByTestId('engine-section')).toBeVisible();
    await expect(page.getByTestId('welcome')).toHaveCount(0);
  });
}
