/**
 * Fences the content script's callbacks: whatever a callback throws, at once or later from the
 * promise it returns, goes to `report` (which shows it in the panel) and never into GitHub's page.
 */
import type { ReviewFailure } from '../protocol';

/** Runs a callback; a throw or a rejected promise is reported, never rethrown. */
export type Guard = (fn: () => unknown) => void;

export function createGuard(report: (error: unknown) => void): Guard {
  const safeReport = (error: unknown) => {
    try {
      report(error);
    } catch {
      /* the panel itself failed; stay silent rather than break the page */
    }
  };
  return (fn) => {
    try {
      const result = fn();
      if (result instanceof Promise) result.catch(safeReport);
    } catch (error) {
      safeReport(error);
    }
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function internalFailure(error: unknown): ReviewFailure {
  return {
    code: 'internal',
    message: `Something went wrong in local-pr-review: ${errorMessage(error)}`,
    nextStep: 'Retry; if it keeps happening, reload the page.',
    retryable: true,
  };
}
