/**
 * Drives Debian's Firefox ESR with the built add-on (dist/firefox) over WebDriver BiDi, through
 * puppeteer from npm (installed without a browser download, see .puppeteerrc.cjs). GitHub is
 * served from saved pages by request interception, so the tests run offline.
 *
 * Facts this rests on (docs/firefox.md):
 *  - BiDi refuses to navigate to moz-extension:// pages unless Firefox starts with
 *    `-remote-allow-system-access`;
 *  - the pref `extensions.webextensions.uuids` pins the add-on's moz-extension:// address;
 *  - `page.goto('moz-extension://…')` never reports the navigation complete in Firefox ESR 153,
 *    so extension pages are opened with a short timeout and then waited on by readyState;
 *  - BiDi sees the requests of tabs and extension pages, but not the background page's own
 *    fetches (the `.diff` completion), so those cannot be served by interception.
 */
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const DIST = resolve(ROOT, process.env.LPR_FIREFOX_DIST ?? 'dist/firefox');
/**
 * The Firefox build with the e2e build's test hooks (vite --mode e2e-firefox): its shadow roots
 * are open, so a test can reach the Review button and the panel, which the shipped build keeps in
 * closed roots (docs/security.md). Otherwise the same code as dist/firefox.
 */
export const DIST_E2E = resolve(ROOT, process.env.LPR_FIREFOX_E2E_DIST ?? 'dist/firefox-e2e');
export const FIXTURES = join(ROOT, 'e2e', 'fixtures', 'github');

const GECKO_ID = (JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8')) as { browser_specific_settings: { gecko: { id: string } } })
  .browser_specific_settings.gecko.id;
/** Any fixed UUID: the pref below makes it the add-on's moz-extension:// host. */
export const UUID = '6f1d0b8e-2c4a-4e57-9a55-6c1f3a1e7b20';
export const EXTENSION_ORIGIN = `moz-extension://${UUID}`;

/** The WebExtension API as an extension page sees it (typed for what the tests call). */
export interface WebExtensionGlobal {
  runtime: { getBackgroundPage(): Promise<Window>; sendMessage(message: unknown): Promise<unknown> };
  storage: { sync: { get(keys: string[] | null): Promise<Record<string, unknown>> } };
}
/** `browser` inside page.evaluate on an extension page (cast there: the function is serialized). */
export type WithBrowser = { browser: WebExtensionGlobal };

export type RouteTable = Record<string, string | { body: string; status?: number; contentType?: string }>;

export interface FirefoxSession {
  browser: Browser;
  /** Opens an extension page (e.g. 'extension/options.html') in a new tab, ready to use. */
  openExtensionPage(path: string): Promise<Page>;
  /** Opens https://github.com<path> in a new tab, with github.com served from `routes`. */
  openGithub(path: string, routes: RouteTable): Promise<Page & { requested: string[] }>;
  close(): Promise<void>;
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Records CSP violations in every document of a tab from its first script on. */
const RECORD_VIOLATIONS = `
  globalThis.__name = (f) => f; // esbuild's keepNames helper, in case evaluated code carries it
  globalThis.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    globalThis.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' (' + e.originalPolicy + ')');
  });
`;

export async function launchFirefox(dist: string = DIST): Promise<FirefoxSession> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    args: ['-remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }),
      // Nothing of Firefox's own may wait on the network (this machine has none).
      'app.update.enabled': false,
      'browser.safebrowsing.update.enabled': false,
      'extensions.update.enabled': false,
    },
  });
  await browser.installExtension(dist);

  return {
    browser,
    async openExtensionPage(path) {
      const page = await browser.newPage();
      await page.evaluateOnNewDocument(RECORD_VIOLATIONS);
      // The navigation of a moz-extension:// page never reports completion over BiDi (see above).
      await page.goto(`${EXTENSION_ORIGIN}/${path}`, { timeout: 3_000 }).catch(() => undefined);
      await page.waitForFunction(() => document.readyState === 'complete', { timeout: 20_000 });
      return page;
    },
    async openGithub(path, routes) {
      const page = (await browser.newPage()) as Page & { requested: string[] };
      page.requested = [];
      await page.evaluateOnNewDocument(RECORD_VIOLATIONS);
      await page.setRequestInterception(true);
      page.on('request', (request: HTTPRequest) => void serve(request, routes, page.requested));
      await page.goto(`https://github.com${path}`, { waitUntil: 'load', timeout: 30_000 });
      return page;
    },
    async close() {
      await browser.close();
    },
  };
}

async function serve(request: HTTPRequest, routes: RouteTable, requested: string[]): Promise<void> {
  const url = new URL(request.url());
  if (url.hostname !== 'github.com') {
    // GitHub's asset hosts and anything else: a 404 at once, so nothing waits on a network.
    if (url.protocol === 'https:' || url.protocol === 'http:') return request.respond({ status: 404, body: '' });
    return request.continue();
  }
  requested.push(url.pathname);
  const entry = routes[url.pathname];
  if (entry === undefined) return request.respond({ status: 404, contentType: 'text/plain', body: 'not found' });
  const response = typeof entry === 'string' ? { body: entry } : entry;
  return request.respond({ status: response.status ?? 200, contentType: response.contentType ?? 'text/html', body: response.body });
}

/** CSP violations a tab's documents recorded since they loaded. */
export function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/**
 * Starts recording CSP violations in the background page (the engine host in Firefox), from an
 * extension page. It cannot be attached before the background starts; what the background does
 * at start-up is checked by it answering at all.
 */
export async function recordBackgroundViolations(extensionPage: Page): Promise<void> {
  await extensionPage.evaluate(async () => {
    const bg = (await (globalThis as unknown as WithBrowser).browser.runtime.getBackgroundPage()) as Window & { __cspViolations?: string[] };
    // A fresh record per watching page: one left by a page since closed is a dead object.
    const seen: string[] = (bg.__cspViolations = []);
    // The listener lives in this page; the background is same-origin and in the same process.
    bg.document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI} (${e.originalPolicy})`);
    });
  });
}

export function backgroundViolations(extensionPage: Page): Promise<string[] | null> {
  return extensionPage.evaluate(async () => {
    const bg = (await (globalThis as unknown as WithBrowser).browser.runtime.getBackgroundPage()) as Window & { __cspViolations?: string[] };
    return bg.__cspViolations ?? null;
  });
}

/** Marks the running background page, to tell later whether Firefox stopped and restarted it. */
export async function markBackground(extensionPage: Page, mark: string): Promise<void> {
  await extensionPage.evaluate(async (m) => {
    const bg = (await (globalThis as unknown as WithBrowser).browser.runtime.getBackgroundPage()) as Window & { __lprMark?: string };
    bg.__lprMark = m;
  }, mark);
}

/** The mark set on the background page, or null when the page running now is a new one. */
export function backgroundMark(extensionPage: Page): Promise<string | null> {
  return extensionPage.evaluate(async () => {
    const bg = (await (globalThis as unknown as WithBrowser).browser.runtime.getBackgroundPage()) as Window & { __lprMark?: string };
    return bg.__lprMark ?? null;
  });
}

/** Text (or null) of the first element with this test id, inside the panel's open shadow root too. */
export function testIdText(page: Page, testId: string): Promise<string | null> {
  // No named inner functions in evaluated code: tsx would wrap them in a helper the page lacks.
  return page.evaluate((id) => {
    const selector = `[data-testid="${id}"]`;
    const roots: Array<Document | ShadowRoot> = [document];
    for (let root = roots.pop(); root; root = roots.pop()) {
      const found = root.querySelector(selector);
      if (found) return found.textContent;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    return null;
  }, testId);
}

/** Clicks the first element with this test id (inside the panel's shadow root too). */
export async function clickTestId(page: Page, testId: string): Promise<void> {
  const handle = await page.waitForSelector(`>>> [data-testid="${testId}"]`, { timeout: 30_000 });
  await handle!.click();
}

/** Polls `read` until `done` holds, or fails with the last value after `timeoutMs`. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
}
