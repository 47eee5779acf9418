/**
 * Upgrades settings stored by an older build to the current shape, one version at a time.
 *
 * Stored settings are a flat record (one storage.sync item per setting). A record without a
 * `version` item is version 0. To change the shape: bump DEFAULT_SETTINGS.version and append a
 * migration `from` the previous version. Migrations only reshape; settings-store validates after.
 */
import { DEFAULT_SETTINGS } from './settings';

export type StoredSettings = Record<string, unknown>;

export interface Migration {
  /** The version this migration upgrades from; it produces `from + 1`. */
  from: number;
  migrate(old: StoredSettings): StoredSettings;
}

/**
 * v0 (the first prototype) stored the model as `model` and the ignore patterns as one string of
 * newline-separated globs in `ignore`.
 */
function v0ToV1(old: StoredSettings): StoredSettings {
  const { model, ignore, ...rest } = old;
  const next: StoredSettings = { ...rest };
  if (next.modelId === undefined && (typeof model === 'string' || model === null)) next.modelId = model;
  if (next.ignorePatterns === undefined && typeof ignore === 'string') {
    next.ignorePatterns = ignore
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  }
  return next;
}

export const MIGRATIONS: readonly Migration[] = [{ from: 0, migrate: v0ToV1 }];

export const CURRENT_SETTINGS_VERSION: number = DEFAULT_SETTINGS.version;

export function storedVersion(raw: StoredSettings): number {
  const v = raw.version;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

export interface MigrationResult {
  values: StoredSettings;
  fromVersion: number;
  toVersion: number;
  /** Keys present before and gone after: the caller removes them from storage. */
  removedKeys: string[];
  /** Set when a migration threw; values are then the last good step, validated by the caller. */
  error?: string;
}

export function migrateSettings(
  raw: StoredSettings,
  migrations: readonly Migration[] = MIGRATIONS,
  target: number = CURRENT_SETTINGS_VERSION,
): MigrationResult {
  const fromVersion = storedVersion(raw);
  let values: StoredSettings = { ...raw };
  let version = fromVersion;
  let error: string | undefined;
  // A record from a newer build is left alone: downgrading would lose what it knows.
  while (version < target) {
    const step = migrations.find((m) => m.from === version);
    if (!step) {
      error = `No settings migration from version ${version}`;
      break;
    }
    try {
      values = { ...step.migrate(values), version: version + 1 };
    } catch (e) {
      error = `Settings migration from version ${version} failed: ${e instanceof Error ? e.message : String(e)}`;
      break;
    }
    version++;
  }
  if (error !== undefined) values = { ...values, version: target };
  const removedKeys = Object.keys(raw).filter((key) => !(key in values));
  return { values, fromVersion, toVersion: Math.max(version, fromVersion), removedKeys, ...(error ? { error } : {}) };
}
