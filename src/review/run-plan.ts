/**
 * What a review runs on, worked out once before its first call: the diff made well-formed (the one
 * `sanitizeDiff` of the review), the token counter (the model's own tokenizer when it offers one,
 * else the estimate) and the plan made with that counter. The plan is made once; an engine with a
 * tokenizer also gets a draft with the plain estimate first, whose prompts are the sample its
 * tokenizer is measured on.
 */
import type { Engine } from '../engine/engine';
import type { PullRequestDiff } from '../model/diff';
import type { Settings } from '../shared/settings';
import { sanitizeDiff } from './filter';
import { planSafeDiff, type ReviewPlan } from './plan';
import { estimateTokens, type TokenCounter } from './token-budget';
import { throwIfAborted } from '../shared/abort';

export interface RunPlan {
  /** The sanitised diff: the only copy the review reads. */
  diff: PullRequestDiff;
  plan: ReviewPlan;
  /** The planning counter: the estimate, or the estimate scaled to the model's tokenizer. */
  count: TokenCounter;
  /** The model's tokenizer (never failing: the estimate stands in), when the engine has one. */
  exact: ((text: string) => Promise<number>) | undefined;
}

/** The engine's tokenizer, made safe: a tokenizer that fails must not end the review. */
function safeTokenizer(engine: Engine): RunPlan['exact'] {
  const engineCount = engine.capabilities().countTokens;
  if (!engineCount) return undefined;
  return async (t: string) => {
    try {
      const n = await engineCount(t);
      return Number.isFinite(n) && n >= 0 ? n : estimateTokens(t);
    } catch {
      return estimateTokens(t);
    }
  };
}

/**
 * The estimate is fitted to the least efficient tokenizer we support; with the model's own
 * tokenizer at hand, scale it to this model (plus a margin) so chunks are packed fuller. Every
 * prompt is still counted exactly before it is sent.
 */
async function calibrate(diff: PullRequestDiff, settings: Settings, contextWindow: number, exact: (s: string) => Promise<number>): Promise<TokenCounter> {
  try {
    const draft = planSafeDiff(diff, settings, { contextWindow });
    let sample = draft.chunks.length > 0 ? draft.chunks[0]!.messages[0]!.content : '';
    for (const c of draft.chunks) {
      if (sample.length > 30_000) break;
      sample += `\n${c.messages[1]!.content}`;
    }
    const estimated = estimateTokens(sample);
    const real = await exact(sample);
    if (!(estimated > 500 && real > 0)) return estimateTokens;
    // Above 1 too: a tokenizer less efficient than the estimate assumes must not overflow.
    const ratio = (real / estimated) * 1.1;
    return (s) => Math.ceil(estimateTokens(s) * ratio);
  } catch {
    return estimateTokens;
  }
}

export async function planRun(input: { diff: PullRequestDiff; settings: Settings; engine: Engine }, signal: AbortSignal): Promise<RunPlan> {
  const diff = sanitizeDiff(input.diff);
  const { contextWindow } = input.engine.capabilities();
  const exact = safeTokenizer(input.engine);
  const count: TokenCounter = exact ? await calibrate(diff, input.settings, contextWindow, exact) : estimateTokens;
  throwIfAborted(signal);
  return { diff, plan: planSafeDiff(diff, input.settings, { contextWindow, countTokens: count }), count, exact };
}
