/**
 * Issue 12: a finding in a file the page does not render (here: the Conversation tab) opens that
 * file in the Files tab by GitHub's own anchor (`#diff-<sha256 of the path>`), and its marker
 * appears once the file renders there.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, fixture, serveGithub, test } from './support/extension';
import { CLASSIC, richReview, SCREENSHOT_DIR, seedReview } from './panel-pages';

test.use({ viewport: { width: 1280, height: 900 } } as never);

const CONVERSATION = '/OctoLinker/testrepo/pull/1';

test('a finding link on the Conversation tab opens its file in the Files tab at GitHub\'s anchor, where its marker shows', async ({ ext, page }, info) => {
  await serveGithub(ext.context, { ...CLASSIC.routes, [CONVERSATION]: fixture('OctoLinker__pull-comments_testrepo-1.html') });
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await page.goto(`https://github.com${CONVERSATION}`);
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('panel-done')).toBeVisible();

  const anchor = `diff-${createHash('sha256').update(CLASSIC.file).digest('hex')}`;
  const link = page.getByTestId('finding').filter({ hasText: `${CLASSIC.file}:${CLASSIC.line}` }).first().getByTestId('finding-link');
  await link.click();
  await page.waitForURL(`https://github.com${CLASSIC.path}#${anchor}`);
  // The anchor is GitHub's own id for that file on the Files tab.
  await expect(page.locator(`#${anchor}`)).toHaveCount(1);
  const marker = page.locator(`#${anchor} [data-local-pr-review="marker"][data-line="${CLASSIC.line}"]`);
  await expect(marker.getByTestId('marker-button')).toBeVisible();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-color-mode', t), theme);
    await page.waitForTimeout(200);
    const file = join(SCREENSHOT_DIR, `files-tab-marker-after-link-${theme}.png`);
    await page.locator(`#${anchor}`).screenshot({ path: file });
    await info.attach(theme, { path: file, contentType: 'image/png' });
  }
});
