import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from './settings';
import { migrateSettings, type Migration } from './settings-migrations';
import { customInstructionsUsage, loadSettings, onSettingsChanged, resetSettings, saveSettings } from './settings-store';
import { createMemoryArea, SYNC_QUOTA_BYTES_PER_ITEM } from './storage-area';

const syncArea = (initial: Record<string, unknown> = {}) => createMemoryArea(initial, { quotaBytesPerItem: SYNC_QUOTA_BYTES_PER_ITEM });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('loadSettings', () => {
  it('gives the defaults on first run without writing anything', async () => {
    const area = syncArea();
    expect(await loadSettings(area)).toEqual(DEFAULT_SETTINGS);
    expect(area.snapshot()).toEqual({});
  });

  it('drops invalid or unknown stored values back to their defaults', async () => {
    const area = syncArea({
      version: 1,
      engine: 'gpt-cloud',
      depth: 'quick',
      maxModelCalls: -3,
      idleUnloadMinutes: 2.5,
      language: '',
      ignorePatterns: 'dist/**',
      modelHosts: { webllm: 'javascript:alert(1)', wllama: '' },
      showMarkers: 'yes',
      somethingElse: 42,
    });
    const settings = await loadSettings(area);
    expect(settings.depth).toBe('quick');
    expect(settings.engine).toBe(DEFAULT_SETTINGS.engine);
    expect(settings.maxModelCalls).toBe(DEFAULT_SETTINGS.maxModelCalls);
    expect(settings.idleUnloadMinutes).toBe(DEFAULT_SETTINGS.idleUnloadMinutes);
    expect(settings.language).toBe(DEFAULT_SETTINGS.language);
    expect(settings.ignorePatterns).toEqual([]);
    expect(settings.modelHosts).toEqual(DEFAULT_SETTINGS.modelHosts);
    expect(settings.showMarkers).toBe(true);
    expect(settings).not.toHaveProperty('somethingElse');
  });

  it('returns the defaults when the storage area itself fails', async () => {
    const area = syncArea();
    area.get = () => Promise.reject(new Error('storage is disabled'));
    expect(await loadSettings(area)).toEqual(DEFAULT_SETTINGS);
  });

  it('hands out a fresh copy, so a caller mutating it cannot change the defaults', async () => {
    const first = await loadSettings(syncArea());
    first.ignorePatterns.push('x');
    first.modelHosts.webllm = 'https://mirror.example';
    expect(await loadSettings(syncArea())).toEqual(DEFAULT_SETTINGS);
  });
});

describe('migrations', () => {
  it('upgrades a v0 record (model, newline-separated ignore) to v1 and stores the result', async () => {
    const area = syncArea({
      model: 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC',
      ignore: 'dist/**\n\n  *.snap  \n# a comment\ndocs/**',
      depth: 'quick',
    });
    const settings = await loadSettings(area);
    expect(settings.modelId).toBe('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC');
    expect(settings.ignorePatterns).toEqual(['dist/**', '*.snap', 'docs/**']);
    expect(settings.depth).toBe('quick');
    expect(settings.version).toBe(1);
    const stored = area.snapshot();
    expect(stored).toMatchObject({ version: 1, modelId: settings.modelId, ignorePatterns: settings.ignorePatterns, depth: 'quick' });
    expect(stored).not.toHaveProperty('model');
    expect(stored).not.toHaveProperty('ignore');
  });

  it('runs migrations in order from the stored version', () => {
    const chain: Migration[] = [
      { from: 0, migrate: (o) => ({ ...o, steps: ['0→1'] }) },
      { from: 1, migrate: (o) => ({ ...o, steps: [...(o.steps as string[]), '1→2'] }) },
      { from: 2, migrate: (o) => ({ ...o, steps: [...(o.steps as string[] ?? []), '2→3'] }) },
    ];
    expect(migrateSettings({}, chain, 3).values).toEqual({ steps: ['0→1', '1→2', '2→3'], version: 3 });
    expect(migrateSettings({ version: 2 }, chain, 3).values).toEqual({ steps: ['2→3'], version: 3 });
  });

  it('does not downgrade a record written by a newer build', () => {
    const result = migrateSettings({ version: 7, depth: 'quick' });
    expect(result.values).toEqual({ version: 7, depth: 'quick' });
  });

  it('survives a migration that throws and reports it', () => {
    const result = migrateSettings({ depth: 'quick' }, [{ from: 0, migrate: () => { throw new Error('boom'); } }], 1);
    expect(result.error).toContain('boom');
    expect(result.values.depth).toBe('quick');
  });
});

describe('saveSettings', () => {
  it('stores a valid patch and returns the merged settings', async () => {
    const area = syncArea();
    const result = await saveSettings(area, { language: 'Deutsch', ignorePatterns: [' a/** ', '', 'a/**'] });
    expect(result).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, language: 'Deutsch', ignorePatterns: ['a/**'] } });
    expect(await loadSettings(area)).toMatchObject({ language: 'Deutsch', ignorePatterns: ['a/**'] });
  });

  it('rejects an invalid value with a reason and writes nothing', async () => {
    const area = syncArea();
    const result = await saveSettings(area, { language: 'Deutsch', maxModelCalls: 0 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.key).toBe('maxModelCalls');
      expect(result.reason).toMatch(/1 to 500/);
    }
    expect(area.snapshot()).toEqual({});
  });

  it('accepts custom instructions up to the sync item quota and explains when they are too long', async () => {
    const area = syncArea();
    const fits = 'x'.repeat(SYNC_QUOTA_BYTES_PER_ITEM - customInstructionsUsage('').bytes);
    expect(customInstructionsUsage(fits).fits).toBe(true);
    expect((await saveSettings(area, { customInstructions: fits })).ok).toBe(true);

    // Multi-byte characters count by their UTF-8 size, as the browser counts them.
    const tooLong = 'ä'.repeat(5000);
    const result = await saveSettings(area, { customInstructions: tooLong });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.key).toBe('customInstructions');
      expect(result.reason).toMatch(/Custom instructions are too long: \d+ bytes/);
    }
    expect((await loadSettings(area)).customInstructions).toBe(fits);
  });

  it('reports a storage failure instead of throwing', async () => {
    const area = syncArea();
    area.set = () => Promise.reject(new Error('MAX_WRITE_OPERATIONS_PER_MINUTE quota exceeded'));
    const result = await saveSettings(area, { depth: 'quick' });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('MAX_WRITE_OPERATIONS_PER_MINUTE') });
  });

  it('resetSettings brings back the defaults', async () => {
    const area = syncArea();
    await saveSettings(area, { depth: 'quick', showMarkers: false });
    await resetSettings(area);
    expect(await loadSettings(area)).toEqual(DEFAULT_SETTINGS);
  });
});

describe('onSettingsChanged', () => {
  it('delivers the new settings and the changed keys, until unsubscribed', async () => {
    const area = syncArea();
    const seen: Array<[string, string[]]> = [];
    const stop = onSettingsChanged(area, (settings, keys) => seen.push([settings.language, keys]));
    await saveSettings(area, { language: 'Français' });
    await tick();
    expect(seen).toEqual([['Français', ['language']]]);
    stop();
    await saveSettings(area, { language: 'Español' });
    await tick();
    expect(seen).toHaveLength(1);
  });

  it('ignores changes to items that are not settings', async () => {
    const area = syncArea();
    let calls = 0;
    onSettingsChanged(area, () => calls++);
    await area.set({ unrelated: 1 });
    await tick();
    expect(calls).toBe(0);
  });
});
