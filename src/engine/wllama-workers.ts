/**
 * The worker factory wllama calls instead of its own: the build (scripts/vite/wllama-workers.ts)
 * rewrites wllama's `createWorker` to call `createPackagedWorker`, and replaces wllama's worker
 * code strings with markers (wllama-worker-files.ts). Here each request is mapped to the file the
 * build wrote into the package, so no worker ever starts from a `blob:` URL (Firefox's extension
 * CSP blocks those) and the CSP stays `script-src 'self' 'wasm-unsafe-eval'`.
 *
 * It also reports what the workers do (errors, messages) to whoever watches a load, so a worker
 * that fails to start ends the load with an error instead of leaving it hanging
 * (see wllama-load-watch.ts).
 */
import {
  NO_WEBGPU_MARKER,
  WLLAMA_CODE_MARKERS as M,
  WLLAMA_WORKER_FILES,
  encodeFragment,
  type PackagedPthreadOptions,
  type PackagedRunOptions,
} from './wllama-worker-files';
import { fieldOf, isRecord } from '../shared/guards';

export interface WorkerRequest {
  url: string;
  type: WorkerType;
  /** Which packaged file: for messages and tests. */
  file: keyof typeof WLLAMA_WORKER_FILES;
}

/** Settings of ours that ride along in the worker URL (set by the engine before a load). */
export interface PackagedWorkerSettings {
  /** e2e build only: turn the test-only f16 shim on in the llama.cpp workers. */
  f16Shim: boolean;
}

let settings: PackagedWorkerSettings = { f16Shim: false };

export function setPackagedWorkerSettings(next: PackagedWorkerSettings): void {
  settings = { ...next };
}

const RUN_OPTIONS_HEAD = 'const RUN_OPTIONS = ';

/**
 * Reads the code wllama's `ProxyToWorker.moduleInit` assembles for its llama.cpp worker:
 * `const RUN_OPTIONS = {…};` + `function wModuleInit() { <module code>; return Module; }` + the
 * worker glue, where every piece of library code is a marker. Null when it is anything else.
 */
export function parseLlamaWorkerCode(code: string): { runOptions: Pick<PackagedRunOptions, 'pathConfig' | 'nbThread' | 'compat'>; noWebGPU: boolean } | null {
  if (!code.startsWith(RUN_OPTIONS_HEAD)) return null;
  const parts = code.split(';\n\n');
  if (parts.length !== 3 || parts[2] !== M.LLAMA_CPP_WORKER_CODE) return null;
  const moduleCode = M.JSPI_STUB + M.WLLAMA_EMSCRIPTEN_CODE;
  let noWebGPU: boolean;
  if (parts[1] === `function wModuleInit() { ${moduleCode}; return Module; }`) noWebGPU = false;
  else if (parts[1] === `function wModuleInit() { ${NO_WEBGPU_MARKER}${moduleCode}; return Module; }`) noWebGPU = true;
  else return null;
  let runOptions: unknown;
  try {
    runOptions = JSON.parse(parts[0]!.slice(RUN_OPTIONS_HEAD.length).replace(/;$/, ''));
  } catch {
    return null;
  }
  if (!isRunOptions(runOptions)) return null;
  return { runOptions: { pathConfig: runOptions.pathConfig, nbThread: runOptions.nbThread, compat: runOptions.compat }, noWebGPU };
}

function isRunOptions(v: unknown): v is Pick<PackagedRunOptions, 'pathConfig' | 'nbThread' | 'compat'> {
  return isRecord(v) && typeof v.pathConfig === 'object' && typeof v.nbThread === 'number' && typeof v.compat === 'boolean';
}

/** The packaged file (and its settings) for the code wllama wanted to run; throws for anything else. */
export function packagedWorkerFor(code: string | Blob, base: string, current: PackagedWorkerSettings = settings): WorkerRequest {
  const fileUrl = (file: keyof typeof WLLAMA_WORKER_FILES) => new URL(`/${WLLAMA_WORKER_FILES[file]}`, base).href;
  if (code === M.OPFS_UTILS_WORKER_CODE) return { url: fileUrl('opfs'), type: 'module', file: 'opfs' };
  const llama = typeof code === 'string' ? parseLlamaWorkerCode(code) : null;
  if (!llama) {
    // A wllama update that builds a worker we did not package: fail loudly, never fall back to a blob.
    throw new Error('wllama asked for a worker that this build does not package (was @wllama/wllama updated without rebuilding?)');
  }
  const shim = current.f16Shim ? { f16Shim: true } : {};
  const pthread: PackagedPthreadOptions = { noWebGPU: llama.noWebGPU, ...shim };
  const options: PackagedRunOptions = {
    ...llama.runOptions,
    noWebGPU: llama.noWebGPU,
    pthreadUrl: fileUrl('pthread') + encodeFragment(pthread),
    ...shim,
  };
  return { url: fileUrl('llama') + encodeFragment(options), type: 'module', file: 'llama' };
}

/** What a load watcher hears from the workers. */
export interface WorkerEvents {
  onError(file: WorkerRequest['file'], message: string): void;
  onMessage(file: WorkerRequest['file']): void;
}

const watchers = new Set<WorkerEvents>();

/** Listens to every packaged worker started from now on; returns the way to stop listening. */
export function watchPackagedWorkers(events: WorkerEvents): () => void {
  watchers.add(events);
  return () => watchers.delete(events);
}

/** Called by wllama (through the build's rewrite of its `createWorker`). */
export function createPackagedWorker(code: string | Blob): Worker {
  const request = packagedWorkerFor(code, globalThis.location.href);
  const worker = new Worker(request.url, { type: request.type });
  // wllama only logs a worker's `error` event, and its pending start-up call then waits forever.
  worker.addEventListener('error', (event) => {
    // A worker that fails to load fires a plain Event, without a message.
    const detail = fieldOf(event, 'message');
    const message = (typeof detail === 'string' && detail) || `the ${request.file} worker failed to start`;
    for (const w of watchers) w.onError(request.file, message);
  });
  worker.addEventListener('messageerror', () => {
    for (const w of watchers) w.onError(request.file, 'a message from the worker could not be read');
  });
  worker.addEventListener('message', () => {
    for (const w of watchers) w.onMessage(request.file);
  });
  return worker;
}
