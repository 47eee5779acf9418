/**
 * The background's one-shot services: settings, Markdown lexing, opening the options page, review
 * memory (IndexedDB), the keyboard shortcut and toolbar button, and pruning old dismissals. (A PR's
 * diff is not fetched on request: the background completes it on its way to the engine host,
 * src/background/diff-completer.ts.)
 *
 * The extension API comes in as a parameter (`browser` from webextension-polyfill in the
 * background scripts) so the unit tests can drive the listeners without a browser.
 */
import type { Runtime } from 'webextension-polyfill';
import { ONE_SHOT_KINDS, hasKind, type BackgroundToTab, type OneShotRequest } from '../protocol';
import { ONE_SHOT_SCHEMA, checkMessage, failureText, malformedMessage } from '../protocol-schema';
import { lexMarkdown } from '../markdown/lexer';
import { loadSettings, saveSettings } from '../shared/settings-store';
import { browserStorageArea, type BrowserStorageLike, type StorageArea } from '../shared/storage-area';
import { DISMISSAL_MAX_AGE_MS, pruneDismissals } from '../shared/dismissals';
import { dispatch, type Handlers } from '../messaging/handlers';
import { memoryHandlers } from './review-memory';

/** Bounds on one lexing request (a review has a few dozen short texts). */
const MAX_LEX_SOURCES = 500;
const MAX_LEX_CHARS = 100_000;

interface Event<A extends unknown[], R = unknown> {
  addListener(listener: (...args: A) => R): void;
}

/** The part of the extension API these services use (webextension-polyfill's `browser` fits it). */
export interface OneShotBrowser {
  runtime: {
    id: string;
    openOptionsPage(): Promise<void>;
    onMessage: Event<[unknown, Runtime.MessageSender], Promise<unknown> | undefined>;
    onStartup: Event<[]>;
    onInstalled: Event<[]>;
  };
  storage: BrowserStorageLike;
  tabs: {
    query(query: { active: boolean; currentWindow: boolean }): Promise<Array<{ id?: number; url?: string }>>;
    sendMessage(tabId: number, message: BackgroundToTab): Promise<unknown>;
  };
  commands: { onCommand: Event<[string]> };
  action: { onClicked: Event<[]> };
}

/** One handler per one-shot kind, each answering with its own kind's reply. */
function oneShotHandlers(api: OneShotBrowser, sync: StorageArea): Handlers<OneShotRequest['kind']> {
  return {
    'options/open': async () => {
      await api.runtime.openOptionsPage();
      return { ok: true };
    },
    // Receiving it is the point (it resets Firefox's idle timer); there is nothing to do.
    'keepalive': () => ({ ok: true }),
    'settings/get': () => loadSettings(sync),
    'settings/save': async (request) => {
      const result = await saveSettings(sync, request.patch);
      return result.ok ? result : { ok: false, reason: result.reason };
    },
    'markdown/lex': (request) => ({ tokens: request.sources.slice(0, MAX_LEX_SOURCES).map((source) => lexMarkdown(String(source).slice(0, MAX_LEX_CHARS))) }),
    ...memoryHandlers(() => loadSettings(sync)),
  };
}

async function startReviewInActiveTab(api: OneShotBrowser): Promise<void> {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  if (tab?.id !== undefined && tab.url?.startsWith('https://github.com/')) {
    await api.tabs.sendMessage(tab.id, { kind: 'command/start-review' }).catch(() => undefined);
  } else {
    await api.runtime.openOptionsPage();
  }
}

/** Registers the listeners; call synchronously at the top of the background script. */
export function registerOneShotServices(api: OneShotBrowser): void {
  const handlers = oneShotHandlers(api, browserStorageArea(api.storage, 'sync'));
  api.runtime.onMessage.addListener((raw, sender) => {
    // Other kinds belong to other listeners (runtime.sendMessage reaches every extension context).
    if (!hasKind<OneShotRequest>(raw, ONE_SHOT_KINDS)) return undefined;
    const checked = checkMessage(ONE_SHOT_SCHEMA, raw);
    if (!checked.ok) return Promise.resolve({ ok: false, malformed: true, message: malformedMessage(checked.problem) });
    // Only our own content scripts (on github.com) may ask; a page cannot reach this listener anyway.
    if (sender.id !== api.runtime.id) return Promise.resolve({ ok: false, message: failureText(raw.kind, new Error('unknown sender')) });
    return dispatch(handlers, checked.message).catch((error: unknown) => ({ ok: false, message: failureText(raw.kind, error) }));
  });
  api.commands.onCommand.addListener((command) => {
    if (command === 'start-review') void startReviewInActiveTab(api);
  });
  api.action.onClicked.addListener(() => void startReviewInActiveTab(api));
  // Once per browser start (and install/update): old dismissals go, so storage.local stays small.
  const prune = () => void pruneDismissals(browserStorageArea(api.storage, 'local'), DISMISSAL_MAX_AGE_MS).catch(() => undefined);
  api.runtime.onStartup.addListener(prune);
  api.runtime.onInstalled.addListener(prune);
}
