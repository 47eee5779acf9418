/**
 * Every action of the review panel, in the built extension on saved GitHub pages: copy as
 * Markdown, insert into GitHub's comment box (never submitting), re-run, dismiss (kept per head
 * commit), the keyboard shortcut's command, review memory (instant on return, outdated after new
 * commits), keyboard operation, and model output that tries to run script.
 */
import type { Page } from '@playwright/test';
import { SCRIPTED, expect, fixture, serveGithub, setSettings, test } from './support/extension';
import { CLASSIC, REACT, richReview, seedReview } from './panel-pages';

const CONVERSATION = '/OctoLinker/testrepo/pull/1';
/** The saved Conversation page, with the classic new-comment form GitHub shows signed-in users. */
const CONVERSATION_HTML = fixture('OctoLinker__pull-comments_testrepo-1.html').replace(
  '</body>',
  `<form class="js-new-comment-form" id="comment-form" action="/submit" method="post">
     <textarea name="comment[body]" id="new_comment_field" rows="6" cols="60"></textarea>
     <button type="submit">Comment</button>
   </form>
   <script>
     window.__events = [];
     const form = document.getElementById('comment-form');
     form.addEventListener('submit', (e) => { e.preventDefault(); window.__events.push('submit'); });
     document.getElementById('new_comment_field').addEventListener('input', () => window.__events.push('input'));
   </script></body>`,
);

async function openPanel(page: Page, path: string): Promise<void> {
  await page.goto(`https://github.com${path}`);
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('review-panel')).toBeVisible();
}

test('Copy as Markdown puts the whole review, dismissals left out, on the clipboard; a suggestion copies alone', async ({ ext, page }) => {
  await ext.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://github.com' });
  await serveGithub(ext.context, CLASSIC.routes);
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await openPanel(page, CLASSIC.path);
  await expect(page.getByTestId('panel-done')).toBeVisible();

  await page.getByTestId('dismiss-finding').last().click(); // the nit
  await expect(page.getByTestId('toggle-dismissed')).toContainText('1 dismissed');
  await page.getByTestId('copy-markdown').click();
  await expect(page.getByTestId('action-status')).toContainText('copied');
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain('## Pull request review');
  expect(markdown).toContain('Exported name collides with an existing entry');
  expect(markdown).not.toContain('Trailing comma style');
  expect(markdown).toContain('1 dismissed finding not shown');

  await page.getByTestId('copy-suggestion').click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('module.exports = [...new Set(names)];');
});

test('Insert into comment fills GitHub\'s comment box, tells GitHub, focuses it, and never submits', async ({ ext, page }) => {
  await serveGithub(ext.context, { ...CLASSIC.routes, [CONVERSATION]: CONVERSATION_HTML });
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await openPanel(page, CONVERSATION);
  await expect(page.getByTestId('panel-done')).toBeVisible();
  await page.locator('#new_comment_field').fill('Thanks! A few notes:');
  await page.getByTestId('insert-comment').click();

  await expect(page.getByTestId('action-status')).toContainText('Nothing is posted until you press Comment');
  const value = await page.locator('#new_comment_field').inputValue();
  // What the user had typed stays, the review follows it.
  expect(value.startsWith('Thanks! A few notes:\n\n## Pull request review')).toBe(true);
  await expect(page.locator('#new_comment_field')).toBeFocused();
  const events = await page.evaluate(() => (window as unknown as { __events: string[] }).__events);
  expect(events).toContain('input');
  expect(events).not.toContain('submit');
});

test('Insert into comment on a page without a comment box says where to find one and offers Copy', async ({ ext, page }) => {
  await ext.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://github.com' });
  await serveGithub(ext.context, CLASSIC.routes);
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await openPanel(page, CLASSIC.path);
  await page.getByTestId('insert-comment').click();
  await expect(page.getByTestId('action-status')).toContainText('no comment box on this page');
  await page.getByTestId('insert-copy-instead').click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('## Pull request review');
});

test('Re-run replaces a stored review with a fresh one, which is then remembered', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await openPanel(page, CLASSIC.path);
  await expect(page.getByTestId('review-saved')).toBeVisible();
  await page.getByTestId('review-start').click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('review-saved')).toHaveCount(0);
  await expect(page.getByTestId('finding')).toHaveCount(1);
  await expect(page.locator('[data-testid="finding"] .lpr-finding-title')).toHaveText('Scripted finding');

  // Returning to the PR shows the new review at once, without running the model.
  await page.reload();
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('review-saved')).toBeVisible();
  await expect(page.locator('[data-testid="finding"] .lpr-finding-title')).toHaveText('Scripted finding');
});

test('a dismissal is kept for the head commit: it survives a reload, and a review of a new commit shows the finding again', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await openPanel(page, CLASSIC.path);
  await page.locator('[data-finding-id="f-critical"]').getByTestId('dismiss-finding').click();
  await expect(page.locator('[data-testid="finding"][data-finding-id="f-critical"]')).toHaveCount(0);
  await expect(page.getByTestId('severity-counts')).not.toContainText('critical');

  const stored = await ext.serviceWorker.evaluate(() => chrome.storage.local.get(null));
  expect(Object.keys(stored)).toEqual([`dismissals:octolinker/testrepo#1@${CLASSIC.headSha}`]);

  await page.reload();
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('panel-done')).toBeVisible();
  await expect(page.locator('[data-testid="finding"][data-finding-id="f-critical"]')).toHaveCount(0);
  // Restore brings it back.
  await page.getByTestId('toggle-dismissed').click();
  await page.getByTestId('undo-dismiss').click();
  await expect(page.locator('[data-testid="finding"][data-finding-id="f-critical"]')).toHaveCount(1);
  await page.locator('[data-finding-id="f-critical"]').getByTestId('dismiss-finding').click();

  // New commits land: the page names another head, and the review of that commit shows the finding again.
  const moved = 'c'.repeat(40);
  await serveGithub(ext.context, { ...CLASSIC.routes, [CLASSIC.path]: fixture('OctoLinker__pull-diff_testrepo-1.html').replaceAll(CLASSIC.headSha, moved) });
  await seedReview(ext, CLASSIC, richReview(CLASSIC), moved);
  await page.reload();
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('review-saved')).toBeVisible();
  await expect(page.locator('[data-testid="finding"][data-finding-id="f-critical"]')).toHaveCount(1);
});

test('a stored review from an older commit is marked outdated, and one click reviews the new commits', async ({ ext, page }) => {
  await serveGithub(ext.context, REACT.routes);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
  await seedReview(ext, REACT, richReview(REACT), 'a'.repeat(40));
  await openPanel(page, REACT.path);
  await expect(page.getByTestId('review-outdated')).toContainText('Outdated');
  await expect(page.getByTestId('review-outdated')).toContainText('aaaaaaa');
  // An outdated review's lines may have moved: no markers for it.
  await expect(page.locator('[data-local-pr-review="marker"]')).toHaveCount(0);
  await page.getByTestId('rerun-outdated').click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('review-outdated')).toHaveCount(0);
});

test('the shortcut\'s command opens the panel and starts a review', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=30'));
  await page.goto(`https://github.com${CLASSIC.path}`);
  await expect(page.getByTestId('review-button')).toBeVisible();
  await expect(page.getByTestId('review-panel')).toHaveCount(0);
  // What the background does when the command fires (commands.onCommand cannot be pressed headless).
  await ext.serviceWorker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ url: 'https://github.com/*' });
    await chrome.tabs.sendMessage(tab!.id!, { kind: 'command/start-review' });
  });
  await expect(page.getByTestId('review-panel')).toBeVisible();
  await expect(page.getByTestId('panel-reviewing').or(page.getByTestId('panel-loading')).or(page.getByTestId('panel-done'))).toBeVisible();
  const manifest = await ext.serviceWorker.evaluate(() => chrome.runtime.getManifest());
  expect(JSON.stringify(manifest.commands?.['start-review']?.suggested_key)).toContain('Alt+Shift+R');
});

test('the panel works from the keyboard: focus moves in, the live region speaks, Escape returns focus', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
  await page.goto(`https://github.com${CLASSIC.path}`);
  await page.getByTestId('review-button').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.lpr-header-title')).toBeFocused();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
  // Done: focus went on to the summary, and the live region said so.
  await expect(page.getByTestId('review-summary').locator('h3')).toBeFocused();
  await expect(page.getByTestId('panel-live')).toContainText('Review done: 1 finding');
  await expect(page.getByTestId('panel-live')).toHaveAttribute('aria-live', 'polite');
  // Tab reaches the finding link; Enter jumps to its line.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    if (await page.getByTestId('finding-link').evaluate((el) => el.matches(':focus'))) break;
  }
  await expect(page.getByTestId('finding-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('tr[data-lpr-flash]')).toHaveCount(1);
  await expect(page.locator('tr[data-lpr-flash]')).toBeInViewport();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('review-panel')).toHaveCount(0);
  await expect(page.getByTestId('review-button')).toBeFocused();
});

test('model output with <img onerror>, javascript: links and <script> renders inert, in the panel and on the markers', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  const evil = {
    summary:
      'Looks fine <img src=x onerror="window.__pwned=1"> [click](javascript:window.__pwned=2) <script>window.__pwned=3</script> [ok](https://example.com/docs)',
    risks: ['<svg onload="window.__pwned=4"></svg> risk'],
    changes: ['[x](JaVaScRiPt:window.__pwned=5)'],
  };
  const review = richReview(CLASSIC, evil);
  review.findings[0]!.title = '<img src=x onerror="window.__pwned=6">';
  review.findings[0]!.explanation = '<a href="javascript:window.__pwned=7">link</a> ![t](javascript:window.__pwned=8)';
  review.findings[0]!.suggestion = '</code><script>window.__pwned=9</script>';
  await seedReview(ext, CLASSIC, review);
  await openPanel(page, CLASSIC.path);
  await expect(page.getByTestId('panel-done')).toBeVisible();

  const panel = page.getByTestId('review-panel');
  await expect(panel.locator('img, script, svg[onload], iframe, object, embed')).toHaveCount(0);
  await expect(panel.locator('[onerror], [onload], [onclick]')).toHaveCount(0);
  const hrefs = await panel.locator('a[href]').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')]));
  expect(hrefs).toEqual([['https://example.com/docs', 'noopener noreferrer', '_blank']]);
  // The markup shows as text, and the suggestion's code block holds it literally.
  await expect(page.getByTestId('review-summary')).toContainText('<img src=x onerror=');
  await expect(page.getByTestId('finding-suggestion').locator('code')).toHaveText('</code><script>window.__pwned=9</script>');
  // The marker tooltip carries the title as text too.
  const marker = page.locator('[data-local-pr-review="marker"]').first();
  await marker.getByTestId('marker-button').hover();
  await expect(marker.getByTestId('marker-tooltip')).toContainText('<img src=x onerror=');
  await expect(page.locator('[data-local-pr-review="marker"] img')).toHaveCount(0);
  // Nothing ran, in the page's own world.
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('Cancel during the model download stops it, and the panel says so', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2&loadMs=8000'));
  await openPanel(page, CLASSIC.path);
  await expect(page.getByTestId('panel-downloading')).toBeVisible();
  await page.getByTestId('review-cancel').click();
  await expect(page.getByTestId('panel-cancelled')).toBeVisible();
  await expect(page.getByTestId('panel-live')).toHaveText('Review cancelled');
  await expect(page.getByTestId('review-button')).toHaveAttribute('aria-busy', 'false');
});

test('with reduced motion, the panel appears without sliding in', async ({ ext, page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await serveGithub(ext.context, CLASSIC.routes);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2&loadMs=4000'));
  await openPanel(page, CLASSIC.path);
  const panelAnimation = await page.getByTestId('review-panel').evaluate((el) => parseFloat(getComputedStyle(el).animationDuration));
  expect(panelAnimation).toBeLessThan(0.001);
  await expect(page.getByTestId('panel-downloading')).toBeVisible();
  await page.getByTestId('review-cancel').click();
  await expect(page.getByTestId('panel-cancelled')).toBeVisible();
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const normal = await page.getByTestId('review-panel').evaluate((el) => parseFloat(getComputedStyle(el).animationDuration));
  expect(normal).toBeGreaterThan(0.1);
});
