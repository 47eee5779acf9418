/**
 * A fresh install opens the welcome (how to start, the shortcut, the model choice). The e2e build
 * leaves it out: every e2e test installs the extension anew, and an extra tab would run in each.
 */
import type { Browser } from 'webextension-polyfill';
import { welcomePath } from '../shared/welcome-route';

export function registerWelcome(api: Pick<Browser, 'runtime' | 'tabs'>): void {
  api.runtime.onInstalled.addListener(({ reason }) => {
    const path = welcomePath(reason);
    if (path && !__E2E__) void api.tabs.create({ url: api.runtime.getURL(path) }).catch(() => undefined);
  });
}
