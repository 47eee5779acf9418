/** The options page's settings: loaded once, each change saved at once, with what happened to say. */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { Settings } from '../../shared/settings';
import { loadSettings, saveSettings } from '../../shared/settings-store';
import { browserStorageArea } from '../../shared/storage-area';

const area = () => browserStorageArea(browser.storage, 'sync');

export type UpdateSettings = (patch: Partial<Settings>) => Promise<void>;

export function useOptionsSettings() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    loadSettings(area()).then(setSettings, (e: unknown) => setError(String(e)));
  }, []);

  async function update(patch: Partial<Settings>): Promise<void> {
    if (!settings) return;
    const next = { ...settings, ...patch };
    setSettings(next);
    const result = await saveSettings(area(), patch);
    if (result.ok) {
      setSettings(result.settings);
      setError('');
      setStatus('Saved');
    } else {
      setError(result.reason);
      setStatus('');
    }
  }

  return { settings, status, error, setError, update };
}
