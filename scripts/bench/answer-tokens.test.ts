import { describe, expect, it } from 'vitest';
import { benchAnswerTokens } from './answer-tokens';

describe('answer-token benchmark', () => {
  it('the short map format makes a perfect answer at least a fifth shorter than the long one, with the same findings', async () => {
    const r = await benchAnswerTokens();
    expect(r.after.mapCalls).toBe(r.before.mapCalls);
    expect(r.after.findings).toBe(r.before.findings);
    expect(r.after.findings).toBeGreaterThan(50);
    expect(r.ratio).toBeLessThanOrEqual(0.8);
    // What was cut is the echo of the diff and the structure, not what the model has to say.
    expect(r.after.byPart.title).toBe(r.before.byPart.title);
    expect(r.after.byPart.quote).toBeLessThan(r.before.byPart.quote * 0.6);
    expect(r.after.byPart.file).toBeLessThan(r.before.byPart.file / 4);
    expect(r.after.byPart.keysNumbersAndPunctuation).toBeLessThan(r.before.byPart.keysNumbersAndPunctuation);
  }, 60_000);
});
