/**
 * Diff reading in the built extension: files the page has not loaded ("Load diff", progressive
 * loaders) are completed from the PR's `.diff`, fetched by the background, and the Conversation
 * tab (review-thread snippets only) is read from the `.diff` alone.
 */
import { SCRIPTED, expect, fixture, serveGithub, setSettings, test } from './support/extension';

const PAGE = '/octo/constructed/pull/7/files';
const HTML = fixture('constructed/classic-statuses_unified.html');
const SHOWN = fixture('constructed/classic-statuses_unified.expected.diff');
/** What GitHub's .diff adds: the "Load diff" file and the file still behind the progressive loader. */
const NOT_SHOWN = [
  'diff --git a/data/huge.json b/data/huge.json',
  '--- a/data/huge.json',
  '+++ b/data/huge.json',
  '@@ -1,2 +1,2 @@',
  ' {',
  '-  "size": 1',
  '+  "size": 2',
  'diff --git a/src/late.ts b/src/late.ts',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/src/late.ts',
  '@@ -0,0 +1,2 @@',
  '+export const late = true;',
  '+export const later = false;',
  '',
].join('\n');

test('files the page has not loaded are completed from the routed .diff and reviewed', async ({ ext, page }) => {
  const requested = await serveGithub(ext.context, {
    [PAGE]: HTML,
    '/octo/constructed/pull/7.diff': { body: `${SHOWN.trimEnd()}\n${NOT_SHOWN}`, contentType: 'text/plain' },
  });
  await setSettings(ext.serviceWorker, { ...SCRIPTED('delay=1'), maxModelCalls: 50 });
  await page.goto(`https://github.com${PAGE}`);
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 40_000 });
  expect(requested).toContain('/octo/constructed/pull/7.diff');
  // Nothing is left "not loaded": both lazy files came from the endpoint.
  await expect(page.locator('[data-testid="coverage-item"][data-coverage="not-loaded"]')).toHaveCount(0);
  const panelText = (await page.getByTestId('review-panel').textContent()) ?? '';
  expect(panelText).not.toContain('data/huge.json: not-loaded');
  // Reviewed fully: the three shown text files plus both lazy ones; the other four are skipped
  // with reasons (rename only, binary, deleted, mode only).
  await expect(page.getByTestId('review-coverage')).toContainText('5 of 9 files reviewed fully');
});

test('without a .diff the lazy files are reported as not loaded, never dropped silently', async ({ ext, page }) => {
  await serveGithub(ext.context, {
    [PAGE]: HTML,
    '/octo/constructed/pull/7.diff': { status: 503, body: 'unavailable', contentType: 'text/plain' },
  });
  await setSettings(ext.serviceWorker, { ...SCRIPTED('delay=1'), maxModelCalls: 50 });
  await page.goto(`https://github.com${PAGE}`);
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 40_000 });
  await expect(page.locator('[data-testid="coverage-item"][data-coverage="not-loaded"]').filter({ hasText: 'data/huge.json' })).toHaveCount(1);
  await expect(page.getByTestId('review-coverage')).toContainText('more files were still loading');
});

test('on the Conversation tab the review reads the PR from its .diff, not from review-thread snippets', async ({ ext, page }) => {
  const requested = await serveGithub(ext.context, {
    '/OctoLinker/testrepo/pull/1': fixture('OctoLinker__pull-comments_testrepo-1.html'),
    '/OctoLinker/testrepo/pull/1.diff': { body: fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), contentType: 'text/plain' },
  });
  await setSettings(ext.serviceWorker, SCRIPTED('delay=1'));
  await page.goto('https://github.com/OctoLinker/testrepo/pull/1');
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
  expect(requested).toContain('/OctoLinker/testrepo/pull/1.diff');
  await expect(page.getByTestId('finding-link').first()).toHaveText('sourcereader/popular-cat-names.js:3');
});

test('when GitHub refuses the .diff (too large), the lazy files come from the REST file list, and a file it gives no patch for is reported', async ({ ext, page }) => {
  const requested = await serveGithub(ext.context, {
    [PAGE]: HTML,
    '/octo/constructed/pull/7.diff': { status: 406, body: 'too large', contentType: 'text/plain' },
  });
  const api: string[] = [];
  await ext.context.route('https://api.github.com/**', (route) => {
    const url = new URL(route.request().url());
    api.push(`${url.pathname}${url.search}`);
    const files = [
      { filename: 'data/huge.json', status: 'modified', additions: 1, deletions: 1, patch: '@@ -1,2 +1,2 @@\n {\n-  "size": 1\n+  "size": 2' },
      { filename: 'src/late.ts', status: 'added', additions: 40000, deletions: 0 },
    ];
    return route.fulfill({ status: 200, body: JSON.stringify(files), contentType: 'application/json' });
  });
  await setSettings(ext.serviceWorker, { ...SCRIPTED('delay=1'), maxModelCalls: 50 });
  await page.goto(`https://github.com${PAGE}`);
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 40_000 });
  expect(requested).toContain('/octo/constructed/pull/7.diff');
  expect(api).toEqual(['/repos/octo/constructed/pulls/7/files?per_page=100&page=1']);
  // huge.json got its lines from the API; late.ts has none there, and the review says why.
  await expect(page.locator('[data-testid="coverage-item"][data-coverage="not-loaded"]').filter({ hasText: 'data/huge.json' })).toHaveCount(0);
  await expect(page.locator('[data-testid="coverage-item"][data-coverage="not-loaded"]').filter({ hasText: 'src/late.ts' })).toContainText('the REST API gives no patch for this file (too large)');
});
