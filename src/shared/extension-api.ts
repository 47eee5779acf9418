/**
 * The browser's own extension API, promise-based in both browsers we ship for (`browser` in
 * Firefox, `chrome` in Chrome MV3). Code that runs in the content script uses this instead of
 * webextension-polyfill: the polyfill is about 3 KB of the content script's 40 KB budget, and
 * everything the content script calls (runtime.sendMessage / connect / onMessage, storage.local)
 * already returns promises natively. Extension pages and the background keep the polyfill.
 */
import { fieldOf } from './guards';

type ExtensionApi = typeof chrome;

/** Firefox's `browser`, told from anything else a page could make of that name by the call we use. */
function isExtensionApi(value: unknown): value is ExtensionApi {
  return typeof fieldOf(fieldOf(value, 'runtime'), 'sendMessage') === 'function';
}

export function extensionApi(): ExtensionApi {
  const browser = fieldOf(globalThis, 'browser');
  return isExtensionApi(browser) ? browser : chrome;
}
