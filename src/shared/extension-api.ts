/**
 * The browser's own extension API, promise-based in both browsers we ship for (`browser` in
 * Firefox, `chrome` in Chrome MV3). Code that runs in the content script uses this instead of
 * webextension-polyfill: the polyfill is about 3 KB of the content script's 40 KB budget, and
 * everything the content script calls (runtime.sendMessage / connect / onMessage, storage.local)
 * already returns promises natively. Extension pages and the background keep the polyfill.
 */
type ExtensionApi = typeof chrome;

export function extensionApi(): ExtensionApi {
  return (globalThis as { browser?: ExtensionApi }).browser ?? chrome;
}
