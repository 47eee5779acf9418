/**
 * Runs a review: plan → one call per chunk (streamed, parsed, findings validated as they come)
 * → one summary call → the Review. Pure apart from the engine it is given; runs in the engine host.
 *
 * Cancelling: when `signal` aborts, the current call is stopped and `runReview` rejects with a
 * DOMException named "AbortError"; no `done` event is emitted. Engine failures after at least one
 * chunk was reviewed end the review early with `truncated: true` and a note; a failure on the
 * very first call is rethrown (usually an EngineError the host can show as it is).
 */
import type { ChatMessage, Engine } from '../engine/engine';
import { EngineError } from '../engine/engine';
import type { PullRequestDiff } from '../model/diff';
import type { Settings } from '../shared/settings';
import { indexFile, type FileIndex } from './anchor';
import type { Chunk } from './chunker';
import { repackRemaining } from './repack';
import { computeCoverage } from './coverage';
import { sanitizeDiff } from './filter';
import { parseMapAnswer } from './finding-parser';
import { FindingCollector } from './findings';
import { LiveMapParser } from './live-map';
import { estimateTimeLeft, type CallTiming } from './time-left';
import { callLimitReason, finishChunk, planReview, shrinkChunk, type ReviewPlan } from './plan';
import { mapJsonSchema } from './prompts';
import { assembleFromNotes, buildWalkthrough, perFileLines, reduceReview, type PartNotes } from './reduce';
import type { Review, ReviewEvent, ReviewStats } from '../model/review';
import { estimateTokens, type TokenCounter } from './token-budget';
import { VERIFY_ANSWER_TOKENS, VERIFY_JSON_SCHEMA, verifyEnabled, verifyFindings } from './verify';
import { UsageCalibration } from './token-calibration';
import { isAbortError } from '../shared/abort';
import { StepTotal } from './step-total';

export { planReview, type ReviewPlan, type PlannedChunk } from './plan';

/** An answer longer than this is runaway generation: the call is stopped there. */
const MAX_ANSWER_CHARS = 60_000;
/** Re-splits allowed after an exact count or the engine says a prompt is too big (a loop guard). */
const MAX_RESPLITS = 1000;

/**
 * The estimate is fitted to the least efficient tokenizer we support; with the model's own
 * tokenizer at hand, scale it to this model (plus a margin) so chunks are packed fuller. Every
 * prompt is still counted exactly before it is sent.
 */
async function calibrate(diff: PullRequestDiff, settings: Settings, contextWindow: number, exact: (s: string) => Promise<number>): Promise<TokenCounter> {
  try {
    const draft = planReview(diff, settings, { contextWindow });
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

export function abortError(): DOMException {
  return new DOMException('The review was cancelled.', 'AbortError');
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

export async function runReview(
  input: {
    diff: PullRequestDiff;
    settings: Settings;
    engine: Engine;
    /** Usage calibration of this engine+model, kept across reviews; a fresh one when absent. */
    calibration?: UsageCalibration;
  },
  emit: (e: ReviewEvent) => void,
  signal: AbortSignal,
): Promise<Review> {
  const started = Date.now();
  throwIfAborted(signal);
  const { settings, engine } = input;
  const diff = sanitizeDiff(input.diff);
  const caps = engine.capabilities();
  const engineCount = caps.countTokens;
  // A tokenizer that fails must not end the review: fall back to the (safe) estimate.
  const exact = engineCount
    ? async (t: string) => {
        try {
          const n = await engineCount(t);
          return Number.isFinite(n) && n >= 0 ? n : estimateTokens(t);
        } catch {
          return estimateTokens(t);
        }
      }
    : undefined;
  const count: TokenCounter = exact ? await calibrate(diff, settings, caps.contextWindow, exact) : estimateTokens;
  throwIfAborted(signal);
  const plan: ReviewPlan = planReview(diff, settings, { contextWindow: caps.contextWindow, countTokens: count });
  const { budget, options, maxModelCalls } = plan;
  const safeEmit = (e: ReviewEvent) => {
    try {
      emit(e);
    } catch {
      // A listener's bug must not end the review.
    }
  };
  // The step total is known before the first call; it changes only with a reason the panel shows.
  const steps = new StepTotal(plan.mapCalls + plan.reduceCalls, maxModelCalls);
  const needSteps = (needed: number, why: string) => steps.need(needed, stats.modelCalls, why);
  const progress = (label: string, currentFile?: string) =>
    safeEmit({
      type: 'progress',
      step: stats.modelCalls + 1,
      ...steps.forProgress(stats.modelCalls),
      label,
      ...(currentFile !== undefined ? { currentFile } : {}),
    });
  const timings: CallTiming[] = [];
  /**
   * llama.cpp (the CPU engine) keeps its KV cache and reuses the prompt's common prefix with the
   * previous call: measured here, the later map calls' prefill ran 2–3 times faster than the first.
   */
  const cachesPrefix = engine.kind === 'wllama';
  let lastSystem: string | null = null;

  const stats: ReviewStats = {
    modelCalls: 0,
    promptTokens: 0,
    completionTokens: 0,
    dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 },
    elapsedMs: 0,
  };
  const notes = [...plan.notes];
  const collector = new FindingCollector(options.depth);
  const indexes = new Map<string, FileIndex>(plan.reviewable.map((f) => [f.path, indexFile(f)]));
  const allIndexes = [...indexes.values()];

  const piecesByPath = new Map<string, Set<string>>();
  const shortened = new Set<string>();
  for (const c of plan.chunks) {
    for (const p of c.pieces) {
      if (!piecesByPath.has(p.path)) piecesByPath.set(p.path, new Set());
      piecesByPath.get(p.path)!.add(p.id);
      if (p.cut) shortened.add(p.path);
    }
  }
  const done = new Set<string>();
  const parts: PartNotes[] = [];
  const queue: Chunk[] = plan.chunks.map((c) => ({ pieces: c.pieces, diffTokens: c.diffTokens }));
  let failure: string | null = null;
  const oversize = new Set<string>();
  let resplits = 0;
  // Without a tokenizer, the real prompt sizes the answers report calibrate the estimate.
  const cal = exact ? null : (input.calibration ?? new UsageCalibration());
  let lastPromptUsage = 0;
  /** Re-plans what is left with the calibrated counts (repack.ts): fuller chunks, fewer calls. */
  let generation = 0;
  const filesByPath = new Map(plan.reviewable.map((f) => [f.path, f]));
  const repack = () => {
    if (!cal?.calibrated || queue.length === 0) return;
    const remainingCalls = queue.length;
    const remaining = queue.splice(0).flatMap((c) => c.pieces);
    const untouched = new Map<string, (typeof plan.reviewable)[number]>();
    for (const path of new Set(remaining.map((p) => p.path))) {
      const file = filesByPath.get(path);
      const ids = [...(piecesByPath.get(path) ?? [])];
      if (file && ids.every((id) => !done.has(id) && remaining.some((p) => p.id === id))) untouched.set(path, file);
    }
    const { chunks, recut } = repackRemaining({
      remaining,
      untouched,
      room: Math.max(48, budget.promptTokens - Math.ceil(plan.instructionTokens * cal.instructionScale())),
      countFor: (path) => cal.counterFor(path),
      pieceTokens: (p) => cal.pieceTokens(p),
      idPrefix: `r${++generation}`,
    });
    for (const [path, pieces] of recut) {
      piecesByPath.set(path, new Set(pieces.map((p) => p.id)));
      if (pieces.some((p) => p.cut)) shortened.add(path);
    }
    const reduceBefore = parts.length + remainingCalls > 1 ? 1 : 0;
    queue.push(...chunks);
    const reduceAfter = parts.length + queue.length > 1 ? 1 : 0;
    const delta = queue.length - remainingCalls + reduceAfter - reduceBefore;
    if (delta !== 0) {
      steps.set(
        steps.value + delta,
        stats.modelCalls,
        delta > 0
          ? 'the model counts more tokens than estimated, so what is left is cut into smaller parts'
          : "the model's real token counts let more of the diff fit in each call",
      );
    }
  };
  repack();
  safeEmit({ type: 'plan', chunks: queue.length, files: plan.reviewable.length, promptTokens: plan.totals.promptTokens, steps: steps.announce() });

  const countExact = async (messages: readonly ChatMessage[]): Promise<number> => {
    if (!exact) return messages.reduce((a, m) => a + count(m.content), 0);
    let n = 0;
    for (const m of messages) n += await exact(m.content);
    return n;
  };

  /** One streamed call; returns the answer text. */
  const callModel = async (
    messages: ChatMessage[],
    jsonSchema: object | undefined,
    promptTokens: number,
    onText?: (answer: string) => void,
    maxTokens = budget.answerTokens,
  ): Promise<string> => {
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort);
    let text = '';
    let usage = false;
    lastPromptUsage = 0;
    const system = messages[0]?.content ?? '';
    const cached = cachesPrefix && system === lastSystem ? Math.min(promptTokens, count(system)) : 0;
    lastSystem = system;
    const timing: CallTiming = { promptTokens, newTokens: promptTokens - cached, completionTokens: 0, seconds: 0 };
    const started = Date.now();
    stats.modelCalls++;
    try {
      const stream = engine.chat(
        { messages, maxTokens, temperature: 0.2, ...(jsonSchema && caps.structuredOutput ? { jsonSchema } : {}) },
        stop.signal,
      );
      for await (const chunk of stream) {
        if (chunk.type === 'delta') {
          if (typeof chunk.text !== 'string' || chunk.text === '') continue;
          text += chunk.text;
          safeEmit({ type: 'text', delta: chunk.text });
          onText?.(text);
          if (text.length > MAX_ANSWER_CHARS) stop.abort();
        } else if (chunk.type === 'usage') {
          usage = true;
          lastPromptUsage = chunk.promptTokens;
          stats.promptTokens += chunk.promptTokens;
          stats.completionTokens += chunk.completionTokens;
          timing.completionTokens = chunk.completionTokens;
          if (chunk.prefillTokensPerSecond) timing.prefillTps = chunk.prefillTokensPerSecond;
          if (chunk.decodeTokensPerSecond) timing.decodeTps = chunk.decodeTokensPerSecond;
          if (chunk.decodeTokensPerSecond) safeEmit({ type: 'speed', tokensPerSecond: chunk.decodeTokensPerSecond });
        }
        if (stop.signal.aborted) break;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    throwIfAborted(signal);
    if (!usage) {
      stats.promptTokens += promptTokens;
      stats.completionTokens += count(text);
    }
    timing.completionTokens ||= count(text);
    timing.seconds = (Date.now() - started) / 1000;
    timings.push(timing);
    safeEmit({ type: 'text', delta: '\n' });
    return text;
  };

  /**
   * A re-planned chunk's sizes are in the model's calibrated tokens: cutting it smaller must
   * measure its lines in the same units, or the cut pieces come out as large as before and a part
   * that was a little over the room is left out (while the step total and time left counted it).
   */
  const chunkCounter = (chunk: Chunk): TokenCounter => {
    if (!cal) return count;
    const counters = [...new Set(chunk.pieces.map((p) => p.path))].map((path) => cal.counterFor(path));
    return (text) => Math.max(count(text), ...counters.map((c) => c(text)));
  };

  const replaceChunk = (old: Chunk, next: Chunk[]) => {
    for (const p of old.pieces) piecesByPath.get(p.path)?.delete(p.id);
    for (const c of next) for (const p of c.pieces) piecesByPath.get(p.path)?.add(p.id);
    queue.unshift(...next);
    needSteps(stats.modelCalls + queue.length + (parts.length + queue.length > 1 ? 1 : 0), "a part was too long for the model's context and was split");
  };

  /** After each call: the time the rest should take, at the speed measured so far. */
  const reportTimeLeft = (reduceCallsLeft: number, otherPrompts: readonly number[] = []) => {
    const reserve = parts.length + queue.length > 1 ? 1 : 0;
    // Map prompts share their instructions: an engine that keeps its cache reads only the diff part.
    const shared = cachesPrefix ? plan.instructionTokens : 0;
    const mapLeft = queue.slice(0, Math.max(0, maxModelCalls - stats.modelCalls - reserve)).map((c) => c.diffTokens + plan.instructionTokens - shared);
    // A summary prompt holds instructions and a few lines per part.
    const reducePrompt = plan.instructionTokens + 60 * (parts.length + queue.length);
    const seconds = estimateTimeLeft(timings, [...mapLeft, ...otherPrompts, ...Array.from({ length: reduceCallsLeft }, () => reducePrompt)]);
    if (seconds !== null) safeEmit({ type: 'time-left', seconds: Math.round(seconds * 10) / 10, callsDone: stats.modelCalls });
  };

  // ---- map: one call per chunk, while the call limit allows (one call kept for the summary) ----
  while (queue.length > 0) {
    throwIfAborted(signal);
    const reserve = parts.length + queue.length > 1 && maxModelCalls >= 2 ? 1 : 0;
    if (stats.modelCalls >= maxModelCalls - reserve) break;
    const chunk = queue.shift()!;
    const planned = finishChunk(chunk, options, count);
    const systemTokens = cal ? cal.count(planned.messages[0]!.content) : await countExact(planned.messages.slice(0, 1));
    const promptTokens = cal ? cal.promptTokens(planned.messages, chunk.pieces) : systemTokens + (await countExact(planned.messages.slice(1)));
    throwIfAborted(signal);
    if (promptTokens > budget.promptTokens) {
      // The instructions stay; only the diff part shrinks, so scale it by what is left for it.
      const room = Math.max(1, budget.promptTokens - systemTokens - 16);
      const smaller = shrinkChunk(chunk, (promptTokens - systemTokens) / room, chunkCounter(chunk));
      if (resplits < MAX_RESPLITS && (smaller.length > 1 || smaller[0]!.diffTokens < chunk.diffTokens)) {
        resplits++;
        replaceChunk(chunk, smaller);
        continue;
      }
      // It cannot be made to fit: never send a prompt that overflows; say what was left out.
      for (const p of chunk.pieces) oversize.add(p.path);
      continue;
    }
    progress(`Reviewing ${planned.files.length === 1 ? planned.files[0] : `${planned.files.length} files`}`, planned.files[0]);
    const chunkIndexes = planned.files.map((f) => indexes.get(f)).filter((x): x is FileIndex => x !== undefined);
    const addFindings = (raw: Parameters<FindingCollector['add']>[0]) => {
      for (const f of collector.add(raw, chunkIndexes, allIndexes)) safeEmit({ type: 'finding', finding: f });
    };
    // Summary lines and findings reach the panel as soon as the model has written them.
    const live = new LiveMapParser(planned.files, {
      summary: (path, summary) => safeEmit({ type: 'file-summary', path, summary }),
      findings: addFindings,
    });
    let answer: string;
    try {
      answer = await callModel(planned.messages, mapJsonSchema(options.depth), promptTokens, (text) => live.feed(text));
    } catch (e) {
      if (signal.aborted || isAbortError(e)) throw abortError();
      if (e instanceof EngineError && e.code === 'context-exceeded' && resplits < MAX_RESPLITS) {
        resplits++;
        cal?.penalize();
        replaceChunk(chunk, shrinkChunk(chunk, 1.3, chunkCounter(chunk)));
        continue;
      }
      if (parts.length === 0) throw e;
      failure = e instanceof Error ? e.message : String(e);
      queue.unshift(chunk);
      break;
    }
    if (cal && lastPromptUsage > 0 && cal.observe(planned.messages, chunk.pieces, lastPromptUsage)) repack();
    const parsed = parseMapAnswer(answer);
    if (!parsed.ok) notes.push(`The model's answer for ${planned.files.join(', ')} could not be read; those files have no findings.`);
    else if (answer.length > MAX_ANSWER_CHARS) notes.push(`The model's answer for ${planned.files.join(', ')} ran past ${MAX_ANSWER_CHARS.toLocaleString('en')} characters and was cut there; findings after that point are lost.`);
    collector.countUnparseable(parsed.unparseable);
    addFindings(live.finish(parsed));
    for (const p of chunk.pieces) done.add(p.id);
    parts.push({ files: planned.files, summary: parsed.summary });
    reportTimeLeft(parts.length + queue.length > 1 && maxModelCalls >= 2 ? 1 : 0);
  }

  const cut = queue.length > 0;
  const cutReason = failure ? `the model failed (${failure})` : callLimitReason(maxModelCalls);
  if (failure) notes.push(`The review stopped early because the model failed: ${failure}`);
  else if (cut && !plan.truncated) notes.push(`The call limit of ${maxModelCalls} was reached before every part was reviewed.`);
  const coverage = computeCoverage({
    order: diff.files.map((f) => f.path),
    excluded: plan.excluded,
    pieces: piecesByPath,
    done,
    cutReason,
    incomplete: plan.incomplete,
    shortened,
  });
  for (const c of coverage) {
    if (oversize.has(c.path) && c.coverage !== 'full') {
      c.reason = `${c.coverage === 'skipped' ? 'not reviewed' : 'partly reviewed'}: a part is too large for the model's context window`;
    }
  }
  if (oversize.size > 0) notes.push(`Parts of ${oversize.size} file(s) could not be made to fit the model's context window and were not reviewed.`);
  let findings = collector.all();

  // ---- verify (thorough depth): one short call per finding, with its hunk ----
  if (verifyEnabled(settings) && findings.length > 0 && !failure) {
    const before = { calls: stats.modelCalls, prompt: stats.promptTokens, completion: stats.completionTokens };
    const keepForReduce = parts.length > 1 ? 1 : 0;
    const total = findings.length;
    steps.set(steps.value + total, stats.modelCalls, `each of the ${total} findings is checked once more (thorough depth)`);
    const v = await verifyFindings(findings, indexes, async (messages, i) => {
      throwIfAborted(signal);
      if (stats.modelCalls >= maxModelCalls - keepForReduce) return null;
      const tokens = await countExact(messages);
      if (tokens > budget.promptTokens + budget.answerTokens - VERIFY_ANSWER_TOKENS) return null;
      progress(`Checking finding ${i + 1} of ${total}`);
      try {
        const answer = await callModel(messages, VERIFY_JSON_SCHEMA, tokens, undefined, VERIFY_ANSWER_TOKENS);
        // The checks left are about this size each; then the summary, when there are parts to combine.
        reportTimeLeft(keepForReduce, Array.from({ length: total - i - 1 }, () => tokens));
        return answer;
      } catch (e) {
        if (signal.aborted || isAbortError(e)) throw abortError();
        return null;
      }
    });
    findings = v.kept;
    stats.verify = {
      checked: v.checked,
      rejected: v.rejected,
      unchecked: v.unchecked,
      calls: stats.modelCalls - before.calls,
      promptTokens: stats.promptTokens - before.prompt,
      completionTokens: stats.completionTokens - before.completion,
    };
    if (v.rejected > 0) notes.push(`The verify pass dropped ${v.rejected} finding(s) the model judged not to be real defects.`);
    if (v.unchecked > 0) notes.push(`${v.unchecked} finding(s) were not re-checked by the verify pass (call limit or a failed check).`);
  }

  // ---- reduce ----
  let summary: { summary: string; risks: string[]; changes: string[] };
  if (parts.length > 1 && !failure) {
    const reviewed = coverage.filter((c) => c.coverage === 'full' || c.coverage === 'partial').length;
    const header = `Pull request: ${coverage.length} files, ${reviewed} reviewed, ${coverage.length - reviewed} not reviewed.`;
    const r = await reduceReview(parts, findings, header, {
      options,
      budget,
      count,
      callsLeft: () => maxModelCalls - stats.modelCalls,
      willCall: (calls) => needSteps(stats.modelCalls + calls, 'the notes were too long for one summary call, so they are summarised in groups first'),
      call: async (messages, schema, label) => {
        throwIfAborted(signal);
        let fitted = messages;
        let tokens = await countExact(fitted);
        // The estimate planned this prompt; an exact count can still say it is too long: cut data lines.
        while (tokens > budget.promptTokens) {
          const user = fitted[1]!.content.split('\n');
          if (user.length <= 4) return null;
          user.splice(user.length - 3, 1);
          fitted = [fitted[0]!, { role: 'user', content: user.join('\n') }];
          tokens = await countExact(fitted);
        }
        needSteps(stats.modelCalls + 1, 'the notes were too long for one summary call');
        progress(label);
        try {
          const answer = await callModel(fitted, schema, tokens);
          reportTimeLeft(0);
          return answer;
        } catch (e) {
          if (signal.aborted || isAbortError(e)) throw abortError();
          return null;
        }
      },
    });
    notes.push(...r.notes);
    summary = r;
  } else if (parts.length === 0) {
    // Say plainly that the model saw nothing, rather than summarise an empty review.
    summary = {
      summary:
        plan.reviewable.length === 0
          ? 'Nothing to review: every changed file was skipped or not loaded (see the coverage).'
          : 'Nothing was reviewed (see the coverage for why).',
      risks: [],
      changes: [],
    };
  } else {
    summary = assembleFromNotes(parts, findings);
  }
  throwIfAborted(signal);

  const fileStats = new Map(
    diff.files.map((f) => {
      let additions = 0;
      let deletions = 0;
      for (const h of f.hunks) for (const l of h.lines) (l.kind === 'addition' ? additions++ : l.kind === 'deletion' ? deletions++ : 0);
      return [f.path, { additions: typeof f.additions === 'number' ? f.additions : additions, deletions: typeof f.deletions === 'number' ? f.deletions : deletions }] as const;
    }),
  );
  stats.dropped = { ...collector.dropped };
  stats.elapsedMs = Date.now() - started;
  const review: Review = {
    summary: summary.summary,
    risks: summary.risks,
    changes: summary.changes,
    walkthrough: buildWalkthrough(coverage, perFileLines(parts).byFile, fileStats),
    findings,
    coverage,
    truncated: cut || plan.truncated || failure !== null || oversize.size > 0 || (plan.reviewable.length > 0 && plan.chunks.length === 0),
    stats,
    ...(notes.length > 0 ? { notes } : {}),
  };
  safeEmit({ type: 'done', review });
  return review;
}
