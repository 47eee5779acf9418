import { describe, expect, it } from 'vitest';
import { chunkText } from './chunker';
import { planReview } from './plan';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { estimateTokens, makeBudget } from './token-budget';
import { loadCorpus } from './testing/corpus';
import { REFERENCE_TOKENIZERS } from './testing/reference-tokenizers';

describe('estimateTokens', () => {
  const corpus = loadCorpus({ includeGithubFixtures: true, includeAdversarial: true });

  it.each(REFERENCE_TOKENIZERS.map((t) => [t.name, t] as const))('never under-counts a corpus diff or a prompt built from it (%s)', (_name, tok) => {
    let samples = 0;
    for (const { name, text, diff } of corpus) {
      expect(estimateTokens(text), `${name} raw`).toBeGreaterThanOrEqual(tok.count(text));
      const plan = planReview(diff, DEFAULT_SETTINGS, { contextWindow: 4096 });
      for (const c of plan.chunks) {
        const body = chunkText(c);
        expect(estimateTokens(body), `${name} chunk`).toBeGreaterThanOrEqual(tok.count(body));
        for (const m of c.messages) expect(estimateTokens(m.content), `${name} ${m.role}`).toBeGreaterThanOrEqual(tok.count(m.content));
        samples++;
      }
    }
    expect(samples).toBeGreaterThan(5);
  });

  it('stays within 2x of the BPE count on code, so it does not waste most of the context', () => {
    const [qwen] = REFERENCE_TOKENIZERS;
    const text = corpus.map((c) => c.text).join('\n');
    expect(estimateTokens(text) / qwen!.count(text)).toBeLessThan(2);
  });

  it('counts non-ASCII text at its worst case', () => {
    expect(estimateTokens('日本語')).toBe(9);
    expect(estimateTokens('😀')).toBe(4);
    expect(estimateTokens('')).toBe(0);
  });
});

describe('makeBudget', () => {
  it('keeps a quarter of a 4096 context for the answer and the rest, minus the chat template, for the prompt', () => {
    expect(makeBudget(4096)).toEqual({ contextWindow: 4096, answerTokens: 1024, templateTokens: 32, promptTokens: 3040 });
  });

  it('scales for small and large contexts and ignores nonsense', () => {
    expect(makeBudget(1024).answerTokens).toBe(256);
    expect(makeBudget(32768).answerTokens).toBe(1536);
    expect(makeBudget(Number.NaN).contextWindow).toBe(4096);
  });
});
