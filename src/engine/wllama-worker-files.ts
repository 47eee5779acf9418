/**
 * What the build (scripts/vite/wllama-workers.ts) and the runtime (wllama-workers.ts) agree on
 * about wllama's packaged workers: the file names in the package and the markers that stand in
 * for wllama's worker code strings in the bundle.
 *
 * Why: wllama builds its workers from code strings turned into `blob:` URLs, which Firefox's
 * extension CSP blocks. The build writes those strings into files of the package instead and
 * replaces them in the bundle with these short markers, so the worker factory can tell which file
 * wllama asked for (and the main bundle no longer carries a copy of the worker code).
 */

/** Files written into the package, relative to its root. */
export const WLLAMA_WORKER_FILES = {
  /** The llama.cpp worker (module worker): wllama's worker glue around the emscripten module. */
  llama: 'wllama/llama-cpp-worker.js',
  /** The script each pthread runs (classic worker): the emscripten module alone. */
  pthread: 'wllama/llama-cpp-pthread.js',
  /** The worker that writes downloads into the OPFS cache (module worker). */
  opfs: 'wllama/opfs-worker.js',
} as const;

/** The markers that replace wllama's code strings in the bundle, by the library's variable name. */
export const WLLAMA_CODE_MARKERS = {
  LLAMA_CPP_WORKER_CODE: '/*@lpr-packaged:llama-cpp-worker@*/',
  WLLAMA_EMSCRIPTEN_CODE: '/*@lpr-packaged:emscripten@*/',
  JSPI_STUB: '/*@lpr-packaged:jspi-stub@*/',
  OPFS_UTILS_WORKER_CODE: '/*@lpr-packaged:opfs-worker@*/',
} as const;

/** Replaces the code wllama prepends when WebGPU is switched off (n_gpu_layers 0). */
export const NO_WEBGPU_MARKER = '/*@lpr-packaged:no-webgpu@*/';

/** Settings a packaged llama.cpp worker reads from its URL fragment (wllama's RUN_OPTIONS plus ours). */
export interface PackagedRunOptions {
  /** wllama's own RUN_OPTIONS, as it would have inlined them. */
  pathConfig: Record<string, string>;
  nbThread: number;
  compat: boolean;
  /** Hide WebGPU from the module (wllama does this when n_gpu_layers is 0). */
  noWebGPU: boolean;
  /** The pthread script's URL, fragment included (replaces wllama's blob). */
  pthreadUrl: string;
  /** e2e build only: turn the test-only f16 shim on (see scripts/vite/webgpu-f16-shim.ts). */
  f16Shim?: boolean;
}

/** Settings the pthread script reads from its URL fragment. */
export interface PackagedPthreadOptions {
  noWebGPU: boolean;
  f16Shim?: boolean;
}

/** Encodes settings for a worker URL's fragment (read back with `decodeFragment` in the worker). */
export function encodeFragment(options: object): string {
  return `#${encodeURIComponent(JSON.stringify(options))}`;
}
