/**
 * Settings in storage.sync: load (migrating and validating), save a patch, watch for changes.
 *
 * Each setting is its own storage item, so custom instructions get storage.sync's whole 8 KB
 * per-item quota instead of sharing it with everything else. Whatever is stored is untrusted
 * (another build, a sync conflict, a hand edit): a value that does not validate falls back to its
 * default and loading never throws.
 */
import type { EngineKind } from '../engine/engine';
import { localServerBase } from '../engine/local-server-url';
import { DEFAULT_SETTINGS, type Depth, type Settings } from './settings';
import { CURRENT_SETTINGS_VERSION, migrateSettings, type StoredSettings } from './settings-migrations';
import { hasKey, isOneOf, isRecord, isStringArray } from './guards';
import { itemBytes, SYNC_QUOTA_BYTES_PER_ITEM, type StorageArea, type StorageChange } from './storage-area';

export type SettingKey = keyof Settings;

const ENGINE_KINDS: readonly EngineKind[] = ['webllm', 'wllama', 'builtin', 'localserver', 'scripted'];
const DEPTHS: readonly Depth[] = ['quick', 'thorough'];

export const SETTING_LIMITS = {
  languageChars: 64,
  modelIdChars: 2048,
  ignorePatterns: 200,
  ignorePatternChars: 500,
  maxModelCalls: { min: 1, max: 500 },
  idleUnloadMinutes: { min: 1, max: 1440 },
} as const;

type Check<T> = (value: unknown) => { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T) => ({ ok: true as const, value });
const bad = (reason: string) => ({ ok: false as const, reason });

function integerIn(min: number, max: number, what: string): Check<number> {
  return (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? ok(v) : bad(`${what} must be a whole number from ${min} to ${max}.`);
}

function hostUrl(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const trimmed = v.trim();
  if (trimmed === '') return '';
  try {
    const url = new URL(trimmed);
    return url.protocol === 'https:' || url.protocol === 'http:' ? trimmed : null;
  } catch {
    return null;
  }
}

const CHECKS: { [K in SettingKey]: Check<Settings[K]> } = {
  version: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? ok(v) : bad('Invalid settings version.')),
  engine: (v) => (v === null || isOneOf(ENGINE_KINDS, v) ? ok(v) : bad('Unknown engine.')),
  modelId: (v) => {
    if (v === null || v === '') return ok(null);
    return typeof v === 'string' && v.length <= SETTING_LIMITS.modelIdChars ? ok(v.trim() || null) : bad('Invalid model.');
  },
  depth: (v) => (isOneOf(DEPTHS, v) ? ok(v) : bad('Depth must be quick or thorough.')),
  language: (v) => {
    const s = typeof v === 'string' ? v.trim() : '';
    return s !== '' && s.length <= SETTING_LIMITS.languageChars
      ? ok(s)
      : bad(`Language must be a name of 1 to ${SETTING_LIMITS.languageChars} characters.`);
  },
  customInstructions: (v) => (typeof v === 'string' ? ok(v) : bad('Custom instructions must be text.')),
  ignorePatterns: (v) => {
    if (!isStringArray(v)) return bad('Ignore patterns must be a list of globs.');
    const patterns = v.map((p) => p.trim()).filter((p) => p !== '');
    if (patterns.length > SETTING_LIMITS.ignorePatterns) return bad(`At most ${SETTING_LIMITS.ignorePatterns} ignore patterns.`);
    if (patterns.some((p) => p.length > SETTING_LIMITS.ignorePatternChars)) {
      return bad(`An ignore pattern is longer than ${SETTING_LIMITS.ignorePatternChars} characters.`);
    }
    return ok([...new Set(patterns)]);
  },
  maxModelCalls: integerIn(SETTING_LIMITS.maxModelCalls.min, SETTING_LIMITS.maxModelCalls.max, 'The model call limit'),
  idleUnloadMinutes: integerIn(SETTING_LIMITS.idleUnloadMinutes.min, SETTING_LIMITS.idleUnloadMinutes.max, 'The idle unload time'),
  modelHosts: (v) => {
    if (typeof v !== 'object' || v === null) return bad('Model hosts must be an object.');
    const webllm = hostUrl(('webllm' in v ? v.webllm : undefined) ?? '');
    const wllama = hostUrl(('wllama' in v ? v.wllama : undefined) ?? '');
    if (webllm === null || wllama === null) return bad('A model host must be an http(s) URL or empty.');
    return ok({ webllm, wllama });
  },
  showMarkers: (v) => (typeof v === 'boolean' ? ok(v) : bad('Show markers must be on or off.')),
  verifyFindings: (v) => (typeof v === 'boolean' ? ok(v) : bad('Verify findings must be on or off.')),
  localServerUrl: (v) => {
    const r = localServerBase(typeof v === 'string' ? v : '');
    return r.ok ? ok(r.url) : bad(r.reason);
  },
};

/** Every setting's key, from the table of checks (which lists each key of Settings exactly once). */
const SETTING_KEYS: SettingKey[] = Object.keys(CHECKS).filter((key) => hasKey(CHECKS, key));

function defaults(): Settings {
  return structuredClone(DEFAULT_SETTINGS);
}

export interface ValidatedSettings {
  settings: Settings;
  /** Stored keys whose value was invalid and fell back to the default. */
  dropped: SettingKey[];
}

/** Checks `value` for setting `key` and, when it is valid, writes it; false when it is not. */
function assign<K extends SettingKey>(settings: Settings, key: K, value: unknown): boolean {
  const result = CHECKS[key](value);
  if (result.ok) settings[key] = result.value;
  return result.ok;
}

/** Turns a stored (already migrated) record into Settings, defaulting whatever is missing or invalid. */
export function validateSettings(values: StoredSettings): ValidatedSettings {
  const settings = defaults();
  const dropped: SettingKey[] = [];
  for (const key of SETTING_KEYS) {
    if (key === 'version' || !(key in values)) continue;
    if (!assign(settings, key, values[key])) dropped.push(key);
  }
  settings.version = CURRENT_SETTINGS_VERSION;
  return { settings, dropped };
}

/** Bytes and limit for the custom-instructions item, for a counter next to the text box. */
export function customInstructionsUsage(text: string): { bytes: number; limit: number; fits: boolean } {
  const bytes = itemBytes('customInstructions', text);
  return { bytes, limit: SYNC_QUOTA_BYTES_PER_ITEM, fits: bytes <= SYNC_QUOTA_BYTES_PER_ITEM };
}

export interface LoadOptions {
  /** Write a migrated record back (default true). */
  persistMigration?: boolean;
}

/** The current settings. Never throws: an unreadable area yields the defaults. */
export async function loadSettings(area: StorageArea, options: LoadOptions = {}): Promise<Settings> {
  let raw: StoredSettings;
  try {
    raw = (await area.get(null)) ?? {};
  } catch {
    return defaults();
  }
  const migration = migrateSettings(raw);
  const { settings } = validateSettings(migration.values);
  const needsWrite = Object.keys(raw).length > 0 && migration.fromVersion < migration.toVersion;
  if (needsWrite && options.persistMigration !== false) {
    try {
      const items: Record<string, unknown> = {};
      for (const key of SETTING_KEYS) if (key in migration.values) items[key] = settings[key];
      items.version = CURRENT_SETTINGS_VERSION;
      await area.set(items);
      if (migration.removedKeys.length) await area.remove(migration.removedKeys);
    } catch {
      // The migrated settings are still correct in memory; the next load tries again.
    }
  }
  return settings;
}

export type SaveResult =
  | { ok: true; settings: Settings }
  | { ok: false; key: SettingKey | null; reason: string };

/**
 * Validates and stores a partial change. Nothing is written unless every key in the patch is
 * valid and fits storage.sync's per-item quota.
 */
export async function saveSettings(area: StorageArea, patch: Partial<Settings>): Promise<SaveResult> {
  const items: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'version') continue;
    if (!hasKey(CHECKS, key)) return { ok: false, key: null, reason: `Unknown setting "${key}".` };
    const settingKey = key;
    const result = CHECKS[settingKey](value);
    if (!result.ok) return { ok: false, key: settingKey, reason: result.reason };
    const bytes = itemBytes(settingKey, result.value);
    if (bytes > SYNC_QUOTA_BYTES_PER_ITEM) {
      const reason =
        settingKey === 'customInstructions'
          ? `Custom instructions are too long: ${bytes} bytes, browser sync storage allows ${SYNC_QUOTA_BYTES_PER_ITEM}. Shorten them by ${bytes - SYNC_QUOTA_BYTES_PER_ITEM} bytes.`
          : `The setting "${settingKey}" is too large for browser sync storage (${bytes} of ${SYNC_QUOTA_BYTES_PER_ITEM} bytes).`;
      return { ok: false, key: settingKey, reason };
    }
    items[settingKey] = result.value;
  }
  try {
    // Migrate first so a patch never lands on top of an old-shaped record.
    await loadSettings(area);
    if (Object.keys(items).length) await area.set({ ...items, version: CURRENT_SETTINGS_VERSION });
  } catch (e) {
    return { ok: false, key: null, reason: `Could not save settings: ${e instanceof Error ? e.message : String(e)}` };
  }
  return { ok: true, settings: await loadSettings(area) };
}

/** Removes every stored setting, so the defaults apply again. */
export async function resetSettings(area: StorageArea): Promise<void> {
  await area.remove([...SETTING_KEYS]);
}

/**
 * Calls back with the full settings whenever a setting changes (in this or another context, or on
 * another synced machine). Returns the unsubscribe function.
 */
export function onSettingsChanged(
  area: StorageArea,
  callback: (settings: Settings, changedKeys: SettingKey[]) => void,
): () => void {
  let latest = 0;
  const listener = (changes: Record<string, StorageChange>) => {
    const changedKeys = SETTING_KEYS.filter((key) => key in changes && key !== 'version');
    if (changedKeys.length === 0) return;
    const ticket = ++latest;
    void loadSettings(area, { persistMigration: false }).then((settings) => {
      // Two quick changes: only the newer read is delivered.
      if (ticket === latest) callback(settings, changedKeys);
    });
  };
  area.onChanged.addListener(listener);
  return () => area.onChanged.removeListener(listener);
}
