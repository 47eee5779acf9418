import { describe, expect, it } from 'vitest';
import { benchTokens } from './tokens';

describe('token benchmark', () => {
  it('sends at most 1.25 prompt tokens per token of reviewable diff on the corpus, in fewer calls than one per file', async () => {
    const r = (await benchTokens()) as { corpus: { totalRatio: number; calls: number; baselineCalls: number }; rows: { diff: string; totalRatio: number; reviewableDiffTokens: number }[] };
    expect(r.corpus.totalRatio).toBeLessThanOrEqual(1.25);
    expect(r.corpus.calls).toBeLessThan(r.corpus.baselineCalls);
    // Every diff of realistic size (not the one-line fixtures, where the fixed instructions dominate) stays under it too.
    for (const row of r.rows.filter((x) => x.reviewableDiffTokens > 500)) expect(row.totalRatio, row.diff).toBeLessThanOrEqual(1.25);
  }, 60_000);
});
