/** A finished review with nothing in it, for tests to fill in what they are about. */
import type { Review } from '../review';

export function makeReview(over: Partial<Review> = {}): Review {
  return {
    summary: 'S',
    risks: [],
    changes: [],
    walkthrough: [],
    findings: [],
    coverage: [],
    truncated: false,
    stats: { modelCalls: 1, promptTokens: 1, completionTokens: 1, elapsedMs: 1, dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 } },
    ...over,
  };
}
