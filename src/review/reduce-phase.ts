/**
 * The reduce phase: what the map calls covered (and why the rest was not), the summary (one call,
 * or groups first when the notes are long; none with a single part), and the finished Review.
 */
import type { ChatMessage } from '../engine/engine';
import type { FileCoverage, Finding, Review } from '../model/review';
import { rethrowIfAborted } from '../shared/abort';
import { computeCoverage } from './coverage';
import { callModel } from './model-call';
import { callLimitReason } from './plan';
import { assembleFromNotes, buildWalkthrough, perFileLines, reduceReview } from './reduce';
import type { ReviewRun } from './review-run';

type Summary = { summary: string; risks: string[]; changes: string[] };

/** The coverage once the map calls are over, with the notes on what stopped them. */
export function closeCoverage(run: ReviewRun): { coverage: FileCoverage[]; cut: boolean } {
  const { plan, notes, failure, oversize } = run;
  const cut = run.queue.length > 0;
  const cutReason = failure ? `the model failed (${failure})` : callLimitReason(plan.maxModelCalls);
  if (failure) notes.push(`The review stopped early because the model failed: ${failure}`);
  else if (cut && !plan.truncated) notes.push(`The call limit of ${plan.maxModelCalls} was reached before every part was reviewed.`);
  const coverage = computeCoverage({
    order: run.diff.files.map((f) => f.path),
    excluded: plan.excluded,
    pieces: run.piecesByPath,
    done: run.done,
    cutReason,
    incomplete: plan.incomplete,
    shortened: run.shortened,
  });
  for (const c of coverage) {
    if (oversize.has(c.path) && c.coverage !== 'full') {
      c.reason = `${c.coverage === 'skipped' ? 'not reviewed' : 'partly reviewed'}: a part is too large for the model's context window`;
    }
  }
  if (oversize.size > 0) notes.push(`Parts of ${oversize.size} file(s) could not be made to fit the model's context window and were not reviewed.`);
  return { coverage, cut };
}

/** The summary, risks and changes: from a summary call when there are parts to combine. */
export async function runReducePhase(run: ReviewRun, coverage: FileCoverage[], findings: Finding[]): Promise<Summary> {
  const { parts, plan } = run;
  if (parts.length > 1 && !run.failure) {
    const reviewed = coverage.filter((c) => c.coverage === 'full' || c.coverage === 'partial').length;
    const header = `Pull request: ${coverage.length} files, ${reviewed} reviewed, ${coverage.length - reviewed} not reviewed.`;
    const r = await reduceReview(parts, findings, header, {
      options: plan.options,
      budget: plan.budget,
      count: run.count,
      callsLeft: () => plan.maxModelCalls - run.stats.modelCalls,
      willCall: (calls) => run.needSteps(run.stats.modelCalls + calls, 'the notes were too long for one summary call, so they are summarised in groups first'),
      call: (messages, schema, label) => summaryCall(run, messages, schema, label),
    });
    run.notes.push(...r.notes);
    return r;
  }
  if (parts.length === 0) {
    // Say plainly that the model saw nothing, rather than summarise an empty review.
    return {
      summary:
        plan.reviewable.length === 0
          ? 'Nothing to review: every changed file was skipped or not loaded (see the coverage).'
          : 'Nothing was reviewed (see the coverage for why).',
      risks: [],
      changes: [],
    };
  }
  return assembleFromNotes(parts, findings);
}

/** One summary call; null (the summary is then assembled from the notes) when it cannot be made. */
async function summaryCall(run: ReviewRun, messages: ChatMessage[], schema: object | undefined, label: string): Promise<string | null> {
  const { budget } = run.plan;
  run.throwIfAborted();
  let fitted = messages;
  let tokens = await run.countExact(fitted);
  // The estimate planned this prompt; an exact count can still say it is too long: cut data lines.
  while (tokens > budget.promptTokens) {
    const user = fitted[1]!.content.split('\n');
    if (user.length <= 4) return null;
    user.splice(user.length - 3, 1);
    fitted = [fitted[0]!, { role: 'user', content: user.join('\n') }];
    tokens = await run.countExact(fitted);
  }
  run.needSteps(run.stats.modelCalls + 1, 'the notes were too long for one summary call');
  run.progress(label);
  try {
    const answer = await callModel(run, fitted, schema, tokens);
    run.reportTimeLeft(0);
    return answer;
  } catch (e) {
    rethrowIfAborted(e, run.signal);
    return null;
  }
}

/** The finished Review. */
export function assembleReview(run: ReviewRun, coverage: FileCoverage[], findings: Finding[], summary: Summary, cut: boolean, started: number): Review {
  const { plan, stats, notes, diff } = run;
  const fileStats = new Map(
    diff.files.map((f) => {
      let additions = 0;
      let deletions = 0;
      for (const h of f.hunks) for (const l of h.lines) (l.kind === 'addition' ? additions++ : l.kind === 'deletion' ? deletions++ : 0);
      return [f.path, { additions: typeof f.additions === 'number' ? f.additions : additions, deletions: typeof f.deletions === 'number' ? f.deletions : deletions }] as const;
    }),
  );
  stats.dropped = { ...run.collector.dropped };
  stats.elapsedMs = Date.now() - started;
  return {
    summary: summary.summary,
    risks: summary.risks,
    changes: summary.changes,
    walkthrough: buildWalkthrough(coverage, perFileLines(run.parts).byFile, fileStats),
    findings,
    coverage,
    truncated: cut || plan.truncated || run.failure !== null || run.oversize.size > 0 || (plan.reviewable.length > 0 && plan.chunks.length === 0),
    stats,
    ...(notes.length > 0 ? { notes } : {}),
  };
}
