import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../engine/engine';
import { reduceReview, perFileLines, buildWalkthrough, type PartNotes, type ReduceContext } from './reduce';
import type { Finding } from '../model/review';
import { estimateTokens, makeBudget } from './token-budget';
import { fencedData } from './testing/scripts';

const options = { depth: 'thorough' as const, language: 'English', customInstructions: '' };

function ctx(calls: number, answer: (messages: ChatMessage[]) => string | null, contextWindow = 4096) {
  const sent: ChatMessage[][] = [];
  let left = calls;
  const budget = makeBudget(contextWindow);
  const c: ReduceContext = {
    options,
    budget,
    count: estimateTokens,
    callsLeft: () => left,
    call: async (messages) => {
      left--;
      sent.push(messages);
      return answer(messages);
    },
  };
  return { c, sent, budget };
}

const reply = (summary: string) => JSON.stringify({ summary, risks: ['r'], changes: ['c'] });

function parts(n: number): PartNotes[] {
  return Array.from({ length: n }, (_, i) => ({
    files: [`src/module${i}/index.ts`, `src/module${i}/helpers.ts`],
    summary: [`src/module${i}/index.ts: reworks the loader so it retries on timeouts and reports progress`, `src/module${i}/helpers.ts: adds parsing helpers for the loader's config`],
  }));
}

const finding: Finding = { id: 'f1', file: 'src/a.ts', line: 3, severity: 'major', category: 'bug', title: 'Retries forever', explanation: '', quote: 'x' };

describe('reduceReview', () => {
  it('works with a single part', async () => {
    const { c, sent } = ctx(5, () => reply('One part.'));
    const r = await reduceReview(parts(1), [finding], 'Pull request: 2 files.', c);
    expect(r).toEqual({ summary: 'One part.', risks: ['r'], changes: ['c'], notes: [] });
    expect(sent).toHaveLength(1);
    expect(fencedData({ messages: sent[0]!, maxTokens: 1 })).toContain('[major] src/a.ts:3 Retries forever');
  });

  it('reduces 200 parts hierarchically without any prompt over the budget', async () => {
    const { c, sent, budget } = ctx(1000, (m) => reply(`Summary of ${fencedData({ messages: m, maxTokens: 1 }).split('\n').length} lines.`));
    const r = await reduceReview(parts(200), [finding], 'Pull request: 400 files.', c);
    expect(sent.length).toBeGreaterThan(2);
    for (const m of sent) expect(m.reduce((a, x) => a + estimateTokens(x.content), 0)).toBeLessThanOrEqual(budget.promptTokens);
    // The last call sees the group summaries, not the raw parts.
    expect(fencedData({ messages: sent.at(-1)!, maxTokens: 1 })).toMatch(/^Group 1: /m);
    expect(r.summary).toMatch(/^Summary of/);
    expect(r.notes).toEqual([]);
  });

  it('with 200 parts and only one call left, leaves parts out of the summary prompt and says so', async () => {
    const { c, sent, budget } = ctx(1, () => reply('Short.'));
    const r = await reduceReview(parts(200), [finding], 'Pull request: 400 files.', c);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.reduce((a, x) => a + estimateTokens(x.content), 0)).toBeLessThanOrEqual(budget.promptTokens);
    expect(r.notes[0]).toMatch(/^\d+ of 200 part summaries did not fit/);
  });

  it('falls back to the notes when the answer is garbage or the call fails, and says so', async () => {
    for (const answer of [() => 'no json here', () => null]) {
      const { c } = ctx(5, answer);
      const r = await reduceReview(parts(3), [finding], 'Pull request: 6 files.', c);
      expect(r.notes).toEqual(['The model’s final summary could not be read, so this review was assembled from the per-part notes.']);
      expect(r.risks).toEqual(['src/a.ts:3: Retries forever']);
      expect(r.changes[0]).toMatch(/src\/module0\/index.ts: reworks the loader/);
    }
  });
});

describe('walkthrough', () => {
  it('has one row per file, from the model’s line when there is one', () => {
    const { byFile } = perFileLines([
      { files: ['src/a.ts', 'src/b.ts'], summary: ['**`src/a.ts`**: adds retries', 'b.ts - renames a helper', 'general remark'] },
      { files: ['src/c.ts'], summary: ['Refactors the parser'] },
    ]);
    const rows = buildWalkthrough(
      [
        { path: 'src/a.ts', coverage: 'full' },
        { path: 'src/b.ts', coverage: 'full' },
        { path: 'src/c.ts', coverage: 'partial', reason: 'x' },
        { path: 'src/d.ts', coverage: 'full' },
        { path: 'yarn.lock', coverage: 'skipped', reason: 'lock file' },
      ],
      byFile,
      new Map([['src/d.ts', { additions: 3, deletions: 1 }]]),
    );
    expect(rows).toEqual([
      { path: 'src/a.ts', summary: 'adds retries' },
      { path: 'src/b.ts', summary: 'renames a helper' },
      { path: 'src/c.ts', summary: 'Refactors the parser' },
      { path: 'src/d.ts', summary: 'Changed (+3 −1)' },
      { path: 'yarn.lock', summary: 'Skipped: lock file' },
    ]);
  });
});
