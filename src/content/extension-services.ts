/** What the content script asks of the rest of the extension, each behind one typed call. */
import { extensionApi } from '../shared/extension-api';
import type { Settings } from '../shared/settings';
import { browserStorageArea, type StorageArea } from '../shared/storage-area';
import { askHost } from '../ui/model-manager/host-client';
import type { FirstRunOffer } from '../ui/panel/panel-state';

import { ask } from '../messaging/ask';

// Re-exported for the content script's modules that already import it from here.
export { ask };

/** The current settings, read and validated by the background. */
export function loadSettingsForReview(): Promise<Settings> {
  return ask({ kind: 'settings/get' });
}

export async function openOptions(): Promise<void> {
  await ask({ kind: 'options/open' });
}

/** Saves settings (the first-run choice); resolves to the saved settings or the reason it failed. */
export async function saveSettingsPatch(patch: Partial<Settings>): Promise<{ ok: true; settings: Settings } | { ok: false; reason: string }> {
  return ask({ kind: 'settings/save', patch });
}

/** storage.local, where dismissals live. */
export function localArea(): StorageArea {
  return browserStorageArea(extensionApi().storage, 'local');
}

/** The engine host's offer for the first-run state; never throws. */
export async function loadFirstRunOffer(settings: Settings): Promise<{ offer: FirstRunOffer; error?: string }> {
  let offer: FirstRunOffer = { choice: null, models: [] };
  let error: string | undefined;
  try {
    const answer = await askHost({ kind: 'models/list', settings });
    if (answer.ok) offer = { choice: answer.choice, models: answer.models };
    else error = answer.message;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  if (__E2E__) {
    // The e2e build offers its scripted engine too, so the first-run flow can be driven offline.
    offer.models = [
      ...offer.models,
      { engine: 'scripted', id: 'scripted?delay=150&loadMs=6000', label: 'Scripted test model', sizeBytes: 4_000_000, vramMB: null, contextWindow: 4096, fits: true, cached: false, recommended: true, code: true, runnable: true },
    ];
  }
  return error === undefined ? { offer } : { offer, error };
}
