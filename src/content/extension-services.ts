/** What the content script asks of the rest of the extension, each behind one typed call. */
import browser from 'webextension-polyfill';
import type { OneShotRequest, OneShotResponse } from '../protocol';
import type { Settings } from '../shared/settings';
import { loadSettings } from '../shared/settings-store';
import { browserStorageArea } from '../shared/storage-area';

/** Sends a one-shot request; the request's kind decides the response type. */
export async function ask<K extends OneShotRequest['kind']>(
  request: Extract<OneShotRequest, { kind: K }>,
): Promise<OneShotResponse[K]> {
  return (await browser.runtime.sendMessage(request)) as OneShotResponse[K];
}

export function loadSettingsForReview(): Promise<Settings> {
  return loadSettings(browserStorageArea(browser.storage, 'sync'));
}

export async function openOptions(): Promise<void> {
  await ask({ kind: 'options/open' });
}
