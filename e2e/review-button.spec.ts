/**
 * Issue 12: a Review button on every PR tab and layout, compact and secondary like GitHub's
 * header buttons, and named so no one takes it for GitHub's "Review changes".
 */
import { expect, fixture, serveGithub, setSettings, SCRIPTED, test } from './support/extension';
import { CLASSIC, REACT } from './panel-pages';
import { CONVERSATION, reactConversationWithHiddenActions } from './support/react-conversation';
import { SCREENSHOT_DIR } from './panel-pages';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

test.use({ viewport: { width: 1280, height: 900 } } as never);

test('React Conversation tab with its header slot hidden: the button is visible, has a box, and starts a review', async ({ ext, page }, info) => {
  await serveGithub(ext.context, {
    [CONVERSATION.path]: reactConversationWithHiddenActions(),
    [`${CONVERSATION.path}.diff`]: { body: fixture('constructed/react-content_unified.expected.diff'), contentType: 'text/plain' },
  });
  await setSettings(ext.serviceWorker, SCRIPTED('delay=5'));
  await page.goto(`https://github.com${CONVERSATION.path}`);
  // The slot the button used to go into is there, and hidden.
  await expect(page.locator('[data-component="PH_Actions"]')).toBeHidden();
  const button = page.getByTestId('review-button');
  await expect(button).toBeVisible();
  const box = await button.boundingBox();
  expect(box && box.width > 0 && box.height > 0).toBe(true);
  // Nothing of ours went into the hidden slot.
  await expect(page.locator('[data-component="PH_Actions"] [data-local-pr-review]')).toHaveCount(0);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-color-mode', t), theme);
    await expect(button).toHaveAttribute('data-theme', theme);
    const file = join(SCREENSHOT_DIR, `react-conversation-hidden-slot-button-${theme}.png`);
    await page.screenshot({ path: file });
    await info.attach(`button-${theme}`, { path: file, contentType: 'image/png' });
  }
  await button.click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
});

for (const pr of [CLASSIC, REACT]) {
  test(`${pr.name}: the button is compact and secondary, labelled "Local review", with its shortcut`, async ({ ext, page }, info) => {
    await serveGithub(ext.context, pr.routes);
    await page.goto(`https://github.com${pr.path}`);
    const button = page.getByTestId('review-button');
    await expect(button).toBeVisible();
    await expect(button).toHaveText('Local review');
    await expect(button).toHaveAccessibleName('Local review');
    await expect(button).toHaveAttribute('aria-keyshortcuts', 'Alt+Shift+R');
    const box = await button.boundingBox();
    expect(box?.height).toBe(28);
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate((t) => document.documentElement.setAttribute('data-color-mode', t), theme);
      await expect(button).toHaveAttribute('data-theme', theme);
      // Not a primary (green) button: GitHub's default button colours.
      const bg = await button.evaluate((b) => getComputedStyle(b).backgroundColor);
      expect(bg).toBe(theme === 'light' ? 'rgb(246, 248, 250)' : 'rgb(33, 38, 45)');
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = join(SCREENSHOT_DIR, `${pr.name}-review-button-${theme}.png`);
      await button.scrollIntoViewIfNeeded();
      const at = (await button.boundingBox())!;
      const x = Math.max(0, Math.min(at.x - 240, 1280 - 480));
      await page.screenshot({ path: file, clip: { x, y: Math.max(0, at.y - 12), width: 480, height: at.height + 24 } });
      await info.attach(`button-${theme}`, { path: file, contentType: 'image/png' });
    }
  });
}

test('a slot GitHub hides after the button went in (a narrower window): the button moves to where it is seen', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await page.goto(`https://github.com${CLASSIC.path}`);
  const button = page.getByTestId('review-button');
  await expect(button).toBeVisible();
  // What a responsive header does at a breakpoint: its action area stops being displayed.
  await page.evaluate(() => {
    for (const el of document.querySelectorAll<HTMLElement>('.gh-header-actions, .pr-review-tools')) el.style.display = 'none';
    window.dispatchEvent(new Event('resize'));
  });
  await expect(button).toBeVisible();
  const box = await button.boundingBox();
  expect(box && box.width > 0 && box.height > 0).toBe(true);
  await expect(button).toHaveCount(1);
});
