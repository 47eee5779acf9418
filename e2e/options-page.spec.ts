/**
 * The options page: settings saved to storage.sync as typed values, the shortcut the browser has,
 * the privacy statement, and the history of reviews (open, delete, export). Screenshots in light
 * and dark go to e2e/screenshots.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/extension';
import { CLASSIC, REACT, SCREENSHOT_DIR, richReview, seedReview } from './panel-pages';

const optionsUrl = (id: string) => `chrome-extension://${id}/extension/options.html`;

test('settings save as typed values in storage.sync, and the page states the shortcut and what leaves the machine', async ({ ext, page }) => {
  await page.goto(optionsUrl(ext.extensionId));
  await page.getByTestId('depth-quick').check();
  await page.getByTestId('language-input').fill('Deutsch');
  await page.getByTestId('language-input').blur();
  await page.getByTestId('ignore-input').fill('docs/**\n*.lock\n');
  await page.getByTestId('ignore-input').blur();
  await page.getByTestId('markers-setting').uncheck();
  await expect(page.getByTestId('options-status')).toHaveText('Saved');
  await expect
    .poll(() => ext.serviceWorker.evaluate(() => chrome.storage.sync.get(['depth', 'language', 'ignorePatterns', 'showMarkers', 'version'])))
    .toEqual({ depth: 'quick', language: 'Deutsch', ignorePatterns: ['docs/**', '*.lock'], showMarkers: false, version: 1 });

  // The page shows the shortcut the browser actually has (the suggested one may not be assigned).
  const commands = await page.evaluate(() => chrome.commands.getAll());
  const assigned = commands.find((c) => c.name === 'start-review')?.shortcut ?? '';
  if (assigned) await expect(page.getByTestId('shortcut-keys')).toHaveText(assigned);
  else await expect(page.getByTestId('shortcut')).toContainText('No shortcut is set');
  await expect(page.getByTestId('shortcut-change')).toBeVisible();
  // The model manager sits in the engine section, with the machine's recommended choice.
  await expect(page.getByTestId('engine-section').getByTestId('first-run-sentence')).not.toBeEmpty();
  await expect(page.getByTestId('privacy')).toContainText('Only model downloads');
  await expect(page.getByTestId('privacy')).toContainText('no telemetry');

  await page.reload();
  await expect(page.getByTestId('depth-quick')).toBeChecked();
  await expect(page.getByTestId('markers-setting')).not.toBeChecked();
});

test('the history lists past reviews, opens one, exports all as JSON and deletes one', async ({ ext, page }) => {
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await seedReview(ext, REACT, richReview(REACT, { summary: 'The React one.' }));
  await page.goto(optionsUrl(ext.extensionId));
  await expect(page.getByTestId('history-item')).toHaveCount(2);
  // Newest first.
  await expect(page.getByTestId('history-item').first()).toContainText('octo/constructed#7');
  await expect(page.getByTestId('history-item').first()).toContainText('1 critical, 1 major, 1 nit');

  await page.getByTestId('history-open').first().click();
  await expect(page.getByTestId('history-review').getByTestId('review-summary')).toContainText('The React one.');
  await expect(page.getByTestId('history-review').getByTestId('finding')).toHaveCount(3);

  const download = page.waitForEvent('download');
  await page.getByTestId('history-export').click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { format: string; reviews: Array<{ owner: string }> };
  expect(exported.format).toBe('local-pr-review/reviews');
  expect(exported.reviews.map((r) => r.owner)).toEqual(['octo', 'OctoLinker']);

  await page.getByTestId('history-delete').first().click();
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  await expect(page.getByTestId('history-item')).toContainText('OctoLinker/testrepo#1');
  await page.reload();
  await expect(page.getByTestId('history-item')).toHaveCount(1);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`options page in ${scheme}: screenshot`, async ({ ext, page }, info) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1000, height: 1600 });
    await seedReview(ext, CLASSIC, richReview(CLASSIC));
    await page.goto(optionsUrl(ext.extensionId));
    await page.getByTestId('history-open').click();
    await expect(page.getByTestId('history-review')).toBeVisible();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe(scheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
    const file = join(SCREENSHOT_DIR, `options-${scheme}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await info.attach(`options-${scheme}`, { path: file, contentType: 'image/png' });
  });
}
