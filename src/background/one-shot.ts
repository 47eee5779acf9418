/**
 * The background's one-shot services: settings, Markdown lexing, opening the options page, review
 * memory (IndexedDB), and the keyboard shortcut. (A PR's diff is not fetched on request: the
 * background completes it on its way to the engine host, src/background/diff-completer.ts.)
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { ONE_SHOT_KINDS, hasKind, type BackgroundToTab, type OneShotRequest } from '../protocol';
import { ONE_SHOT_SCHEMA, checkMessage, failureText, malformedMessage } from '../protocol-schema';
import { lexMarkdown } from '../markdown/lexer';
import { loadSettings, saveSettings } from '../shared/settings-store';
import { browserStorageArea } from '../shared/storage-area';
import { DISMISSAL_MAX_AGE_MS, pruneDismissals } from '../shared/dismissals';
import { dispatch, type Handlers } from '../messaging/handlers';
import { memoryHandlers } from './review-memory';

const syncArea = () => browserStorageArea(browser.storage, 'sync');

/** Bounds on one lexing request (a review has a few dozen short texts). */
const MAX_LEX_SOURCES = 500;
const MAX_LEX_CHARS = 100_000;

/** One handler per one-shot kind, each answering with its own kind's reply. */
const handlers: Handlers<OneShotRequest['kind']> = {
  'options/open': async () => {
    await browser.runtime.openOptionsPage();
    return { ok: true };
  },
  // Receiving it is the point (it resets Firefox's idle timer); there is nothing to do.
  'keepalive': () => ({ ok: true }),
  'settings/get': () => loadSettings(syncArea()),
  'settings/save': async (request) => {
    const result = await saveSettings(syncArea(), request.patch);
    return result.ok ? result : { ok: false, reason: result.reason };
  },
  'markdown/lex': (request) => ({ tokens: request.sources.slice(0, MAX_LEX_SOURCES).map((source) => lexMarkdown(String(source).slice(0, MAX_LEX_CHARS))) }),
  ...memoryHandlers(() => loadSettings(syncArea())),
};

async function startReviewInActiveTab(): Promise<void> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  const message: BackgroundToTab = { kind: 'command/start-review' };
  if (tab?.id !== undefined && tab.url?.startsWith('https://github.com/')) {
    await browser.tabs.sendMessage(tab.id, message).catch(() => undefined);
  } else {
    await browser.runtime.openOptionsPage();
  }
}

/** Registers the listeners; call synchronously at the top of the background script. */
export function registerOneShotServices(): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
    // Other kinds belong to other listeners (runtime.sendMessage reaches every extension context).
    if (!hasKind<OneShotRequest>(raw, ONE_SHOT_KINDS)) return undefined;
    const checked = checkMessage(ONE_SHOT_SCHEMA, raw);
    if (!checked.ok) return Promise.resolve({ ok: false, malformed: true, message: malformedMessage(checked.problem) });
    // Only our own content scripts (on github.com) may ask; a page cannot reach this listener anyway.
    if (sender.id !== browser.runtime.id) return Promise.resolve({ ok: false, message: failureText(raw.kind, new Error('unknown sender')) });
    return dispatch(handlers, checked.message).catch((error: unknown) => ({ ok: false, message: failureText(raw.kind, error) }));
  });
  browser.commands.onCommand.addListener((command: string) => {
    if (command === 'start-review') void startReviewInActiveTab();
  });
  browser.action.onClicked.addListener(() => void startReviewInActiveTab());
  // Once per browser start (and install/update): old dismissals go, so storage.local stays small.
  const prune = () => void pruneDismissals(browserStorageArea(browser.storage, 'local'), DISMISSAL_MAX_AGE_MS).catch(() => undefined);
  browser.runtime.onStartup.addListener(prune);
  browser.runtime.onInstalled.addListener(prune);
}
