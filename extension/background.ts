// Chrome service worker: routes between tabs and the offscreen engine host. Thin on purpose.
import browser from 'webextension-polyfill';
import { ENGINE_HOST_PORT, REVIEW_PORT } from '../src/protocol';
import { Router } from '../src/background/router';
import { createDiffCompleter } from '../src/background/diff-completer';
import { createPreparation } from '../src/background/request-preparation';
import { createOffscreenLink } from '../src/background/offscreen-link';
import { registerOneShotServices } from '../src/background/one-shot';
import { registerWelcome } from '../src/background/welcome';

const link = createOffscreenLink();
const router = new Router(link, createPreparation(createDiffCompleter()));

browser.runtime.onConnect.addListener((port) => {
  if (port.name === REVIEW_PORT) router.acceptContentPort(port);
  else if (port.name === ENGINE_HOST_PORT) link.acceptHostPort(port);
});
registerOneShotServices(browser);

registerWelcome(browser);
