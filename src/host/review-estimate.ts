/**
 * How long a review should take on this machine: the plan's token counts times the engine's
 * measured speed, with faster options to offer when it would take long. Pure: the engine host
 * passes in the speed it measured and the smaller model it knows of.
 */
import type { ReviewEstimate, ReviewRequest } from '../protocol';
import type { EngineChoice } from '../engine/engine-factory';
import { estimateReviewTime, formatDuration, promptCacheSavings, suggestFaster, type Speed } from '../engine/speed-estimate';
import { mapSystemPrompt } from '../review/prompts';
import { estimateTokens } from '../review/token-budget';
import type { PlannedReview } from '../review/pipeline';

/**
 * Share of the answer budget a call is assumed to use until this model's own answers have been
 * measured (`answerTokens`, learnt from every review call's usage): cautious on purpose, a first
 * estimate that is too long is better than one that is too short.
 */
const EXPECTED_ANSWER_SHARE = 0.4;

/**
 * The estimate of the review `runReview` has just planned (its own plan, never a second one), or
 * null when it cannot be made (an estimate never stops a review). Its calls are the step total the
 * review announces, so the estimate and the panel's "step 1 of N" agree.
 */
export function estimateReview(
  { plan, steps }: PlannedReview,
  request: ReviewRequest,
  choice: EngineChoice,
  speed: Speed & { measured: boolean; answerTokens?: number },
  smaller: { id: string; label: string } | undefined,
): ReviewEstimate | null {
  try {
    // A plan with nothing to send makes no call (the step total never shows fewer than one).
    const calls = plan.mapCalls + plan.reduceCalls === 0 ? 0 : steps;
    const perCall = Math.min(plan.budget.answerTokens, speed.answerTokens ?? plan.budget.answerTokens * EXPECTED_ANSWER_SHARE);
    const completionTokens = Math.round(calls * perCall);
    // The CPU engine reuses the shared system prompt's KV cache from one map call to the next.
    const cachedPromptTokens = promptCacheSavings(choice.kind, plan.mapCalls, estimateTokens(mapSystemPrompt(plan.options)));
    const time = estimateReviewTime({ promptTokens: plan.totals.promptTokens, cachedPromptTokens, completionTokens, calls }, speed);
    const faster = suggestFaster(time, { depth: request.settings.depth, ...(smaller ? { smallerModel: smaller } : {}) }).map((f) =>
      f.kind === 'smaller-model' ? { kind: f.kind, engine: choice.kind, modelId: f.modelId, text: f.text } : f,
    );
    return { seconds: Math.round(time.seconds), text: formatDuration(time.seconds), measured: time.measured, promptTokens: plan.totals.promptTokens, calls, faster };
  } catch {
    return null;
  }
}
