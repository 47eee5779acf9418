/**
 * Every panel state, on a classic and a React PR page, in light and dark: each is screenshotted
 * (into e2e/screenshots, for people to look at), laid out on the right edge of the window,
 * and its text checked for WCAG AA contrast as rendered.
 */
import { SCRIPTED, expect, serveGithub, setSettings, test } from './support/extension';
import { CLASSIC, PARTIAL, REACT, richReview, seedReview, shootBothThemes } from './panel-pages';

test.use({ viewport: { width: 1280, height: 900 } } as never);

for (const pr of [CLASSIC, REACT]) {
  test(`${pr.name}: first run, downloading, loading, reviewing and done`, async ({ ext, page }, info) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await serveGithub(ext.context, pr.routes);
    await page.goto(`https://github.com${pr.path}`);
    await page.getByTestId('review-button').click();

    // No model chosen yet: the panel offers one, with its size and whether it fits.
    await expect(page.getByTestId('panel-first-run')).toBeVisible();
    const scripted = page.getByTestId('model-choice').and(page.locator('[data-engine="scripted"]'));
    await expect(scripted.getByTestId('model-choice-size')).toContainText('MB download');
    await expect(scripted.getByTestId('model-choice-size')).toContainText('fits this machine');
    await shootBothThemes(page, `${pr.name}-first-run`, info);
    await scripted.click();
    await page.getByTestId('first-run-confirm').click();

    // Downloading: bytes, percent, time left, and Cancel.
    await expect(page.getByTestId('panel-downloading')).toBeVisible();
    await expect(page.getByTestId('download-bytes')).toContainText(/MB of 4\.0 MB/);
    await expect(page.getByTestId('download-percent')).toContainText('%');
    await expect(page.getByTestId('download-eta')).toContainText(/s left|min left/);
    await expect(page.getByTestId('review-cancel')).toBeVisible();
    await shootBothThemes(page, `${pr.name}-downloading`, info);

    await expect(page.getByTestId('panel-loading')).toBeVisible();
    await shootBothThemes(page, `${pr.name}-loading`, info);

    // Reviewing: step i of n, the current file, streaming text, tokens per second, Cancel.
    await expect(page.getByTestId('panel-reviewing')).toBeVisible();
    await expect(page.getByTestId('review-current-file')).not.toBeEmpty();
    await expect(page.getByTestId('review-file-count')).toContainText(/File \d+ of \d+/);
    await expect(page.getByTestId('stream-text')).not.toBeEmpty();
    await expect(page.getByTestId('review-speed')).toContainText('tokens/s');
    await expect(page.getByTestId('review-cancel')).toBeVisible();
    await shootBothThemes(page, `${pr.name}-reviewing`, info);

    await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 45_000 });
    await expect(page.getByTestId('review-summary')).not.toBeEmpty();
    // The choice was saved: the next review needs no first run.
    const stored = await ext.serviceWorker.evaluate(() => chrome.storage.sync.get(['engine', 'modelId']));
    expect(stored.engine).toBe('scripted');
  });

  test(`${pr.name}: done with every kind of finding, from review memory`, async ({ ext, page }, info) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await serveGithub(ext.context, pr.routes);
    await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
    await seedReview(ext, pr, richReview(pr));
    await page.goto(`https://github.com${pr.path}`);
    await page.getByTestId('review-button').click();
    await expect(page.getByTestId('panel-done')).toBeVisible();
    await expect(page.getByTestId('review-saved')).toBeVisible();
    // Summary first, then the findings grouped by severity, most severe first, with counts.
    const sections = await page.getByTestId('panel-done').locator('> section').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(sections.slice(0, 2)).toEqual(['review-summary', 'review-findings']);
    await expect(page.getByTestId('finding-group')).toHaveCount(3);
    expect(await page.getByTestId('finding-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')))).toEqual(['critical', 'major', 'nit']);
    await expect(page.getByTestId('severity-counts')).toContainText('1 critical');
    await expect(page.getByTestId('finding-suggestion').locator('code')).toHaveText('module.exports = [...new Set(names)];');
    await shootBothThemes(page, `${pr.name}-done`, info);
  });

  test(`${pr.name}: partial coverage and an error`, async ({ ext, page }, info) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const partial = PARTIAL[pr.name];
    await serveGithub(ext.context, partial.routes);
    await setSettings(ext.serviceWorker, SCRIPTED('delay=1'));
    await page.goto(`https://github.com${partial.path}`);
    await page.getByTestId('review-button').click();
    await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 45_000 });
    // Partial: what was skipped or not loaded, and why.
    await expect(page.getByTestId('panel-partial')).toBeVisible();
    await expect(page.getByTestId('coverage-item').first()).toBeVisible();
    const reasons = await page.getByTestId('coverage-item').allTextContents();
    expect(reasons.some((r) => /not loaded|skipped|in part/.test(r))).toBe(true);
    await shootBothThemes(page, `${pr.name}-partial`, info);

    // Error: a plain message and the action that fixes it; focus lands on the message.
    await setSettings(ext.serviceWorker, SCRIPTED('fail=load'));
    await page.getByTestId('review-start').last().click();
    await expect(page.getByTestId('panel-error')).toBeVisible();
    await expect(page.getByTestId('error-message')).toContainText('failed to load');
    await expect(page.getByTestId('review-retry')).toBeVisible();
    await expect(page.getByTestId('error-message')).toBeFocused();
    await shootBothThemes(page, `${pr.name}-error`, info);
  });
}
