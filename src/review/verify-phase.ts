/**
 * The verify pass (thorough depth, `verifyFindings` on): one short call per finding, with its
 * hunk, between the map and the reduce phases. Findings the model rejects are dropped; checks past
 * the call limit (one call stays kept for the summary) leave their findings in, with a note.
 */
import type { Finding } from '../model/review';
import { rethrowIfAborted } from '../shared/abort';
import { callModel } from './model-call';
import type { ReviewRun } from './review-run';
import { VERIFY_ANSWER_TOKENS, VERIFY_JSON_SCHEMA, verifyEnabled, verifyFindings } from './verify';

/** The findings the pass keeps (all of them when it does not run). */
export async function runVerifyPhase(run: ReviewRun, findings: Finding[]): Promise<Finding[]> {
  if (!verifyEnabled(run.settings) || findings.length === 0 || run.failure) return findings;
  const { stats, plan, signal } = run;
  const before = { calls: stats.modelCalls, prompt: stats.promptTokens, completion: stats.completionTokens };
  const keepForReduce = run.parts.length > 1 ? 1 : 0;
  const total = findings.length;
  run.steps.set(run.steps.value + total, stats.modelCalls, `each of the ${total} findings is checked once more (thorough depth)`);
  const v = await verifyFindings(findings, run.indexes, async (messages, i) => {
    run.throwIfAborted();
    if (stats.modelCalls >= plan.maxModelCalls - keepForReduce) return null;
    const tokens = await run.countExact(messages);
    if (tokens > plan.budget.promptTokens + plan.budget.answerTokens - VERIFY_ANSWER_TOKENS) return null;
    run.progress(`Checking finding ${i + 1} of ${total}`);
    try {
      const answer = await callModel(run, messages, VERIFY_JSON_SCHEMA, tokens, undefined, VERIFY_ANSWER_TOKENS);
      // The checks left are about this size each; then the summary, when there are parts to combine.
      run.reportTimeLeft(keepForReduce, Array.from({ length: total - i - 1 }, () => tokens));
      return answer;
    } catch (e) {
      rethrowIfAborted(e, signal);
      return null;
    }
  });
  stats.verify = {
    checked: v.checked,
    rejected: v.rejected,
    unchecked: v.unchecked,
    calls: stats.modelCalls - before.calls,
    promptTokens: stats.promptTokens - before.prompt,
    completionTokens: stats.completionTokens - before.completion,
  };
  if (v.rejected > 0) run.notes.push(`The verify pass dropped ${v.rejected} finding(s) the model judged not to be real defects.`);
  if (v.unchecked > 0) run.notes.push(`${v.unchecked} finding(s) were not re-checked by the verify pass (call limit or a failed check).`);
  return v.kept;
}
