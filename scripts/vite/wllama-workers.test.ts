import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { NO_WEBGPU_MARKER, WLLAMA_CODE_MARKERS } from '../../src/engine/wllama-worker-files';
import { rewriteWllamaModule, workerFiles } from './wllama-workers';

const require = createRequire(import.meta.url);
const WLLAMA = readFileSync(require.resolve('@wllama/wllama/esm/index.js'), 'utf8');

describe('the wllama workers build step, on the installed @wllama/wllama', () => {
  const { code, sources } = rewriteWllamaModule(WLLAMA, '/factory.ts');

  it('takes the worker code out of the bundle and routes createWorker to our factory', () => {
    expect(code.startsWith('import { createPackagedWorker as __lprCreatePackagedWorker } from "/factory.ts";')).toBe(true);
    expect(code).toMatch(/var createWorker = \(workerCode\) => __lprCreatePackagedWorker\(workerCode\);/);
    for (const marker of [...Object.values(WLLAMA_CODE_MARKERS), NO_WEBGPU_MARKER]) expect(code).toContain(JSON.stringify(marker));
    expect(code).not.toContain('URL.createObjectURL');
    expect(code).not.toContain('wllama_action');
    expect(code.length).toBeLessThan(WLLAMA.length / 2);
  });

  it('writes the packaged files from the library\'s own strings, with the pthread script passed by URL', () => {
    const files = workerFiles(sources);
    const llama = files['wllama/llama-cpp-worker.js']!;
    expect(llama).toContain(sources.LLAMA_CPP_WORKER_CODE.replace('? argMainScriptBlob', '? RUN_OPTIONS.pthreadUrl'));
    expect(llama).toContain('var ___Module=typeof Module');
    expect(llama).not.toContain('argMainScriptBlob\n');
    expect(files['wllama/llama-cpp-pthread.js']).toContain(sources.JSPI_STUB + sources.WLLAMA_EMSCRIPTEN_CODE);
    expect(files['wllama/opfs-worker.js']).toContain(sources.OPFS_UTILS_WORKER_CODE);
    // Without the shim option no file mentions it.
    for (const text of Object.values(files)) expect(text).not.toContain('f16Shim)');
    // Each file parses as JavaScript.
    for (const [name, text] of Object.entries(files)) expect(() => new Function(text.replace(/^import .*$/gm, '')), name).not.toThrow();
  });

  it('fails the build when wllama changes shape', () => {
    expect(() => rewriteWllamaModule(WLLAMA.replace('var createWorker =', 'var makeWorker ='))).toThrow(/createWorker/);
    expect(() => rewriteWllamaModule(WLLAMA.replace('var JSPI_STUB =', 'var JSPI_STUB2 ='))).toThrow(/JSPI_STUB/);
  });
});
