import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { modelLibsWarning, modelLibsWarningPlugin } from './model-libs-warning';

describe('model library build warning', () => {
  it('names npm run fetch-model-libs when nothing is bundled (no index, empty, broken)', () => {
    for (const index of [null, '{"files":[]}', 'not json']) {
      expect(modelLibsWarning(index)).toMatch(/no web-llm model libraries.*`npm run fetch-model-libs`/);
    }
  });

  it('is silent when libraries are bundled', () => {
    expect(modelLibsWarning('{"files":["v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1-ctx4k_cs1k-webgpu.wasm"]}')).toBeNull();
  });

  it('the plugin prints it at the end of a build of a tree without libraries', () => {
    const root = mkdtempSync(join(tmpdir(), 'libs-warning-'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const plugin = modelLibsWarningPlugin(root);
    (plugin.closeBundle as () => void)();
    expect(warn.mock.calls.flat().join('')).toContain('npm run fetch-model-libs');
    warn.mockClear();
    mkdirSync(join(root, 'public/model-libs'), { recursive: true });
    writeFileSync(join(root, 'public/model-libs/index.json'), '{"files":["v0_2_86/base/x.wasm"]}');
    (plugin.closeBundle as () => void)();
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
