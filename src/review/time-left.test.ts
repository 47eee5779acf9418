import { describe, expect, it } from 'vitest';
import { estimateTimeLeft } from './time-left';

describe('estimateTimeLeft', () => {
  it('knows nothing before a call, and nothing is left after the last', () => {
    expect(estimateTimeLeft([], [1000])).toBeNull();
    expect(estimateTimeLeft([{ promptTokens: 1000, completionTokens: 100, seconds: 3 }], [])).toBe(0);
  });

  it('with the engine\'s speeds: prefill + decode at the measured rates, plus the per-call overhead seen', () => {
    // 1000 tokens at 500/s = 2 s, 100 tokens at 50/s = 2 s, measured 4.5 s: 0.5 s overhead per call.
    const done = [{ promptTokens: 1000, completionTokens: 100, seconds: 4.5, prefillTps: 500, decodeTps: 50 }];
    expect(estimateTimeLeft(done, [2000, 500])).toBeCloseTo(2000 / 500 + 500 / 500 + (2 * 100) / 50 + 2 * 0.5, 6);
  });

  it('without them: the wall time per unit of work, a generated token weighing ten prompt tokens', () => {
    const done = [{ promptTokens: 1000, completionTokens: 100, seconds: 4 }];
    // 4 s for 2000 units; two more calls of the same size: 8 s.
    expect(estimateTimeLeft(done, [1000, 1000])).toBeCloseTo(8, 6);
  });
});
