/**
 * Runs a review: plan → one call per chunk (streamed, parsed, findings validated as they come)
 * → the verify pass (thorough depth) → one summary call → the Review. Pure apart from the engine
 * it is given; runs in the engine host. Each phase has its module: run-plan.ts (sanitise, count,
 * plan: once), map-phase.ts, verify-phase.ts, reduce-phase.ts; review-run.ts holds their state.
 *
 * Cancelling: when `signal` aborts, the current call is stopped and `runReview` rejects with a
 * DOMException named "AbortError"; no `done` event is emitted. Engine failures after at least one
 * chunk was reviewed end the review early with `truncated: true` and a note; a failure on the
 * very first call is rethrown (usually an EngineError the host can show as it is).
 */
import type { Engine } from '../engine/engine';
import type { PullRequestDiff } from '../model/diff';
import type { Review, ReviewEvent } from '../model/review';
import type { Settings } from '../shared/settings';
import { runMapPhase } from './map-phase';
import type { ReviewPlan } from './plan';
import { assembleReview, closeCoverage, runReducePhase } from './reduce-phase';
import { ReviewRun } from './review-run';
import { planRun } from './run-plan';
import { throwIfAborted } from '../shared/abort';
import type { UsageCalibration } from './token-calibration';
import { runVerifyPhase } from './verify-phase';

/** The review's one plan and the step total it announces, before the first call. */
export interface PlannedReview {
  plan: ReviewPlan;
  /** The step total of the `plan` event (the plan's calls, re-planned with a learnt calibration). */
  steps: number;
}

export async function runReview(
  input: {
    diff: PullRequestDiff;
    settings: Settings;
    engine: Engine;
    /** Usage calibration of this engine+model, kept across reviews; a fresh one when absent. */
    calibration?: UsageCalibration;
    /**
     * Told the plan just before the `plan` event, so a caller (the engine host's time estimate)
     * uses this review's own plan instead of making another. Its errors are ignored.
     */
    onPlan?: (planned: PlannedReview) => void;
  },
  emit: (e: ReviewEvent) => void,
  signal: AbortSignal,
): Promise<Review> {
  const started = Date.now();
  throwIfAborted(signal);
  const planned = await planRun(input, signal);
  const run = new ReviewRun({ ...planned, engine: input.engine, settings: input.settings, emit, signal, calibration: input.calibration });
  const { plan } = run;
  run.repack();
  const steps = run.steps.announce();
  try {
    input.onPlan?.({ plan, steps });
  } catch {
    // The caller's bug must not end the review.
  }
  run.emit({ type: 'plan', chunks: run.queue.length, files: plan.reviewable.length, promptTokens: plan.totals.promptTokens, steps });

  await runMapPhase(run);
  const { coverage, cut } = closeCoverage(run);
  const findings = await runVerifyPhase(run, run.collector.all());
  const summary = await runReducePhase(run, coverage, findings);
  throwIfAborted(signal);
  const review = assembleReview(run, coverage, findings, summary, cut, started);
  run.emit({ type: 'done', review });
  return review;
}
