/**
 * Prefill saved by the prompt cache on the corpus (`npm run bench -- --only=prefix`).
 *
 * The CPU engine runs one request at a time (`n_parallel: 1`) with `cache_prompt`, so llama.cpp
 * keeps the KV cache of the previous prompt and prefills only the tokens after the longest
 * common prefix with it. For each diff of the corpus (e2e/fixtures/diffs plus the exact diffs
 * saved beside the GitHub pages; the prompt-injection diff is left out, as in the tokens bench),
 * the real pipeline runs against the scripted engine with a 4096-token context, in the order it
 * really sends its calls; each prompt is laid out with ChatML (the template of the Qwen models the
 * CPU engine offers) and tokenized with the Qwen2.5 reference tokenizer; the reused part is the
 * common token prefix with the previous call's prompt. Reported: prompt tokens, tokens prefilled
 * with the cache, the share saved, per diff and over the corpus.
 */
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import type { ChatMessage } from '../../src/engine/engine';
import { runReview } from '../../src/review/pipeline';
import { loadCorpus } from '../../src/review/testing/corpus';
import { qwenTokenizer } from '../../src/review/testing/reference-tokenizers';
import { ScriptedEngine } from '../../src/engine/scripted-engine';
import { plausibleResponder, requestKind } from '../../src/review/testing/scripts';
import { commonPrefixLength, promptTokenIds } from './prefix-tokens';

const CONTEXT = 4096;

export interface PrefixRow {
  diff: string;
  calls: number;
  mapCalls: number;
  promptTokens: number;
  prefilledWithCache: number;
  savedTokens: number;
  savedShare: number;
}

/** Tokens prefilled for a sequence of prompts when each reuses its common prefix with the previous one. */
export function prefillWithCache(prompts: number[][]): { total: number; prefilled: number; perCall: number[] } {
  let total = 0;
  let previous: number[] = [];
  const perCall: number[] = [];
  for (const p of prompts) {
    total += p.length;
    // llama.cpp always evaluates at least the last token of a prompt to get its logits.
    perCall.push(Math.max(1, p.length - commonPrefixLength(previous, p)));
    previous = p;
  }
  return { total, prefilled: perCall.reduce((a, b) => a + b, 0), perCall };
}

export async function benchPrefixReuse(): Promise<Record<string, unknown>> {
  const settings: Settings = { ...DEFAULT_SETTINGS, ignorePatterns: [], maxModelCalls: 1000 };
  const rows: PrefixRow[] = [];
  const byKind: Record<string, { calls: number; promptTokens: number; savedTokens: number }> = {};
  for (const { name, diff } of loadCorpus({ includeGithubFixtures: true })) {
    const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow: CONTEXT, tokenizer: qwenTokenizer.count, exposeTokenizer: true, deltaChars: 100_000 });
    await runReview({ diff, settings, engine }, () => {}, new AbortController().signal);
    if (!engine.requests.length) continue;
    const prompts = engine.requests.map((r) => promptTokenIds(r.messages as ChatMessage[]));
    const { total, prefilled, perCall } = prefillWithCache(prompts);
    engine.requests.forEach((r, i) => {
      const k = (byKind[requestKind(r)] ??= { calls: 0, promptTokens: 0, savedTokens: 0 });
      k.calls++;
      k.promptTokens += prompts[i]!.length;
      k.savedTokens += prompts[i]!.length - perCall[i]!;
    });
    rows.push({
      diff: name,
      calls: engine.requests.length,
      mapCalls: engine.requests.filter((r) => requestKind(r) === 'map').length,
      promptTokens: total,
      prefilledWithCache: prefilled,
      savedTokens: total - prefilled,
      savedShare: Number(((total - prefilled) / total).toFixed(3)),
    });
  }
  const sum = (k: keyof PrefixRow) => rows.reduce((a, r) => a + (r[k] as number), 0);
  const corpus = {
    calls: sum('calls'),
    mapCalls: sum('mapCalls'),
    promptTokens: sum('promptTokens'),
    prefilledWithCache: sum('prefilledWithCache'),
    savedTokens: sum('savedTokens'),
    savedShare: Number((sum('savedTokens') / sum('promptTokens')).toFixed(3)),
  };
  console.error(['| diff | calls (map) | prompt tokens | prefilled with the cache | saved |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.diff} | ${r.calls} (${r.mapCalls}) | ${r.promptTokens} | ${r.prefilledWithCache} | ${r.savedTokens} (${(r.savedShare * 100).toFixed(1)} %) |`), `| corpus | ${corpus.calls} (${corpus.mapCalls}) | ${corpus.promptTokens} | ${corpus.prefilledWithCache} | ${corpus.savedTokens} (${(corpus.savedShare * 100).toFixed(1)} %) |`].join('\n'));
  console.error(`by kind of call: ${JSON.stringify(byKind)}`);
  return { tokenizer: qwenTokenizer.name, contextWindow: CONTEXT, template: 'ChatML', rows, corpus, byKind };
}

if (process.argv[1] && /bench\/prefix-reuse\.ts$/.test(process.argv[1])) {
  console.log(JSON.stringify(await benchPrefixReuse(), null, 2));
}
