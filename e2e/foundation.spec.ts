/**
 * The product's skeleton end to end: the built extension (e2e build) in Debian's Chromium, on
 * saved GitHub pages, with the scripted engine standing in for a GPU model (which cannot run on
 * machines without a GPU; real inference is covered by the @real-inference spec on the CPU engine).
 */
import type { Page } from '@playwright/test';
import { SCRIPTED, expect, fixture, hostStatus, serveGithub, setSettings, test } from './support/extension';

const PR = '/OctoLinker/testrepo/pull/1/files';
const PR_HTML = fixture('OctoLinker__pull-diff_testrepo-1.html');
const PR_DIFF = fixture('OctoLinker__pull-diff_testrepo-1.expected.diff');
const COMMIT = '/TingGeorge/excalidraw-github-extension-on-chrome/commit/2fa800062b33136871c6cd109d770279c9f88b4a';
const COMMIT_HTML = fixture('TingGeorge__commit-2fa8000_react.html');
const COMMIT_DIFF = fixture('TingGeorge__commit-2fa8000_react.expected.diff');

const ROUTES = {
  [PR]: PR_HTML,
  '/OctoLinker/testrepo/pull/1.diff': { body: PR_DIFF, contentType: 'text/plain' },
  '/OctoLinker/testrepo/pull/2/files': PR_HTML,
  '/OctoLinker/testrepo/pull/2.diff': { body: PR_DIFF, contentType: 'text/plain' },
  [COMMIT]: COMMIT_HTML,
  [`${COMMIT}.diff`]: { body: COMMIT_DIFF, contentType: 'text/plain' },
};

const button = (page: Page) => page.getByTestId('review-button');
const panel = (page: Page) => page.getByTestId('review-panel');
const stream = (page: Page) => page.getByTestId('stream-text');

test('the Review button appears once, streams a review into the panel, and Cancel stops it mid-stream', async ({ ext, page }) => {
  await serveGithub(ext.context, ROUTES);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=120'));
  await page.goto(`https://github.com${PR}`);

  await expect(button(page)).toHaveCount(1);
  // It sits in the PR header, not floating.
  await expect(page.locator('.gh-header-actions [data-local-pr-review="button"]')).toHaveCount(1);

  await button(page).click();
  await expect(panel(page)).toBeVisible();
  await expect(page.getByTestId('panel-reviewing')).toBeVisible();
  // Text arrives piece by piece: first some, later more.
  await expect(stream(page)).not.toBeEmpty();
  const early = (await stream(page).textContent()) ?? '';
  await expect.poll(async () => ((await stream(page).textContent()) ?? '').length).toBeGreaterThan(early.length);

  await page.getByTestId('review-cancel').click();
  await expect(page.getByTestId('panel-cancelled')).toBeVisible();
  const atCancel = (await stream(page).textContent()) ?? '';
  expect(atCancel.length).toBeGreaterThan(0);
  // Nothing more arrives after Cancel.
  await page.waitForTimeout(800);
  expect((await stream(page).textContent()) ?? '').toBe(atCancel);
  // Still exactly one button, and the page's own diff is untouched.
  await expect(button(page)).toHaveCount(1);
  await expect(page.locator('.file-header[data-path="sourcereader/popular-cat-names.js"]')).toHaveCount(1);
});

test('a review runs to the end and shows summary, findings anchored to real lines, and coverage', async ({ ext, page }) => {
  await serveGithub(ext.context, ROUTES);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('review-summary')).not.toBeEmpty();
  // The scripted model flags the first added line ("Kitt", new line 3); the finding keeps that anchor.
  await expect(page.getByTestId('finding-link').first()).toHaveText('sourcereader/popular-cat-names.js:3');
  await expect(page.getByTestId('review-coverage')).toContainText('1 of 1 files reviewed fully');
});

test('soft navigation to another PR resets the panel and keeps a single button', async ({ ext, page }) => {
  await serveGithub(ext.context, ROUTES);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=150'));
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(stream(page)).not.toBeEmpty();

  // What GitHub does on a soft navigation: push the new URL, then announce the render.
  await page.evaluate(() => {
    history.pushState({}, '', '/OctoLinker/testrepo/pull/2/files');
    document.dispatchEvent(new Event('turbo:render'));
  });
  await expect(panel(page)).toHaveCount(0);
  await expect(button(page)).toHaveCount(1);
  await expect(page.getByTestId('review-button')).toHaveText('Local review');

  // A new review on the new PR starts from a clean panel.
  await button(page).click();
  await expect(page.getByTestId('panel-reviewing').or(page.getByTestId('panel-loading'))).toBeVisible();
  await expect(page.locator('[data-local-pr-review="panel"]')).toHaveCount(1);
});

for (const [name, path] of [
  ['a repository home page', '/OctoLinker/testrepo'],
  ['an issue', '/OctoLinker/testrepo/issues/3'],
  ['a commit list', '/OctoLinker/testrepo/commits/main'],
] as const) {
  test(`no button on ${name}, and it appears once the page soft-navigates to a PR`, async ({ ext, page }) => {
    // The same page HTML as a PR: only the URL decides.
    await serveGithub(ext.context, { ...ROUTES, [path]: PR_HTML });
    await page.goto(`https://github.com${path}`);
    await page.waitForTimeout(1200); // several URL checks of the content script
    await expect(button(page)).toHaveCount(0);
    // Proof that the content script was running all along: it reacts to a PR URL.
    await page.evaluate(() => history.pushState({}, '', '/OctoLinker/testrepo/pull/1/files'));
    await expect(button(page)).toHaveCount(1);
    await page.evaluate((p) => history.pushState({}, '', p), path);
    await expect(button(page)).toHaveCount(0);
  });
}

test('two tabs reviewing at once each get their own stream', async ({ ext }) => {
  await serveGithub(ext.context, ROUTES);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=10'));
  const [a, b] = [await ext.context.newPage(), await ext.context.newPage()];
  await a.goto(`https://github.com${PR}`);
  await b.goto(`https://github.com${COMMIT}`);
  await button(a).click();
  await button(b).click();
  // Both stream at the same time; each shows only what its own model calls wrote.
  await expect(a.getByTestId('panel-done')).toBeVisible({ timeout: 40_000 });
  await expect(b.getByTestId('panel-done')).toBeVisible({ timeout: 40_000 });
  for (const [tab, own, other] of [
    [a, 'popular-cat-names.js', '.gitignore'],
    [b, '.gitignore', 'popular-cat-names.js'],
  ] as const) {
    await tab.getByTestId('model-wrote').locator('summary').click(); // "What the model wrote"
    await expect(stream(tab)).toContainText(own);
    expect((await stream(tab).textContent()) ?? '').not.toContain(other);
  }
  const textA = (await panel(a).textContent()) ?? '';
  const textB = (await panel(b).textContent()) ?? '';
  expect(textA).toContain('popular-cat-names.js');
  expect(textA).not.toContain('.gitignore');
  expect(textB).toContain('.gitignore');
  expect(textB).not.toContain('popular-cat-names.js');
  await expect(a.getByTestId('finding-link').first()).toHaveText('sourcereader/popular-cat-names.js:3');
  await expect(b.getByTestId('finding-link').first()).toHaveText('.gitignore:3');
});

test('closing a tab cancels its review in the engine host', async ({ ext }) => {
  await serveGithub(ext.context, ROUTES);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=200'));
  const page = await ext.context.newPage();
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(stream(page)).not.toBeEmpty();
  await expect.poll(async () => (await hostStatus(ext.serviceWorker))?.activeSessions).toBe(1);
  await page.close();
  await expect.poll(async () => (await hostStatus(ext.serviceWorker))?.activeSessions).toBe(0);
  // The engine stays loaded for the next review.
  expect((await hostStatus(ext.serviceWorker))?.engine?.loaded).toBe(true);
});

test('a crashed engine host gives a clear message and Retry starts it again', async ({ ext, page }) => {
  await serveGithub(ext.context, ROUTES);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=200'));
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(stream(page)).not.toBeEmpty();
  // Kill the engine host the way a crash would: its document goes away mid-review.
  await ext.serviceWorker.evaluate(() => chrome.offscreen.closeDocument());
  await expect(page.getByTestId('panel-error')).toBeVisible();
  await expect(page.getByTestId('error-message')).toContainText('engine stopped unexpectedly');
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
  await page.getByTestId('review-retry').click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
});

test('an engine that fails to load shows the failure and keeps the page intact', async ({ ext, page }) => {
  await serveGithub(ext.context, ROUTES);
  await setSettings(ext.serviceWorker, SCRIPTED('fail=load'));
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(page.getByTestId('error-message')).toContainText('failed to load');
  await expect(page.getByTestId('review-retry')).toBeVisible();
  await expect(page.locator('.file-header[data-path="sourcereader/popular-cat-names.js"]')).toHaveCount(1);
});

test('a page whose diff cannot be read anywhere says so in the panel, and GitHub\'s page keeps working', async ({ ext, page }) => {
  await serveGithub(ext.context, {
    '/OctoLinker/testrepo/pull/9/files': '<html><body><div id="files"><table class="diff-table"><tr><td>garbage</td></tr></table></div><p id="own">GitHub content</p></body></html>',
    '/OctoLinker/testrepo/pull/9.diff': { status: 500, body: 'boom', contentType: 'text/plain' },
  });
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('https://github.com/OctoLinker/testrepo/pull/9/files');
  await button(page).click();
  await expect(page.getByTestId('panel-error')).toBeVisible();
  await expect(page.getByTestId('error-message')).toContainText('diff');
  await expect(page.locator('#own')).toHaveText('GitHub content');
  expect(errors).toEqual([]);
});

test("GitHub's CSS does not reach into the panel, and the panel's CSS does not reach GitHub's page", async ({ ext, page }) => {
  // A page whose own styles are as hostile as they come, and an element of its own that uses our class names.
  const hostile = PR_HTML.replace(
    '</head>',
    `<style>
      * { color: rgb(255, 0, 0) !important; font-size: 40px !important; }
      button, section, div { background: rgb(0, 255, 0) !important; }
      .lpr-panel, .lpr-btn, [data-testid] { display: none !important; }
    </style></head>`,
  ).replace('</body>', '<button class="lpr-btn lpr-btn-primary" id="theirs">theirs</button></body>');
  await serveGithub(ext.context, { ...ROUTES, [PR]: hostile });
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });

  const inside = await page.getByTestId('panel-close').evaluate((el) => {
    const style = getComputedStyle(el);
    return { color: style.color, fontSize: style.fontSize, background: style.backgroundColor };
  });
  expect(inside.color).not.toBe('rgb(255, 0, 0)');
  expect(inside.fontSize).not.toBe('40px');
  expect(inside.background).not.toBe('rgb(0, 255, 0)');

  // Our .lpr-btn rules (rounded corners, Primer padding) stay inside the shadow root.
  const theirs = await page.locator('#theirs').evaluate((el) => getComputedStyle(el).borderTopLeftRadius);
  expect(theirs).toBe('0px');
});
