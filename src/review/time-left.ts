/**
 * How long the rest of a review will take, re-estimated after every model call from what this
 * review has measured so far: the engine's own prefill and decode speeds when it reports them,
 * else the wall time of the calls; and the length of the answers so far.
 */

export interface CallTiming {
  promptTokens: number;
  /**
   * Prompt tokens the engine had to read (the rest came from its cache of the previous prompt's
   * common prefix); defaults to all of them.
   */
  newTokens?: number;
  completionTokens: number;
  seconds: number;
  prefillTps?: number;
  decodeTps?: number;
}

/** Without the engine's speeds: one generated token costs about this many prompt tokens. */
const DECODE_WEIGHT = 10;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Seconds for calls that will read these many new prompt tokens each, or null before the first call is measured. */
export function estimateTimeLeft(done: readonly CallTiming[], remainingPrompts: readonly number[]): number | null {
  if (done.length === 0) return null;
  if (remainingPrompts.length === 0) return 0;
  const answer = sum(done.map((c) => c.completionTokens)) / done.length;
  const remainingPrompt = sum(remainingPrompts);
  if (done.every((c) => c.prefillTps && c.decodeTps)) {
    // Total tokens over total time, per phase; what the phases leave unexplained is per-call overhead.
    const prefillSeconds = sum(done.map((c) => c.promptTokens / c.prefillTps!));
    const decodeSeconds = sum(done.map((c) => c.completionTokens / c.decodeTps!));
    const prefill = prefillSeconds > 0 ? sum(done.map((c) => c.newTokens ?? c.promptTokens)) / prefillSeconds : Infinity;
    const decode = decodeSeconds > 0 ? sum(done.map((c) => c.completionTokens)) / decodeSeconds : Infinity;
    const overhead = Math.max(0, (sum(done.map((c) => c.seconds)) - prefillSeconds - decodeSeconds) / done.length);
    return remainingPrompt / prefill + (remainingPrompts.length * answer) / decode + remainingPrompts.length * overhead;
  }
  const work = sum(done.map((c) => (c.newTokens ?? c.promptTokens) + DECODE_WEIGHT * c.completionTokens));
  const perUnit = work > 0 ? sum(done.map((c) => c.seconds)) / work : 0;
  return perUnit * (remainingPrompt + DECODE_WEIGHT * answer * remainingPrompts.length);
}
