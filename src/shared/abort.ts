/** Abort detection, written once: an abort is the user's own doing and is never shown as an error. */

/** Whether `error` is an abort (a DOMException or any error named "AbortError", from any realm). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError';
}

/** The error a cancelled piece of work ends with (the same name `isAbortError` recognises). */
export function abortError(message = 'Cancelled.'): DOMException {
  return new DOMException(message, 'AbortError');
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

/** In a `catch`: an abort (or any error once `signal` has aborted) goes on as an AbortError; other errors are the caller's. */
export function rethrowIfAborted(error: unknown, signal: AbortSignal): void {
  if (signal.aborted || isAbortError(error)) throw abortError();
}

/** `promise`, or an AbortError as soon as `signal` aborts (the work itself is not stopped). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DOMException('Cancelled', 'AbortError'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DOMException('Cancelled', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
