// Two doubles, both at boundaries that cannot run in Node: the extension API (its events are
// recorded and fired by hand; its storage is the in-memory area with the browser's semantics)
// and IndexedDB (fake-indexeddb implements the spec in memory). The services are the real code.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { createMemoryArea, SYNC_QUOTA_BYTES_PER_ITEM, type StorageChange } from '../shared/storage-area';
import { dismissFinding, listDismissed, DISMISSAL_MAX_AGE_MS } from '../shared/dismissals';
import { registerOneShotServices, type OneShotBrowser } from './one-shot';

const OWN_ID = 'own-extension-id';
const DAY = 24 * 60 * 60 * 1000;

function fakeBrowser(tabs: Array<{ id?: number; url?: string }> = []) {
  const sync = createMemoryArea({}, { quotaBytesPerItem: SYNC_QUOTA_BYTES_PER_ITEM });
  const local = createMemoryArea();
  const changeListeners: Array<(changes: Record<string, StorageChange>, area: string) => void> = [];
  sync.onChanged.addListener((changes) => changeListeners.forEach((l) => l(changes, 'sync')));
  local.onChanged.addListener((changes) => changeListeners.forEach((l) => l(changes, 'local')));
  const heard = { message: [] as Array<(raw: unknown, sender: Runtime.MessageSender) => Promise<unknown> | undefined>, startup: [] as Array<() => unknown>, command: [] as Array<(c: string) => unknown>, click: [] as Array<() => unknown> };
  const seen = { optionsOpened: 0, sentToTab: [] as Array<[number, unknown]> };
  const api: OneShotBrowser = {
    runtime: {
      id: OWN_ID,
      openOptionsPage: async () => void seen.optionsOpened++,
      onMessage: { addListener: (l) => void heard.message.push(l) },
      onStartup: { addListener: (l) => void heard.startup.push(l) },
      onInstalled: { addListener: () => undefined },
    },
    storage: { sync, local, onChanged: { addListener: (l) => void changeListeners.push(l), removeListener: () => undefined } },
    tabs: { query: async () => tabs, sendMessage: async (id, message) => void seen.sentToTab.push([id, message]) },
    commands: { onCommand: { addListener: (l) => void heard.command.push(l) } },
    action: { onClicked: { addListener: (l) => void heard.click.push(l) } },
  };
  registerOneShotServices(api);
  const [listener] = heard.message;
  if (!listener) throw new Error('no message listener registered');
  const ask = (message: unknown, senderId = OWN_ID) => listener(message, { id: senderId });
  return { ask, sync, local, heard, seen };
}

describe('the background one-shot services', () => {
  it('saves settings the options page changes and reads them back; a bad value gets a reason, not a save', async () => {
    const bg = fakeBrowser();
    expect(await bg.ask({ kind: 'settings/save', patch: { depth: 'quick', language: 'Deutsch' } })).toMatchObject({ ok: true, settings: { depth: 'quick', language: 'Deutsch' } });
    expect(await bg.ask({ kind: 'settings/get' })).toMatchObject({ depth: 'quick', language: 'Deutsch' });
    const refused = await bg.ask({ kind: 'settings/save', patch: { customInstructions: 'x'.repeat(20_000) } });
    expect(refused).toMatchObject({ ok: false, reason: expect.any(String) });
    expect(await bg.ask({ kind: 'settings/get' })).toMatchObject({ customInstructions: '' });
  });

  it('answers a malformed request with a sentence, and one from another extension with a refusal', async () => {
    const bg = fakeBrowser();
    expect(await bg.ask({ kind: 'reviews/latest', owner: 'o', repo: 'r', number: 'one' })).toEqual({
      ok: false,
      malformed: true,
      message: 'local-pr-review refused a malformed message (reviews/latest: number must be a number).',
    });
    expect(await bg.ask({ kind: 'settings/get' }, 'someone-else')).toMatchObject({ ok: false, message: 'unknown sender' });
    // Kinds that are not the background's own are left to their listeners (the engine host's).
    expect(bg.ask({ kind: 'models/list' })).toBeUndefined();
    expect(bg.ask({ kind: 'diff/fetch', ref: { owner: 'o', repo: 'r', number: 1 } })).toBeUndefined();
  });

  it('lexes Markdown for the panel, so the content script carries no parser', async () => {
    const bg = fakeBrowser();
    const answer = await bg.ask({ kind: 'markdown/lex', sources: ['**bold** and `code`'] });
    expect(JSON.stringify(answer)).toContain('"bold"');
    expect(JSON.stringify(answer)).toContain('"code"');
  });

  it('keeps a review in memory and finds it again for the PR', async () => {
    const bg = fakeBrowser();
    const review = { summary: 'Kept', risks: [], changes: [], walkthrough: [], findings: [], coverage: [], truncated: false, stats: {} };
    const key = { owner: 'octo', repo: 'one-shot', number: 9, headSha: 'abc', modelId: 'm' };
    expect(await bg.ask({ kind: 'reviews/save', key, settings: { depth: 'quick', language: 'English', customInstructions: '', ignorePatterns: [] }, review })).toMatchObject({ ok: true });
    expect(await bg.ask({ kind: 'reviews/latest', owner: 'octo', repo: 'one-shot', number: 9, headSha: 'abc' })).toMatchObject({ ok: true, value: { review: { summary: 'Kept' }, outdated: false } });
  });

  it('the shortcut and the toolbar button start a review on a GitHub tab, and open the options elsewhere', async () => {
    const onGithub = fakeBrowser([{ id: 7, url: 'https://github.com/o/r/pull/1/files' }]);
    onGithub.heard.command.forEach((l) => l('start-review'));
    await new Promise((r) => setTimeout(r, 0));
    expect(onGithub.seen.sentToTab).toEqual([[7, { kind: 'command/start-review' }]]);
    const elsewhere = fakeBrowser([{ id: 8, url: 'https://example.com/' }]);
    elsewhere.heard.click.forEach((l) => l());
    await new Promise((r) => setTimeout(r, 0));
    expect(elsewhere.seen.sentToTab).toEqual([]);
    expect(elsewhere.seen.optionsOpened).toBe(1);
  });

  it('forgets dismissals not touched for 90 days when the browser starts, and keeps recent ones', async () => {
    const bg = fakeBrowser();
    const old = { owner: 'o', repo: 'r', number: 1, headSha: 'old' };
    const recent = { owner: 'o', repo: 'r', number: 1, headSha: 'new' };
    await dismissFinding(bg.local, old, 'f1', Date.now() - DISMISSAL_MAX_AGE_MS - DAY);
    await dismissFinding(bg.local, recent, 'f2', Date.now() - DAY);
    bg.heard.startup.forEach((l) => l());
    await new Promise((r) => setTimeout(r, 10));
    expect(await listDismissed(bg.local, old)).toEqual(new Set());
    expect(await listDismissed(bg.local, recent)).toEqual(new Set(['f2']));
  });
});
