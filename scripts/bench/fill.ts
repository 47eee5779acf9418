/**
 * How full the review's prompts are when the engine offers no tokenizer (web-llm, wllama): the
 * real prompt tokens of each map call against the room the context leaves for a prompt, with the
 * usage calibration (src/review/token-calibration.ts) and without it.
 *
 *   npx tsx scripts/bench/fill.ts [--json]        (also `npm run bench -- --only=fill`)
 *
 * Method: the corpus (e2e/fixtures/diffs and the exact diffs beside the GitHub pages; the
 * prompt-injection diff left out) is reviewed diff after diff by the real pipeline against the
 * scripted engine, whose "model" counts with a reference tokenizer (Qwen2.5 BPE, Llama 2
 * SentencePiece) plus 4 template tokens per message and reports that count in each answer's usage,
 * as web-llm and llama.cpp do. One calibration is kept per tokenizer across the corpus, as the
 * engine host keeps one per model: "cold" is its first pass over the corpus (the very first call
 * has nothing to learn from yet), "warm" a second pass. Fill = real prompt tokens (template
 * included) ÷ the prompt budget (context − answer − template reserve, token-budget.ts);
 * an overflow is a prompt with real tokens + maxTokens above the context. "Full calls" leaves out
 * the last map call of each review (the remainder, which is as small as what is left) and reviews
 * of a single call.
 */
import type { Piece } from '../../src/review/chunker';
import type { ChatMessage } from '../../src/engine/engine';
import { runReview } from '../../src/review/pipeline';
import { loadCorpus } from '../../src/review/testing/corpus';
import { REFERENCE_TOKENIZERS } from '../../src/review/testing/reference-tokenizers';
import { ScriptedEngine } from '../../src/engine/scripted-engine';
import { plausibleResponder, requestKind } from '../../src/review/testing/scripts';
import { UsageCalibration } from '../../src/review/token-calibration';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { makeBudget } from '../../src/review/token-budget';

/** The pipeline before calibration: learns nothing from usage. */
class NoCalibration extends UsageCalibration {
  override observe(_m: readonly ChatMessage[], _p: readonly Piece[], _real: number): boolean {
    return false;
  }
}

export interface FillResult {
  tokenizer: string;
  contextWindow: number;
  /** 'no': the estimate alone; 'cold': a fresh calibration (first pass over the corpus); 'warm': the second pass. */
  calibration: 'no' | 'cold' | 'warm';
  mapCalls: number;
  fullCalls: number;
  meanFillAll: number;
  meanFillFull: number;
  overflows: number;
  promptTokens: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

async function pass(contextWindow: number, tok: (typeof REFERENCE_TOKENIZERS)[number], calibration: UsageCalibration, label: FillResult['calibration']): Promise<FillResult> {
  const settings: Settings = { ...DEFAULT_SETTINGS, ignorePatterns: [], maxModelCalls: 1000 };
  const all: number[] = [];
  const full: number[] = [];
  let overflows = 0;
  let promptTokens = 0;
  const budget = makeBudget(contextWindow).promptTokens;
  for (const { diff } of loadCorpus({ includeGithubFixtures: true })) {
    const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow, tokenizer: (s) => tok.count(s), exposeTokenizer: false, deltaChars: 100_000 });
    await runReview({ diff, settings, engine, calibration }, () => {}, new AbortController().signal);
    const maps = engine.requests.filter((r) => requestKind(r) === 'map');
    maps.forEach((r, i) => {
      const real = engine.promptTokens(r);
      promptTokens += real;
      if (real + r.maxTokens > contextWindow) overflows++;
      const fill = real / budget;
      all.push(fill);
      if (i < maps.length - 1) full.push(fill);
    });
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    tokenizer: tok.name,
    contextWindow,
    calibration: label,
    mapCalls: all.length,
    fullCalls: full.length,
    meanFillAll: round(mean(all)),
    meanFillFull: round(mean(full)),
    overflows,
    promptTokens,
  };
}

/** The estimate alone, then a fresh calibration over the corpus (cold), then the same one again (warm). */
export async function measureFill(contextWindow: number, tokenizerIndex: number): Promise<FillResult[]> {
  const tok = REFERENCE_TOKENIZERS[tokenizerIndex]!;
  const cal = new UsageCalibration();
  return [await pass(contextWindow, tok, new NoCalibration(), 'no'), await pass(contextWindow, tok, cal, 'cold'), await pass(contextWindow, tok, cal, 'warm')];
}

export async function benchFill(): Promise<{ target: string; results: FillResult[] }> {
  const results: FillResult[] = [];
  for (const ctx of [4096, 16_384]) {
    for (let t = 0; t < REFERENCE_TOKENIZERS.length; t++) {
      results.push(...(await measureFill(ctx, t)));
    }
  }
  const lines = ['| tokenizer | context | calibration | map calls | mean fill (full calls) | mean fill (all) | overflows | prompt tokens |', '|---|---|---|---|---|---|---|---|'];
  for (const r of results) {
    lines.push(
      `| ${r.tokenizer} | ${r.contextWindow} | ${r.calibration} | ${r.mapCalls} | ${r.fullCalls ? `${(r.meanFillFull * 100).toFixed(1)}%` : '–'} (${r.fullCalls}) | ${(r.meanFillAll * 100).toFixed(1)}% | ${r.overflows} | ${r.promptTokens} |`,
    );
  }
  console.error(lines.join('\n'));
  return { target: 'mean real prompt fill >= 85% of the prompt budget on full calls with a warm calibration, no overflow', results };
}

if (process.argv[1] && /bench\/fill\.ts$/.test(process.argv[1])) {
  benchFill().then(
    (r) => process.argv.includes('--json') && console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
