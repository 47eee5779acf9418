import { describe, expect, it } from 'vitest';
import { NO_WEBGPU_MARKER, WLLAMA_CODE_MARKERS as M } from './wllama-worker-files';
import { packagedWorkerFor, parseLlamaWorkerCode } from './wllama-workers';

const BASE = 'chrome-extension://abc/extension/offscreen.html';

/** The code wllama 3.13's ProxyToWorker.moduleInit assembles, with the build's markers in it. */
function llamaWorkerCode(runOptions: object, noWebGPU: boolean): string {
  let moduleCode = M.JSPI_STUB + M.WLLAMA_EMSCRIPTEN_CODE;
  if (noWebGPU) moduleCode = NO_WEBGPU_MARKER + moduleCode;
  const main = moduleCode.replace('var Module', 'var ___Module');
  return [`const RUN_OPTIONS = ${JSON.stringify(runOptions)};`, `function wModuleInit() { ${main}; return Module; }`, M.LLAMA_CPP_WORKER_CODE].join(';\n\n');
}

const RUN = { pathConfig: { 'wllama.wasm': 'chrome-extension://abc/assets/wllama-x.wasm' }, nbThread: 2, compat: false };

function fragment(url: string): Record<string, unknown> {
  return JSON.parse(decodeURIComponent(new URL(url).hash.slice(1))) as Record<string, unknown>;
}

describe('packaged wllama workers', () => {
  it('maps the llama.cpp worker to its packaged file, with wllama\'s settings and the pthread script URL in the fragment', () => {
    const request = packagedWorkerFor(llamaWorkerCode(RUN, false), BASE, { f16Shim: false });
    expect(request.type).toBe('module');
    expect(request.url.startsWith('chrome-extension://abc/wllama/llama-cpp-worker.js#')).toBe(true);
    const options = fragment(request.url);
    expect(options).toMatchObject({ ...RUN, noWebGPU: false });
    expect(options.f16Shim).toBeUndefined();
    const pthread = options.pthreadUrl as string;
    expect(pthread.startsWith('chrome-extension://abc/wllama/llama-cpp-pthread.js#')).toBe(true);
    expect(fragment(pthread)).toEqual({ noWebGPU: false });
  });

  it('keeps wllama\'s "no WebGPU" switch (n_gpu_layers 0) and the e2e shim switch for both scripts', () => {
    const request = packagedWorkerFor(llamaWorkerCode(RUN, true), BASE, { f16Shim: true });
    const options = fragment(request.url);
    expect(options).toMatchObject({ noWebGPU: true, f16Shim: true });
    expect(fragment(options.pthreadUrl as string)).toEqual({ noWebGPU: true, f16Shim: true });
  });

  it('maps the OPFS cache worker to its file', () => {
    expect(packagedWorkerFor(M.OPFS_UTILS_WORKER_CODE, BASE)).toEqual({ url: 'chrome-extension://abc/wllama/opfs-worker.js', type: 'module', file: 'opfs' });
  });

  it('refuses any other code instead of starting it from a blob', () => {
    expect(() => packagedWorkerFor('postMessage(1)', BASE)).toThrow(/does not package/);
    expect(() => packagedWorkerFor(new Blob(['x']), BASE)).toThrow(/does not package/);
    // The real library code (a build without the plugin) is not a marker either.
    expect(() => packagedWorkerFor(llamaWorkerCode(RUN, false).replace(M.LLAMA_CPP_WORKER_CODE, 'let Module = null;'), BASE)).toThrow(/does not package/);
    expect(parseLlamaWorkerCode('const RUN_OPTIONS = {oops;\n\nx;\n\ny')).toBeNull();
  });
});
