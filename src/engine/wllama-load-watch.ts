/**
 * Bounds a wllama load. wllama only logs a worker's `error` event, so a worker that fails to
 * start (blocked by a CSP, a missing file, a throw while it starts) leaves its load waiting
 * forever ("Loading the model · 100%"). The watch ends the load instead:
 *   - at once, with the worker's error, when a packaged worker reports one;
 *   - after `stallMs` without any sign of life (download progress, a message from a worker).
 * A load that makes progress is never cut off, however long it takes.
 */
import { EngineError } from './engine';
import { watchPackagedWorkers, type WorkerEvents } from './wllama-workers';

/** Long enough for the slowest step without messages seen here (WebGPU shader compilation on a software adapter: ~10 s). */
export const DEFAULT_STALL_MS = 90_000;

export interface LoadWatchOptions {
  stallMs?: number;
  /** Where worker events come from (the packaged worker factory; tests pass their own). */
  subscribe?: (events: WorkerEvents) => () => void;
  now?: () => number;
}

export interface LoadWatch {
  /** Call on every sign of progress the caller sees itself (download progress). */
  activity(): void;
  /** Runs `work` until it settles or the watch fails it; always stops watching afterwards. */
  run<T>(work: Promise<T>): Promise<T>;
}

export function watchLoad(options: LoadWatchOptions = {}): LoadWatch {
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const now = options.now ?? Date.now;
  let last = now();
  return {
    activity() {
      last = now();
    },
    run<T>(work: Promise<T>): Promise<T> {
      let unsubscribe = () => {};
      let timer: ReturnType<typeof setInterval> | undefined;
      const failed = new Promise<never>((_, reject) => {
        unsubscribe = (options.subscribe ?? watchPackagedWorkers)({
          onError: (file, message) => reject(workerError(file, message)),
          onMessage: () => {
            last = now();
          },
        });
        last = now();
        timer = setInterval(() => {
          if (now() - last >= stallMs) reject(stallError(stallMs));
        }, Math.max(10, Math.min(5_000, stallMs / 4)));
      });
      // The loser of the race must not surface as an unhandled rejection.
      failed.catch(() => {});
      return Promise.race([work, failed]).finally(() => {
        clearInterval(timer);
        unsubscribe();
      });
    },
  };
}

function workerError(file: string, message: string): EngineError {
  if (file === 'opfs') {
    return new EngineError('load-failed', `The model cache could not be written (its worker failed: ${message}).`, 'Reload the extension and try again; if it keeps failing, pick the model file from disk.');
  }
  return new EngineError('load-failed', `The CPU engine could not start (its worker failed: ${message}).`, 'Reload the extension and try again; if it keeps failing, use a recent Chrome or Firefox.');
}

function stallError(stallMs: number): EngineError {
  return new EngineError(
    'load-failed',
    `Loading the model stopped making progress (nothing happened for ${Math.round(stallMs / 1000)} s).`,
    'Try again; if it stops again, reload the extension or pick a smaller model.',
  );
}
