/**
 * The plan of a review, computed without a model: which files, cut into which chunks, how many
 * tokens each prompt takes, and what the call limit leaves out. `runReview` executes it; the
 * `review-plan` CLI prints it.
 */
import type { ChatMessage } from '../engine/engine';
import type { DiffFile, PullRequestDiff } from '../model/diff';
import type { Settings } from '../shared/settings';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { chunkText, orderFiles, packPieces, splitFile, splitPiece, type Chunk, type Piece } from './chunker';
import { computeCoverage } from './coverage';
import { unifiedText } from './diff-format';
import { filterFiles, sanitizeDiff } from './filter';
import { MAP_USER_SUFFIX, mapMessages, mapSystemPrompt, wrapperOverhead, type PromptOptions } from './prompts';
import type { FileCoverage } from '../model/review';
import { estimateTokens, makeBudget, type TokenBudget, type TokenCounter } from './token-budget';

export interface PlannedChunk {
  /** Paths in this chunk, in order (a split file appears in several chunks). */
  files: string[];
  pieces: Piece[];
  /** Tokens of the diff part alone. */
  diffTokens: number;
  /** Tokens of the whole prompt (all messages), as counted by the plan's counter. */
  promptTokens: number;
  messages: ChatMessage[];
}

export interface ReviewPlan {
  budget: TokenBudget;
  /** Tokens of the fixed part of every map prompt (system message + the user message's wrapping). */
  instructionTokens: number;
  options: PromptOptions;
  /** All chunks, most important first; only the first `mapCalls` are sent. */
  chunks: PlannedChunk[];
  mapCalls: number;
  /** Final summary calls planned (0 when a single chunk already is the whole review). */
  reduceCalls: number;
  maxModelCalls: number;
  /** Reviewable files in review order. */
  reviewable: DiffFile[];
  /** Planned coverage of every file, in the diff's order. */
  files: FileCoverage[];
  /** Left-out parts reviewable in principle, for coverage (see coverage.ts). */
  excluded: FileCoverage[];
  incomplete: Map<string, string>;
  truncated: boolean;
  notes: string[];
  totals: {
    /** Prompt tokens of the map calls that will be sent (reduce not included: its input is model output). */
    promptTokens: number;
    /** Tokens of the reviewable files as unified diff text. */
    diffTokens: number;
    /** Tokens of all chunks' diff parts, sent or not. */
    chunkDiffTokens: number;
    calls: number;
  };
}

/** Settings may come from storage written by an older version: read them defensively. */
export function promptOptions(settings: Partial<Settings> | undefined): PromptOptions {
  const s = settings ?? {};
  return {
    depth: s.depth === 'quick' ? 'quick' : 'thorough',
    language: typeof s.language === 'string' ? s.language : DEFAULT_SETTINGS.language,
    customInstructions: typeof s.customInstructions === 'string' ? s.customInstructions : '',
  };
}

export function maxCallsOf(settings: Partial<Settings> | undefined): number {
  const n = Number(settings?.maxModelCalls);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : DEFAULT_SETTINGS.maxModelCalls;
}

export function callLimitReason(maxCalls: number): string {
  return `call limit reached (${maxCalls} model calls; raise it in the options to review more)`;
}

export function messagesTokens(messages: readonly ChatMessage[], count: TokenCounter): number {
  return messages.reduce((a, m) => a + count(m.content), 0);
}

/** Builds a chunk's prompt and counts it. */
export function finishChunk(chunk: Chunk, options: PromptOptions, count: TokenCounter): PlannedChunk {
  const messages = mapMessages(options, chunkText(chunk));
  const files: string[] = [];
  for (const p of chunk.pieces) if (!files.includes(p.path)) files.push(p.path);
  return { files, pieces: chunk.pieces, diffTokens: chunk.diffTokens, promptTokens: messagesTokens(messages, count), messages };
}

/**
 * Cuts a chunk whose prompt came out `ratio` times over the allowed size into smaller ones
 * (re-splitting single pieces at line boundaries when needed).
 */
export function shrinkChunk(chunk: Chunk, ratio: number, count: TokenCounter): Chunk[] {
  const target = Math.max(16, Math.floor((chunk.diffTokens / Math.max(ratio, 1.01)) * 0.9));
  const pieces = chunk.pieces.flatMap((p) => (p.tokens > target ? splitPiece(p, target, count) : [p]));
  const chunks = packPieces(pieces, target);
  // Never return the same single chunk: that would loop forever.
  if (chunks.length === 1 && chunks[0]!.pieces.length === chunk.pieces.length && chunk.pieces.length > 1) {
    const half = Math.ceil(chunk.pieces.length / 2);
    const a = chunk.pieces.slice(0, half);
    const b = chunk.pieces.slice(half);
    return [a, b].map((ps) => ({ pieces: ps, diffTokens: ps.reduce((s, p) => s + p.tokens, 0) }));
  }
  return chunks;
}

export interface PlanCaps {
  contextWindow: number;
  countTokens?: (s: string) => number;
}

/** The plan of any diff, however it arrived (the CLI, tests): sanitised first. */
export function planReview(diff: PullRequestDiff, settings: Settings, caps: PlanCaps): ReviewPlan {
  return planSafeDiff(sanitizeDiff(diff), settings, caps);
}

/** The plan of a diff `sanitizeDiff` already made well-formed: a review sanitises once (run-plan.ts). */
export function planSafeDiff(safeDiff: PullRequestDiff, settings: Settings, caps: PlanCaps): ReviewPlan {
  const count: TokenCounter = (s) => {
    if (caps.countTokens) {
      try {
        const n = caps.countTokens(s);
        if (Number.isFinite(n) && n >= 0) return n;
      } catch {
        // Fall through to the estimate.
      }
    }
    return estimateTokens(s);
  };
  const options = promptOptions(settings);
  const budget = makeBudget(caps.contextWindow);
  const maxModelCalls = maxCallsOf(settings);
  const filtered = filterFiles(safeDiff, Array.isArray(settings?.ignorePatterns) ? settings.ignorePatterns : []);
  const notes = [...filtered.notes];
  const reviewable = orderFiles(filtered.reviewable);

  const instructionTokens = count(mapSystemPrompt(options)) + wrapperOverhead(count, MAP_USER_SUFFIX);
  const diffBudget = budget.promptTokens - instructionTokens;
  const diffTokens = reviewable.reduce((a, f) => a + count(unifiedText(f)), 0);
  const order = safeDiff.files.map((f) => f?.path).filter((p): p is string => typeof p === 'string');

  // Below this there is no room for a file header and a few lines: refuse rather than overflow.
  if (diffBudget < 48) {
    const reason = options.customInstructions.trim()
      ? `the model's context window (${budget.contextWindow} tokens) is too small for a review with your custom instructions`
      : `the model's context window (${budget.contextWindow} tokens) is too small for a review`;
    const excluded = [...filtered.excluded, ...reviewable.map((f): FileCoverage => ({ path: f.path, coverage: 'skipped', reason }))];
    return {
      budget, instructionTokens, options, chunks: [], mapCalls: 0, reduceCalls: 0, maxModelCalls, reviewable,
      files: computeCoverage({ order, excluded, pieces: new Map(), done: new Set(), cutReason: reason, incomplete: filtered.incomplete, shortened: new Set() }),
      excluded: filtered.excluded, incomplete: filtered.incomplete, truncated: reviewable.length > 0,
      notes: [...notes, `Nothing was reviewed: ${reason}.`],
      totals: { promptTokens: 0, diffTokens, chunkDiffTokens: 0, calls: 0 },
    };
  }

  const pieces = reviewable.flatMap((f) => splitFile(f, diffBudget, count));
  let chunks: PlannedChunk[] = [];
  const queue: Chunk[] = packPieces(pieces, diffBudget);
  // An exact tokenizer is not additive over lines: check each whole prompt and shrink if needed.
  for (let guard = 0; queue.length > 0 && guard < 10_000; guard++) {
    const c = queue.shift()!;
    const planned = finishChunk(c, options, count);
    if (planned.promptTokens > budget.promptTokens && (c.pieces.length > 1 || c.pieces[0]!.text.includes('\n'))) {
      const shrunk = shrinkChunk(c, planned.promptTokens / budget.promptTokens, count);
      if (shrunk.length > 1 || shrunk[0]!.diffTokens < c.diffTokens) {
        queue.unshift(...shrunk);
        continue;
      }
    }
    chunks.push(planned);
  }
  // The guard ran out (a diff of tens of thousands of parts): the rest is planned as it is, so
  // no file drops out of the coverage. The call limit cuts far earlier anyway.
  for (const c of queue.splice(0)) chunks.push(finishChunk(c, options, count));
  chunks = chunks.filter((c) => c.pieces.length > 0);

  const mapCalls = chunks.length <= 1 || chunks.length + 1 <= maxModelCalls ? chunks.length : Math.max(1, maxModelCalls - 1);
  const reduceCalls = chunks.length > 1 && maxModelCalls >= 2 ? 1 : 0;

  const piecesByPath = new Map<string, Set<string>>();
  const shortened = new Set<string>();
  for (const c of chunks) {
    for (const p of c.pieces) {
      if (!piecesByPath.has(p.path)) piecesByPath.set(p.path, new Set());
      piecesByPath.get(p.path)!.add(p.id);
      if (p.cut) shortened.add(p.path);
    }
  }
  const done = new Set(chunks.slice(0, mapCalls).flatMap((c) => c.pieces.map((p) => p.id)));
  const truncated = mapCalls < chunks.length;
  if (truncated) notes.push(`Only ${mapCalls} of ${chunks.length} parts fit in the limit of ${maxModelCalls} model calls.`);
  const sent = chunks.slice(0, mapCalls);
  return {
    budget, instructionTokens, options, chunks, mapCalls, reduceCalls, maxModelCalls, reviewable,
    files: computeCoverage({
      order, excluded: filtered.excluded, pieces: piecesByPath, done, cutReason: callLimitReason(maxModelCalls),
      incomplete: filtered.incomplete, shortened,
    }),
    excluded: filtered.excluded,
    incomplete: filtered.incomplete,
    truncated,
    notes,
    totals: {
      promptTokens: sent.reduce((a, c) => a + c.promptTokens, 0),
      diffTokens,
      chunkDiffTokens: chunks.reduce((a, c) => a + c.diffTokens, 0),
      calls: mapCalls + reduceCalls,
    },
  };
}
