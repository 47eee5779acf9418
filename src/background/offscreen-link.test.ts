/**
 * The offscreen link in Chrome's service worker. `chrome.offscreen` and `chrome.runtime` exist
 * only inside the browser, so they are doubled here (the e2e specs run the real ones).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { createOffscreenLink } from './offscreen-link';

function fakeChrome() {
  let exists = false;
  const created: string[] = [];
  const chromeDouble = {
    runtime: {
      id: 'ext',
      ContextType: { OFFSCREEN_DOCUMENT: 'OFFSCREEN_DOCUMENT' },
      getContexts: vi.fn(async () => (exists ? [{}] : [])),
      sendMessage: vi.fn(async () => undefined),
      onMessage: { addListener: vi.fn() },
    },
    offscreen: {
      Reason: { WORKERS: 'WORKERS' },
      createDocument: vi.fn(async ({ url }: { url: string }) => {
        // Chrome's own rule, which a second concurrent start used to hit.
        if (exists) throw new Error('Only a single offscreen document may be created.');
        await new Promise((r) => setTimeout(r, 5));
        exists = true;
        created.push(url);
      }),
      closeDocument: vi.fn(async () => {
        exists = false;
      }),
    },
  };
  vi.stubGlobal('chrome', chromeDouble);
  return { chromeDouble, created };
}

/** The Port the offscreen document opens back to the service worker once it runs. */
function hostPort() {
  const listeners: Array<(m: unknown) => void> = [];
  const port = {
    postMessage: vi.fn(),
    onMessage: { addListener: (l: (m: unknown) => void) => listeners.push(l) },
    onDisconnect: { addListener: vi.fn() },
  };
  return { port: port as unknown as Runtime.Port, say: (m: unknown) => listeners.forEach((l) => l(m)) };
}

afterEach(() => vi.unstubAllGlobals());

describe('offscreen link', () => {
  it('creates one document when a review and an options page ask at the same time', async () => {
    const { created } = fakeChrome();
    const link = createOffscreenLink(1000);
    const first = link.ensure();
    const second = link.ensure();
    await new Promise((r) => setTimeout(r, 20));
    const host = hostPort();
    link.acceptHostPort(host.port);
    host.say({ kind: 'host/ready' });
    await expect(Promise.all([first, second])).resolves.toBeDefined();
    expect(created).toEqual(['extension/offscreen.html']);
  });

  it('gives up with a retryable failure, and closes the silent document, when the host never answers', async () => {
    const { chromeDouble } = fakeChrome();
    const link = createOffscreenLink(30);
    await expect(link.ensure()).rejects.toMatchObject({ failure: { code: 'host-unavailable', retryable: true } });
    expect(chromeDouble.offscreen.closeDocument).toHaveBeenCalledTimes(1);
  });
});
