/**
 * Turns the raw errors of web-llm, wllama and the browser's built-in model into `EngineError`s
 * that say, in plain words, what happened and what to do next.
 *
 * Matching is by name and message rather than `instanceof`, because the libraries' error classes
 * cross worker and message boundaries as plain objects, and because this module must not import
 * the libraries.
 */
import { EngineError, type EngineKind } from './engine';
import { isAbortError } from '../shared/abort';
import { isRecord } from '../shared/guards';

export interface ErrorContext {
  /** Which engine raised it: the built-in model's QuotaExceededError means "input too long". */
  engine?: EngineKind;
  /** Loading or answering: decides the fallback code for errors nobody recognises. */
  phase?: 'load' | 'chat';
}

interface RawError {
  name: string;
  message: string;
  type: string | undefined;
  raw: unknown;
}

function describe(error: unknown): RawError {
  if (isRecord(error) || error instanceof Error) {
    const e: { name?: unknown; message?: unknown; type?: unknown } = error;
    return {
      name: typeof e.name === 'string' ? e.name : '',
      message: typeof e.message === 'string' ? e.message : String(error),
      type: typeof e.type === 'string' ? e.type : undefined,
      raw: error,
    };
  }
  return { name: '', message: String(error), type: undefined, raw: error };
}

export { isAbortError };

const NETWORK =
  /failed to fetch|networkerror|network response was not ok|cannot fetch|unable to fetch|load failed|net::err_|err_internet_disconnected|err_name_not_resolved|request failed/i;
const OUT_OF_MEMORY =
  /out of memory|\boom\b|array buffer allocation failed|could not allocate memory|failed to allocate|memory allocation/i;

function make(
  code: EngineError['code'],
  message: string,
  nextStep: string,
  raw: unknown,
): EngineError {
  const error = new EngineError(code, message, nextStep);
  error.cause = raw;
  return error;
}

export function toEngineError(error: unknown, context: ErrorContext = {}): EngineError {
  if (error instanceof EngineError) return error;
  const e = describe(error);
  const { name, message } = e;

  if (name === 'WebGPUNotAvailableError' || name === 'WebGPUNotFoundError' || /webgpu is not supported|no available adapters|cannot find webgpu/i.test(message)) {
    return make(
      'no-webgpu',
      'WebGPU is not available in this browser, so the GPU engine cannot run.',
      'Use the CPU engine, or enable WebGPU (chrome://flags/#enable-unsafe-webgpu on Linux) and reload the extension.',
      error,
    );
  }
  if (name === 'ShaderF16SupportError' || /shader-f16/i.test(message)) {
    return make(
      'no-f16',
      'Your GPU does not support 16-bit shaders, which this model variant needs.',
      'Pick the q4f32_1 variant of the model in the options.',
      error,
    );
  }
  if (name === 'DeviceLostError' || /device (was )?lost/i.test(message)) {
    return make(
      'device-lost',
      'The GPU stopped the model, most often because it ran out of memory.',
      'Close other GPU-heavy tabs or pick a smaller model, then try again.',
      error,
    );
  }
  if (name === 'GPUOutOfMemoryError' || OUT_OF_MEMORY.test(message)) {
    return make(
      'out-of-memory',
      'The model needs more memory than this machine has free.',
      'Pick a smaller model or close other tabs and applications, then try again.',
      error,
    );
  }
  const builtinQuota =
    name === 'QuotaExceededError' &&
    (context.engine === 'builtin' || (isRecord(error) && typeof error.requested === 'number'));
  if (
    name === 'ContextWindowSizeExceededError' ||
    e.type === 'kv_cache_full' ||
    builtinQuota ||
    /exceed(s|ed)? (the )?context window|context window size|input is too large|context.*(full|overflow)/i.test(message)
  ) {
    return make(
      'context-exceeded',
      "Part of this pull request did not fit in the model's context window.",
      'Review with quick depth, or add ignore patterns for large generated files in the options.',
      error,
    );
  }
  if (name === 'QuotaExceededError' || /quota/i.test(message)) {
    return make(
      'quota',
      'The browser would not store the model: its storage quota is used up (private windows allow very little).',
      'Free disk space or delete unused models in the options, and avoid private windows for the first download.',
      error,
    );
  }
  if (e.type === 'download_error' || NETWORK.test(message)) {
    return make(
      'download-failed',
      'Downloading the model failed.',
      'Check your connection (or the mirror URL in the options) and try again; finished parts are kept.',
      error,
    );
  }
  if (/without bundled model libraries/i.test(message) || name === 'MissingModelError') {
    return make(
      'load-failed',
      "This build of the extension does not include the model's GPU library.",
      'Install the extension from the store, or build it with the model libraries (see docs/engines-webgpu.md).',
      error,
    );
  }
  if (name === 'ModelNotLoadedError' || name === 'EngineNotLoadedError' || e.type === 'model_not_loaded') {
    return make('not-loaded', 'The model is not loaded.', 'Start the review again; the model will load first.', error);
  }
  if (name === 'NotSupportedError' || name === 'NotAllowedError') {
    return make(
      'unavailable',
      "The browser's built-in model is not available for this request.",
      'Choose another engine in the options.',
      error,
    );
  }
  if (e.type === 'load_error' || name === 'ModelNotFoundError' || name === 'FeatureSupportError') {
    return make('load-failed', `The model could not be loaded: ${firstLine(message)}`, 'Pick another model in the options.', error);
  }
  if (name === 'RuntimeError' || e.type === 'inference_error') {
    return make('crashed', 'The model engine crashed.', 'Try again; if it repeats, pick a smaller model.', error);
  }
  if (context.phase === 'load') {
    return make('load-failed', `The model could not be loaded: ${firstLine(message)}`, 'Try again, or pick another model in the options.', error);
  }
  return make('crashed', `The model engine failed: ${firstLine(message)}`, 'Try again; if it repeats, pick another model.', error);
}

function firstLine(message: string): string {
  const line = message.split('\n')[0]?.trim() ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line || 'unknown error';
}
