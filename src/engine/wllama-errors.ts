/**
 * Maps what wllama (llama.cpp) or the browser throws to an EngineError a user can act on.
 */
import { WllamaError, WllamaRuntimeError } from '@wllama/wllama';
import { EngineError } from './engine';

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** llama.cpp's WebGPU backend logs this when the browser takes the GPU device away. */
export const DEVICE_LOST_LOG = /device lost/i;

/** Maps anything wllama or the browser throws during load to an EngineError a user can act on. */
export function mapLoadError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  const msg = messageOf(err);
  const name = err instanceof Error ? err.name : '';
  if (name === 'QuotaExceededError' || /quota/i.test(msg)) {
    return new EngineError('quota', 'There is not enough browser storage to keep the model.', 'Free some disk space or pick a smaller model.');
  }
  if ((err instanceof WllamaError && err.type === 'download_error') || /fetch|network|HTTP \d{3}/i.test(msg) || err instanceof TypeError) {
    return new EngineError('download-failed', `The model could not be downloaded (${msg}).`, 'Check the connection or the model host setting, then try again.');
  }
  if (err instanceof WllamaRuntimeError || /out of memory|memory access out of bounds|Cannot allocate|OOM/i.test(msg)) {
    return new EngineError('out-of-memory', 'The model did not fit in memory.', 'Close other tabs or pick a smaller model.');
  }
  return new EngineError('load-failed', `The model could not be loaded (${msg}).`, 'Check that the file is a GGUF model, or pick another model.');
}

/** Maps an inference failure; `crashed` means the worker is gone and the model must be reloaded. */
export function mapChatError(err: unknown, deviceLost = false): EngineError {
  if (err instanceof EngineError) return err;
  const msg = messageOf(err);
  if (deviceLost || DEVICE_LOST_LOG.test(msg)) {
    return new EngineError('device-lost', 'The GPU stopped working during the review (the browser lost the GPU device).', 'Try again.');
  }
  if ((err instanceof WllamaError && err.type === 'kv_cache_full') || /context (size|window|length)|exceeds? the available context|kv cache/i.test(msg)) {
    return new EngineError('context-exceeded', `The request is longer than the model context (${msg}).`, 'Review fewer files at once or pick a model with a larger context.');
  }
  if (err instanceof WllamaError && err.type === 'model_not_loaded') {
    return new EngineError('not-loaded', 'The CPU model is not loaded.', 'Load the model, then try again.');
  }
  if (err instanceof WllamaRuntimeError || /out of memory|memory access out of bounds|unreachable/i.test(msg)) {
    return new EngineError('crashed', `The CPU engine stopped (${msg}).`, 'Reload the model; if it happens again, pick a smaller model or context.');
  }
  return new EngineError('crashed', `The CPU engine failed (${msg}).`, 'Try again; if it keeps failing, reload the model.');
}
