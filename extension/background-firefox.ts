// Firefox background (event page): routes between tabs and an engine host running right here.
import browser from 'webextension-polyfill';
import { REVIEW_PORT } from '../src/protocol';
import { Router } from '../src/background/router';
import { createDiffCompleter } from '../src/background/diff-completer';
import { createPreparation } from '../src/background/request-preparation';
import { createInProcessLink } from '../src/background/in-process-link';
import { registerOneShotServices } from '../src/background/one-shot';
import { registerWelcome } from '../src/background/welcome';

const router = new Router(createInProcessLink(), createPreparation(createDiffCompleter()));

browser.runtime.onConnect.addListener((port) => {
  if (port.name === REVIEW_PORT) router.acceptContentPort(port);
});
registerOneShotServices(browser);

registerWelcome(browser);
