/**
 * The state of one running review, shared by its phases (map-phase.ts, verify-phase.ts,
 * reduce-phase.ts): the plan, what was sent and what is left, the counters, and what every phase
 * needs to call the model and tell the panel how far it is.
 */
import type { ChatMessage, Engine, EngineCapabilities } from '../engine/engine';
import type { PullRequestDiff } from '../model/diff';
import type { ReviewEvent, ReviewStats } from '../model/review';
import type { Settings } from '../shared/settings';
import { indexFile, type FileIndex } from './anchor';
import type { Chunk } from './chunker';
import { FindingCollector } from './findings';
import type { ReviewPlan } from './plan';
import type { PartNotes } from './reduce';
import { repackRemaining } from './repack';
import type { RunPlan } from './run-plan';
import { throwIfAborted } from '../shared/abort';
import { StepTotal } from './step-total';
import { estimateTimeLeft, type CallTiming } from './time-left';
import type { TokenCounter } from './token-budget';
import { UsageCalibration } from './token-calibration';

/** An answer longer than this is runaway generation: the call is stopped there. */
export const MAX_ANSWER_CHARS = 60_000;

export interface RunSetup extends RunPlan {
  engine: Engine;
  settings: Settings;
  emit: (e: ReviewEvent) => void;
  signal: AbortSignal;
  /** Usage calibration of this engine+model, kept across reviews; a fresh one when absent. */
  calibration: UsageCalibration | undefined;
}

export class ReviewRun {
  readonly engine: Engine;
  readonly caps: EngineCapabilities;
  readonly settings: Settings;
  readonly signal: AbortSignal;
  readonly diff: PullRequestDiff;
  readonly plan: ReviewPlan;
  readonly count: TokenCounter;
  readonly exact: RunPlan['exact'];
  readonly stats: ReviewStats = {
    modelCalls: 0,
    promptTokens: 0,
    completionTokens: 0,
    dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 },
    elapsedMs: 0,
  };
  readonly notes: string[];
  readonly collector: FindingCollector;
  readonly indexes: Map<string, FileIndex>;
  readonly allIndexes: FileIndex[];
  /** Piece ids per file, as planned and re-planned: the coverage counts them. */
  readonly piecesByPath = new Map<string, Set<string>>();
  readonly shortened = new Set<string>();
  /** Ids of the pieces the model has reviewed. */
  readonly done = new Set<string>();
  readonly parts: PartNotes[] = [];
  /** Chunks still to send, in order. */
  readonly queue: Chunk[];
  /** Files with a part that cannot be made to fit the context window. */
  readonly oversize = new Set<string>();
  failure: string | null = null;
  resplits = 0;
  /** Without a tokenizer, the real prompt sizes the answers report calibrate the estimate. */
  readonly cal: UsageCalibration | null;
  /** Prompt tokens of the last call as the engine reported them (0 when it did not). */
  lastPromptUsage = 0;
  /** The step total the panel shows; it changes only with a reason. */
  readonly steps: StepTotal;
  readonly timings: CallTiming[] = [];
  /**
   * llama.cpp (the CPU engine) keeps its KV cache and reuses the prompt's common prefix with the
   * previous call: measured here, the later map calls' prefill ran 2–3 times faster than the first.
   */
  readonly cachesPrefix: boolean;
  lastSystem: string | null = null;
  private readonly listener: (e: ReviewEvent) => void;
  private readonly filesByPath: Map<string, ReviewPlan['reviewable'][number]>;
  private generation = 0;

  constructor(setup: RunSetup) {
    ({ engine: this.engine, settings: this.settings, signal: this.signal, diff: this.diff, plan: this.plan, count: this.count, exact: this.exact } = setup);
    this.listener = setup.emit;
    this.caps = this.engine.capabilities();
    this.cachesPrefix = this.engine.kind === 'wllama';
    const plan = this.plan;
    this.steps = new StepTotal(plan.mapCalls + plan.reduceCalls, plan.maxModelCalls);
    this.notes = [...plan.notes];
    this.collector = new FindingCollector(plan.options.depth);
    this.indexes = new Map<string, FileIndex>(plan.reviewable.map((f) => [f.path, indexFile(f)]));
    this.allIndexes = [...this.indexes.values()];
    for (const c of plan.chunks) {
      for (const p of c.pieces) {
        if (!this.piecesByPath.has(p.path)) this.piecesByPath.set(p.path, new Set());
        this.piecesByPath.get(p.path)!.add(p.id);
        if (p.cut) this.shortened.add(p.path);
      }
    }
    this.queue = plan.chunks.map((c) => ({ pieces: c.pieces, diffTokens: c.diffTokens }));
    this.cal = this.exact ? null : (setup.calibration ?? new UsageCalibration());
    this.filesByPath = new Map(plan.reviewable.map((f) => [f.path, f]));
  }

  emit(e: ReviewEvent): void {
    try {
      this.listener(e);
    } catch {
      // A listener's bug must not end the review.
    }
  }

  throwIfAborted(): void {
    throwIfAborted(this.signal);
  }

  /** Whether the parts reviewed and left need a summary call to combine them. */
  needsSummary(): boolean {
    return this.parts.length + this.queue.length > 1;
  }

  needSteps(needed: number, why: string): void {
    this.steps.need(needed, this.stats.modelCalls, why);
  }

  progress(label: string, currentFile?: string): void {
    this.emit({
      type: 'progress',
      step: this.stats.modelCalls + 1,
      ...this.steps.forProgress(this.stats.modelCalls),
      label,
      ...(currentFile !== undefined ? { currentFile } : {}),
    });
  }

  /** Re-plans what is left with the calibrated counts (repack.ts): fuller chunks, fewer calls. */
  repack(): void {
    const cal = this.cal;
    if (!cal?.calibrated || this.queue.length === 0) return;
    const remainingCalls = this.queue.length;
    const remaining = this.queue.splice(0).flatMap((c) => c.pieces);
    const untouched = new Map<string, ReviewPlan['reviewable'][number]>();
    const remainingIds = new Set(remaining.map((p) => p.id));
    for (const path of new Set(remaining.map((p) => p.path))) {
      const file = this.filesByPath.get(path);
      const ids = [...(this.piecesByPath.get(path) ?? [])];
      if (file && ids.every((id) => !this.done.has(id) && remainingIds.has(id))) untouched.set(path, file);
    }
    const { chunks, recut } = repackRemaining({
      remaining,
      untouched,
      room: Math.max(48, this.plan.budget.promptTokens - Math.ceil(this.plan.instructionTokens * cal.instructionScale())),
      countFor: (path) => cal.counterFor(path),
      pieceTokens: (p) => cal.pieceTokens(p),
      idPrefix: `r${++this.generation}`,
    });
    for (const [path, pieces] of recut) {
      this.piecesByPath.set(path, new Set(pieces.map((p) => p.id)));
      if (pieces.some((p) => p.cut)) this.shortened.add(path);
    }
    const reduceBefore = this.parts.length + remainingCalls > 1 ? 1 : 0;
    this.queue.push(...chunks);
    const reduceAfter = this.needsSummary() ? 1 : 0;
    const delta = this.queue.length - remainingCalls + reduceAfter - reduceBefore;
    if (delta !== 0) {
      this.steps.set(
        this.steps.value + delta,
        this.stats.modelCalls,
        delta > 0
          ? 'the model counts more tokens than estimated, so what is left is cut into smaller parts'
          : "the model's real token counts let more of the diff fit in each call",
      );
    }
  }

  /** Prompt tokens of messages: exactly with the model's tokenizer, else with the planning counter. */
  async countExact(messages: readonly ChatMessage[]): Promise<number> {
    if (!this.exact) return messages.reduce((a, m) => a + this.count(m.content), 0);
    let n = 0;
    for (const m of messages) n += await this.exact(m.content);
    return n;
  }

  /**
   * A re-planned chunk's sizes are in the model's calibrated tokens: cutting it smaller must
   * measure its lines in the same units, or the cut pieces come out as large as before and a part
   * that was a little over the room is left out (while the step total and time left counted it).
   */
  chunkCounter(chunk: Chunk): TokenCounter {
    const cal = this.cal;
    if (!cal) return this.count;
    const counters = [...new Set(chunk.pieces.map((p) => p.path))].map((path) => cal.counterFor(path));
    return (text) => Math.max(this.count(text), ...counters.map((c) => c(text)));
  }

  /** Puts the smaller chunks a chunk was cut into at the front of the queue. */
  replaceChunk(old: Chunk, next: Chunk[]): void {
    for (const p of old.pieces) this.piecesByPath.get(p.path)?.delete(p.id);
    for (const c of next) for (const p of c.pieces) this.piecesByPath.get(p.path)?.add(p.id);
    this.queue.unshift(...next);
    this.needSteps(this.stats.modelCalls + this.queue.length + (this.needsSummary() ? 1 : 0), "a part was too long for the model's context and was split");
  }

  /** After each call: the time the rest should take, at the speed measured so far. */
  reportTimeLeft(reduceCallsLeft: number, otherPrompts: readonly number[] = []): void {
    const { plan, stats } = this;
    const reserve = this.needsSummary() ? 1 : 0;
    // Map prompts share their instructions: an engine that keeps its cache reads only the diff part.
    const shared = this.cachesPrefix ? plan.instructionTokens : 0;
    const mapLeft = this.queue
      .slice(0, Math.max(0, plan.maxModelCalls - stats.modelCalls - reserve))
      .map((c) => c.diffTokens + plan.instructionTokens - shared);
    // A summary prompt holds instructions and a few lines per part.
    const reducePrompt = plan.instructionTokens + 60 * (this.parts.length + this.queue.length);
    const seconds = estimateTimeLeft(this.timings, [...mapLeft, ...otherPrompts, ...Array.from({ length: reduceCallsLeft }, () => reducePrompt)]);
    if (seconds !== null) this.emit({ type: 'time-left', seconds: Math.round(seconds * 10) / 10, callsDone: stats.modelCalls });
  }
}
