import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { runReview } from '../../src/review/pipeline';
import { loadCorpusDiff } from '../../src/review/testing/corpus';
import { ScriptedEngine } from '../../src/engine/scripted-engine';
import { plausibleResponder, requestKind } from '../../src/review/testing/scripts';
import { qwenTokenizer } from '../../src/review/testing/reference-tokenizers';
import { commonPrefixLength, promptTokenIds } from './prefix-tokens';
import { prefillWithCache } from './prefix-reuse';

describe('prompt-cache savings', () => {
  it('counts only what differs from the previous prompt (at least one token per call)', () => {
    expect(commonPrefixLength([1, 2, 3], [1, 2, 4])).toBe(2);
    expect(prefillWithCache([[1, 2, 3, 4], [1, 2, 3, 5, 6], [1, 2, 3, 5, 6]])).toEqual({ total: 14, prefilled: 4 + 2 + 1, perCall: [4, 2, 1] });
  });

  it('every map call of a multi-call review shares at least its whole system prompt with the call before', async () => {
    const { diff } = loadCorpusDiff('go-slog-migration.diff');
    const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow: 4096, tokenizer: qwenTokenizer.count, exposeTokenizer: true, deltaChars: 100_000 });
    await runReview({ diff, engine, settings: { ...DEFAULT_SETTINGS, ignorePatterns: [], maxModelCalls: 1000 } }, () => {}, new AbortController().signal);
    const maps = engine.requests.filter((r) => requestKind(r) === 'map');
    expect(maps.length).toBeGreaterThan(2);
    for (let i = 1; i < maps.length; i++) {
      const system = promptTokenIds([maps[i]!.messages[0]!]).length;
      const shared = commonPrefixLength(promptTokenIds(maps[i - 1]!.messages), promptTokenIds(maps[i]!.messages));
      expect(shared).toBeGreaterThanOrEqual(system);
    }
  });
});
