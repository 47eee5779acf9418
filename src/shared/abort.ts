/** Abort detection, written once: an abort is the user's own doing and is never shown as an error. */

/** Whether `error` is an abort (a DOMException or any error named "AbortError", from any realm). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError';
}
