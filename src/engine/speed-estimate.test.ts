import { describe, expect, it } from 'vitest';
import {
  EMPTY_SPEED_STATE,
  estimateReviewTime,
  formatDuration,
  parseSpeedState,
  PRIOR_SPEEDS,
  promptCacheSavings,
  recordAnswerTokens,
  recordSpeed,
  recordUsage,
  speedFor,
  suggestFaster,
} from './speed-estimate';

const MODEL = 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC';

describe('speeds', () => {
  it('starts from the prior for the engine, marked as not measured', () => {
    expect(speedFor(EMPTY_SPEED_STATE, 'wllama', 'm')).toEqual({ ...PRIOR_SPEEDS.wllama, measured: false });
  });

  it('the first measurement replaces the prior, later ones are smoothed', () => {
    let s = recordSpeed(EMPTY_SPEED_STATE, 'webllm', MODEL, { prefillTps: 1000, decodeTps: 40 }, 1);
    expect(speedFor(s, 'webllm', MODEL)).toEqual({ prefillTps: 1000, decodeTps: 40, measured: true });
    s = recordSpeed(s, 'webllm', MODEL, { prefillTps: 2000, decodeTps: 20 }, 2);
    const v = speedFor(s, 'webllm', MODEL);
    expect(v.prefillTps).toBeCloseTo(1300); // 0.3 × 2000 + 0.7 × 1000
    expect(v.decodeTps).toBeCloseTo(34);
    expect(s.entries[`webllm:${MODEL}`]).toMatchObject({ samples: 2, updatedAt: 2 });
    // other models are untouched
    expect(speedFor(s, 'webllm', 'other').measured).toBe(false);
  });

  it('ignores missing or absurd figures and keeps the state immutable', () => {
    const s = recordSpeed(EMPTY_SPEED_STATE, 'wllama', 'm', { prefillTps: 13 }, 1);
    expect(speedFor(s, 'wllama', 'm')).toEqual({ prefillTps: 13, decodeTps: PRIOR_SPEEDS.wllama.decodeTps, measured: true });
    expect(recordSpeed(s, 'wllama', 'm', { prefillTps: -5, decodeTps: Infinity })).toBe(s);
    expect(EMPTY_SPEED_STATE.entries).toEqual({});
  });

  it('records the speeds of a usage chunk', () => {
    const s = recordUsage(EMPTY_SPEED_STATE, 'webllm', MODEL, {
      type: 'usage',
      promptTokens: 900,
      completionTokens: 40,
      prefillTokensPerSecond: 850,
      decodeTokensPerSecond: 31,
    });
    expect(speedFor(s, 'webllm', MODEL)).toMatchObject({ prefillTps: 850, decodeTps: 31 });
  });

  it('round-trips through JSON and drops malformed stored entries', () => {
    const s = recordSpeed(EMPTY_SPEED_STATE, 'webllm', MODEL, { prefillTps: 1000, decodeTps: 40 }, 5);
    expect(parseSpeedState(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(parseSpeedState({ version: 1, entries: { a: { prefillTps: 'fast', decodeTps: 2 }, b: null } })).toEqual(EMPTY_SPEED_STATE);
    expect(parseSpeedState('garbage')).toEqual(EMPTY_SPEED_STATE);
    expect(parseSpeedState({ version: 2, entries: {} })).toEqual(EMPTY_SPEED_STATE);
  });
});

describe('answer length per call', () => {
  it('is learnt from review answers, kept through speed updates and storage, and dropped when malformed', () => {
    let s = recordSpeed(EMPTY_SPEED_STATE, 'wllama', 'm', { prefillTps: 12, decodeTps: 5 }, 1);
    expect(speedFor(s, 'wllama', 'm').answerTokens).toBeUndefined();
    s = recordAnswerTokens(s, 'wllama', 'm', 80, 2);
    expect(speedFor(s, 'wllama', 'm').answerTokens).toBe(80);
    s = recordAnswerTokens(s, 'wllama', 'm', 180, 3);
    expect(speedFor(s, 'wllama', 'm').answerTokens).toBeCloseTo(110);
    s = recordSpeed(s, 'wllama', 'm', { decodeTps: 6 }, 4);
    expect(speedFor(s, 'wllama', 'm')).toMatchObject({ answerTokens: expect.closeTo(110), measured: true });
    expect(parseSpeedState(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(recordAnswerTokens(s, 'wllama', 'm', Number.NaN)).toBe(s);
    const stored = { version: 1, entries: { k: { prefillTps: 1, decodeTps: 1, samples: 1, updatedAt: 0, answerTokens: 'lots' } } };
    expect(parseSpeedState(stored).entries.k).toEqual({ prefillTps: 1, decodeTps: 1, samples: 1, updatedAt: 0 });
  });
});

describe('estimateReviewTime', () => {
  it('adds prefill, decode and per-call overhead', () => {
    const e = estimateReviewTime({ promptTokens: 9000, completionTokens: 600, calls: 4 }, { prefillTps: 13, decodeTps: 10 });
    expect(e.prefillSeconds).toBeCloseTo(692.3, 1);
    expect(e.decodeSeconds).toBe(60);
    expect(e.overheadSeconds).toBe(2);
    expect(e.seconds).toBeCloseTo(754.3, 1);
    expect(e.measured).toBe(false);
  });

  it('a GPU makes the same plan quick', () => {
    const e = estimateReviewTime({ promptTokens: 9000, completionTokens: 600, calls: 4 }, { prefillTps: 1000, decodeTps: 40, measured: true });
    expect(e.seconds).toBeCloseTo(26, 0);
    expect(e.measured).toBe(true);
  });

  it('does not count the prompt tokens the CPU engine takes from its prompt cache', () => {
    // Five map calls sharing a 230-token system prompt: four of them skip it.
    const cached = promptCacheSavings('wllama', 5, 230);
    expect(cached).toBe(920);
    const withCache = estimateReviewTime({ promptTokens: 9000, cachedPromptTokens: cached, completionTokens: 600, calls: 5 }, { prefillTps: 20, decodeTps: 10 });
    const without = estimateReviewTime({ promptTokens: 9000, completionTokens: 600, calls: 5 }, { prefillTps: 20, decodeTps: 10 });
    expect(without.prefillSeconds - withCache.prefillSeconds).toBeCloseTo(46, 5);
    // Engines without a prompt cache, a single call, or nonsense save nothing; the cache never makes prefill negative.
    expect(promptCacheSavings('webllm', 5, 230)).toBe(0);
    expect(promptCacheSavings('wllama', 1, 230)).toBe(0);
    expect(promptCacheSavings('wllama', NaN, 230)).toBe(0);
    expect(estimateReviewTime({ promptTokens: 100, cachedPromptTokens: 500, completionTokens: 0, calls: 1 }, { prefillTps: 20, decodeTps: 10 }).prefillSeconds).toBe(0);
  });

  it('survives nonsense inputs', () => {
    const e = estimateReviewTime({ promptTokens: -1, completionTokens: NaN, calls: 0 }, { prefillTps: 0, decodeTps: -3 });
    expect(e.seconds).toBe(0);
  });
});

describe('suggestFaster', () => {
  const slow = estimateReviewTime({ promptTokens: 9000, completionTokens: 600, calls: 4 }, { prefillTps: 13, decodeTps: 10 });
  const fast = estimateReviewTime({ promptTokens: 900, completionTokens: 60, calls: 1 }, { prefillTps: 1000, decodeTps: 40 });

  it('suggests quick depth and a smaller model when a review would take minutes', () => {
    expect(suggestFaster(slow, { depth: 'thorough', smallerModel: { id: 'small', label: 'Qwen2.5-Coder 0.5B' } })).toEqual([
      { kind: 'quick-depth', text: expect.stringContaining('Quick depth') },
      { kind: 'smaller-model', modelId: 'small', text: 'Qwen2.5-Coder 0.5B is smaller and reads the diff faster.' },
    ]);
    expect(suggestFaster(slow, { depth: 'quick' })).toEqual([]);
  });

  it('stays quiet for quick reviews', () => {
    expect(suggestFaster(fast, { depth: 'thorough', smallerModel: { id: 's', label: 'S' } })).toEqual([]);
  });
});

describe('formatDuration', () => {
  it('rounds to what people read', () => {
    expect(formatDuration(20)).toBe('under a minute');
    expect(formatDuration(754)).toBe('about 13 min');
    expect(formatDuration(3600 * 1.5)).toBe('about 1 h 30 min');
    expect(formatDuration(7200)).toBe('about 2 h');
  });
});
