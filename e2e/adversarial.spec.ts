/**
 * @adversarial, where the browser matters: a hostile github.com page (its scripts click our
 * controls, read our panel, fetch our files), hostile model output in the real panel (the
 * scripted engine says what an attacker would make a model say), malformed messages at the
 * extension's boundary, and the network: a full review asks nothing of any host but GitHub's and
 * the model host, in the page, the service worker and the offscreen document (Chromium's net log).
 * Unit-level cases (CLIs, rendering, prompts) are in the *.test.ts files tagged @adversarial.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SCRIPTED, expect, hostStatus, launchExtension, serveGithub, setSettings, test } from './support/extension';
import { CLASSIC, richReview, seedReview } from './panel-pages';
import { startModelServer } from './support/model-server';
import { writeTinyGguf } from './support/tiny-gguf';
import { openModelWrote } from './support/custom-model';

const PR = CLASSIC.path;
const button = (page: Page) => page.getByTestId('review-button');
/** In the page's own JavaScript world, as a script of github.com runs. */
const inPage = <T>(page: Page, fn: () => T) => page.evaluate(fn);

/** A scripted model that answers with `text` (URL-encoded into the model id, as the e2e build reads it). */
const saying = (text: string, extra = '') => SCRIPTED(`delay=1&say=${encodeURIComponent(text)}${extra}`);

test("@adversarial a page script's .click() on the Review button starts nothing; a real click does", async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
  await page.goto(`https://github.com${PR}`);
  await expect(button(page)).toBeVisible();
  // The e2e build keeps its roots open (so Playwright can see in); a page script can reach the
  // button there, which makes this the harder case: the click is made, and must be ignored.
  const reached = await inPage(page, () => {
    const inner = document.querySelector('[data-local-pr-review="button"]')?.shadowRoot?.querySelector('button');
    inner?.click();
    inner?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    inner?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    return !!inner;
  });
  expect(reached).toBe(true);
  await page.waitForTimeout(500);
  await expect(page.getByTestId('review-panel')).toHaveCount(0);
  expect((await hostStatus(ext.serviceWorker))?.activeSessions ?? 0).toBe(0);
  await button(page).click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
});

test('@adversarial page scripts cannot re-run a review or pick (and download) a model from the panel', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(page.getByTestId('panel-done')).toBeVisible();
  const click = (testId: string) =>
    page.evaluate((id) => {
      const root = document.querySelector('[data-local-pr-review="panel"]')?.shadowRoot;
      const target = root?.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      target?.click();
      return !!target;
    }, testId);
  // No engine chosen yet: a Re-run would open the model choice; a real Re-run does, a scripted one does not.
  expect(await click('review-start')).toBe(true);
  await page.waitForTimeout(400);
  await expect(page.getByTestId('panel-done')).toBeVisible();
  await page.getByTestId('review-start').click();
  await expect(page.getByTestId('panel-first-run')).toBeVisible();
  await expect(page.getByTestId('first-run-confirm')).toBeVisible({ timeout: 20_000 });
  expect(await click('first-run-confirm')).toBe(true);
  await page.waitForTimeout(400);
  await expect(page.getByTestId('panel-first-run')).toBeVisible();
  const sync = await ext.serviceWorker.evaluate(() => chrome.storage.sync.get(null));
  expect(sync.engine ?? null).toBeNull();
  expect(sync.modelId ?? null).toBeNull();
});

test('@adversarial the production build: closed shadow roots, and no file of the extension a page can fetch', async () => {
  const ext = await launchExtension({ dist: 'dist/chrome' });
  try {
    await serveGithub(ext.context, CLASSIC.routes);
    const page = await ext.context.newPage();
    await page.goto(`https://github.com${PR}`);
    await expect(page.locator('[data-local-pr-review="button"]')).toHaveCount(1);
    const seen = await page.evaluate(async (id) => {
      const host = document.querySelector('[data-local-pr-review="button"]') as HTMLElement;
      const manifest = JSON.parse(await (await fetch(`chrome-extension://${id}/manifest.json`).catch(() => null))?.text().catch(() => 'null') ?? 'null');
      const tries = await Promise.all(
        ['manifest.json', 'extension/content.js', 'extension/options.html', 'icons/icon-16.png'].map((path) =>
          fetch(`chrome-extension://${id}/${path}`).then(
            (r) => `${path}: ${r.status}`,
            () => `${path}: refused`,
          ),
        ),
      );
      return { shadowRoot: host.shadowRoot, manifest, tries };
    }, ext.extensionId);
    expect(seen.shadowRoot).toBeNull();
    expect(seen.manifest).toBeNull();
    expect(seen.tries).toEqual(['manifest.json: refused', 'extension/content.js: refused', 'extension/options.html: refused', 'icons/icon-16.png: refused']);
  } finally {
    await ext.close();
  }
});

test('@adversarial remote images and javascript:/data:/vbscript:/file: links in model output: no request, no live link, no script', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  const tracked: string[] = [];
  await ext.context.route('https://tracker.invalid/**', (route) => {
    tracked.push(route.request().url());
    return route.fulfill({ status: 204, body: '' });
  });
  ext.context.on('request', (r) => {
    if (r.url().includes('tracker.invalid')) tracked.push(r.url());
  });
  const hostile = [
    '# Summary',
    '[ok](https://example.org/docs) ![pixel](https://tracker.invalid/pixel.png) <img src="https://tracker.invalid/img.png" onerror="window.__pwned=1">',
    '[run](javascript:window.__pwned=2) [data](data:text/html,<script>parent.__pwned=3</script>) [vb](vbscript:msgbox) [file](file:///etc/passwd)',
    '<script>window.__pwned=4</script> <iframe src="https://tracker.invalid/frame"></iframe> <a href="javascript:window.__pwned=5">html link</a>',
    '<style>*{display:none!important}</style>',
  ].join('\n\n');
  await setSettings(ext.serviceWorker, saying(hostile));
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
  const panel = page.getByTestId('review-panel');
  await openModelWrote(page); // the raw answer too, as a reader opening "What the model wrote" sees it
  await expect(panel).toContainText('<script>window.__pwned=4</script>');
  await expect(panel).toContainText('run data vb file'); // the dangerous links' words, as plain text
  await expect(panel.locator('img, iframe, script, style:not(:first-child)')).toHaveCount(0);
  const hrefs = await panel.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  for (const href of hrefs) expect(href).toMatch(/^https?:/);
  expect(hrefs).toContain('https://example.org/docs');
  // The image became a link the user may choose to open: nothing was fetched.
  await page.waitForTimeout(300);
  expect(tracked).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(button(page)).toBeVisible(); // GitHub's page still intact, panel still ours
});

test('@adversarial a bidi override in a finding title is shown as a marker and isolated', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await setSettings(ext.serviceWorker, SCRIPTED(`delay=1&title=${encodeURIComponent('Rename invoice\u202Etxt.exe')}`));
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 30_000 });
  const title = page.locator('[data-testid="finding"] .lpr-finding-title').first();
  await expect(title).toHaveText('Rename invoice⟨U+202E⟩txt.exe');
  expect(await title.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('plaintext');
  const summary = page.getByTestId('review-summary').locator('p').first();
  expect(await summary.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('plaintext');
});

test('@adversarial 1 MB of model output: the review ends and says the answer was cut, the page stays responsive, the words stay text', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  // About 1.1 MB: a line of 110 characters with Markdown and HTML in it, 10,000 times.
  const line = 'The model keeps **talking** about <b>nothing</b> in particular, [again](javascript:x) and again and again.\n';
  await setSettings(ext.serviceWorker, saying(line, '&repeat=10000'));
  await page.goto(`https://github.com${PR}`);
  await button(page).click();
  await expect(page.getByTestId('panel-done').or(page.getByTestId('panel-error'))).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('panel-done')).toBeVisible();
  // The page still answers at once, and GitHub's own diff is intact.
  const started = Date.now();
  await page.evaluate(() => document.querySelectorAll('.file-header').length);
  expect(Date.now() - started).toBeLessThan(5_000);
  await expect(page.locator('.file-header[data-path="sourcereader/popular-cat-names.js"]')).toHaveCount(1);
  const panel = page.getByTestId('review-panel');
  await openModelWrote(page);
  // The pipeline stops reading an answer at 60,000 characters, and the review says so.
  await expect(page.getByTestId('review-notes')).toContainText('was cut there; findings after that point are lost');
  await expect(panel).toContainText('The model keeps **talking** about <b>nothing</b> in particular');
  await expect(panel.locator('b, a[href^="javascript"]')).toHaveCount(0);
});

test('@adversarial malformed messages get a clear error at the boundary, never TypeError text', async ({ ext, page }) => {
  await page.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  const answers = await page.evaluate(async () => {
    const ask = (m: unknown) => chrome.runtime.sendMessage(m);
    const viaPort = () =>
      new Promise<unknown>((resolve) => {
        const port = chrome.runtime.connect({ name: 'review' });
        port.onMessage.addListener((m) => resolve(m));
        port.postMessage({ kind: 'review/start', request: { diff: { files: 'not a list' } } });
      });
    return {
      save: await ask({ kind: 'reviews/save', key: { owner: 'o' } }),
      lex: await ask({ kind: 'markdown/lex', sources: [1, 2] }),
      latest: await ask({ kind: 'reviews/latest', owner: null, repo: 'r', number: 1 }),
      port: await viaPort(),
    };
  });
  for (const answer of Object.values(answers)) expect(JSON.stringify(answer)).not.toMatch(/TypeError|Cannot read|undefined is not/);
  expect(answers.save).toMatchObject({ ok: false, message: expect.stringContaining('reviews/save: key.repo must be a string') });
  expect(answers.lex).toMatchObject({ ok: false, message: expect.stringContaining('sources[0] must be a string') });
  expect(answers.latest).toMatchObject({ ok: false, message: expect.stringContaining('reviews/latest: owner must be a string') });
  expect(answers.port).toMatchObject({ kind: 'review/failed', failure: { code: 'bad-message', message: expect.stringContaining('review/start: request.diff.ref must be an object') } });
});

/** Requests in a Chromium net log: URL and initiator of each request's start. */
function netLogRequests(path: string): Array<{ url: string; initiator: string }> {
  const log = JSON.parse(readFileSync(path, 'utf8')) as {
    constants: { logEventTypes: Record<string, number> };
    events: Array<{ type: number; params?: { url?: string; initiator?: string } }>;
  };
  const start = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events.filter((e) => e.type === start && e.params?.url).map((e) => ({ url: e.params!.url!, initiator: e.params!.initiator ?? '' }));
}

test('@adversarial network: a full review on the CPU engine requests nothing but GitHub and the model host (page, service worker, offscreen document)', async () => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'lpr-netlog-'));
  const netLog = join(dir, 'net-log.json');
  await writeTinyGguf(join(dir, 'tiny.gguf'), { nCtx: 4096 });
  const server = await startModelServer({ root: dir });
  const ext = await launchExtension({ extraArgs: [`--log-net-log=${netLog}`, '--net-log-capture-mode=Default'] });
  // What Playwright sees (the page and the service worker, including requests it fulfils itself)...
  const seen: string[] = [];
  ext.context.on('request', (r) => seen.push(r.url()));
  try {
    await serveGithub(ext.context, CLASSIC.routes);
    await setSettings(ext.serviceWorker, { engine: 'wllama', modelId: `${server.url}tiny.gguf#greedy` });
    const page = await ext.context.newPage();
    await page.goto(`https://github.com${PR}`);
    await button(page).click();
    await expect(page.getByTestId('panel-done')).toBeVisible({ timeout: 60_000 });
    expect(server.requests.some((r) => r.includes('tiny.gguf'))).toBe(true);
  } finally {
    await ext.close(); // the net log is complete once the browser exits
    await server.close();
  }
  // ...and what reached the network stack from any context, the offscreen document included.
  const logged = netLogRequests(netLog);
  rmSync(dir, { recursive: true, force: true });
  const model = new URL(server.url).host;
  const allowed = (url: string) => {
    const u = new URL(url);
    if (!/^(https?|wss?):$/.test(u.protocol)) return true; // chrome-extension:, data:, blob: stay in the browser
    return u.host === model || /^(.+\.)?(github|githubassets|githubusercontent)\.com$/.test(u.hostname);
  };
  // The page (github.com) and the extension (service worker, offscreen document) are the initiators
  // a review can cause; Chromium's own services (initiator "not an origin") are the browser's, not ours.
  const ours = logged.filter((r) => r.initiator === 'https://github.com' || r.initiator.startsWith('chrome-extension://'));
  expect(ours.some((r) => r.url.startsWith(server.url) && r.initiator.startsWith('chrome-extension://'))).toBe(true);
  expect(ours.filter((r) => !allowed(r.url)).map((r) => `${r.initiator} -> ${r.url}`)).toEqual([]);
  expect(seen.filter((url) => !allowed(url))).toEqual([]);
  expect(seen.some((url) => url.includes('/pull/1'))).toBe(true);
});

