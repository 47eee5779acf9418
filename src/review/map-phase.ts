/**
 * The map phase: one model call per chunk, while the call limit allows (one call kept for the
 * summary). Each prompt is measured before it is sent; one over the budget, or one the engine
 * says exceeds its context, is cut smaller and retried. Summary lines and findings reach the
 * panel as the model writes them. A failure after the first chunk ends the phase early (the
 * review is then truncated); a failure on the first call is rethrown.
 */
import { EngineError } from '../engine/engine';
import { rethrowIfAborted } from '../shared/abort';
import type { Chunk } from './chunker';
import type { FileIndex } from './anchor';
import { parseMapAnswer } from './finding-parser';
import type { FindingCollector } from './findings';
import { LiveMapParser } from './live-map';
import { callModel } from './model-call';
import { finishChunk, shrinkChunk, type PlannedChunk } from './plan';
import { mapJsonSchema } from './prompts';
import { MAX_ANSWER_CHARS, type ReviewRun } from './review-run';

/** Re-splits allowed after an exact count or the engine says a prompt is too big (a loop guard). */
const MAX_RESPLITS = 1000;

export async function runMapPhase(run: ReviewRun): Promise<void> {
  const { plan, stats, queue } = run;
  while (queue.length > 0) {
    run.throwIfAborted();
    const reserve = run.needsSummary() && plan.maxModelCalls >= 2 ? 1 : 0;
    if (stats.modelCalls >= plan.maxModelCalls - reserve) break;
    const chunk = queue.shift()!;
    const planned = finishChunk(chunk, plan.options, run.count);
    const { systemTokens, promptTokens } = await measure(run, chunk, planned);
    run.throwIfAborted();
    if (promptTokens > plan.budget.promptTokens) {
      fitOrLeaveOut(run, chunk, systemTokens, promptTokens);
      continue;
    }
    if ((await reviewChunk(run, chunk, planned, promptTokens)) === 'stop') break;
  }
}

/** The prompt's size: calibrated from usage, or counted with the model's tokenizer. */
async function measure(run: ReviewRun, chunk: Chunk, planned: PlannedChunk): Promise<{ systemTokens: number; promptTokens: number }> {
  const { cal } = run;
  const systemTokens = cal ? cal.count(planned.messages[0]!.content) : await run.countExact(planned.messages.slice(0, 1));
  const promptTokens = cal ? cal.promptTokens(planned.messages, chunk.pieces) : systemTokens + (await run.countExact(planned.messages.slice(1)));
  return { systemTokens, promptTokens };
}

/** A prompt over the budget: cut the chunk smaller, or, when it cannot be, leave it out and say so. */
function fitOrLeaveOut(run: ReviewRun, chunk: Chunk, systemTokens: number, promptTokens: number): void {
  // The instructions stay; only the diff part shrinks, so scale it by what is left for it.
  const room = Math.max(1, run.plan.budget.promptTokens - systemTokens - 16);
  const smaller = shrinkChunk(chunk, (promptTokens - systemTokens) / room, run.chunkCounter(chunk));
  if (run.resplits < MAX_RESPLITS && (smaller.length > 1 || smaller[0]!.diffTokens < chunk.diffTokens)) {
    run.resplits++;
    run.replaceChunk(chunk, smaller);
    return;
  }
  // It cannot be made to fit: never send a prompt that overflows; say what was left out.
  for (const p of chunk.pieces) run.oversize.add(p.path);
}

/** Sends one chunk and takes in its answer; 'stop' when the model failed and the phase ends. */
async function reviewChunk(run: ReviewRun, chunk: Chunk, planned: PlannedChunk, promptTokens: number): Promise<'next' | 'stop'> {
  const { plan, signal } = run;
  run.progress(`Reviewing ${planned.files.length === 1 ? planned.files[0] : `${planned.files.length} files`}`, planned.files[0]);
  const chunkIndexes = planned.files.map((f) => run.indexes.get(f)).filter((x): x is FileIndex => x !== undefined);
  const addFindings = (raw: Parameters<FindingCollector['add']>[0]) => {
    for (const f of run.collector.add(raw, chunkIndexes, run.allIndexes)) run.emit({ type: 'finding', finding: f });
  };
  // Summary lines and findings reach the panel as soon as the model has written them.
  const live = new LiveMapParser(planned.files, {
    summary: (path, summary) => run.emit({ type: 'file-summary', path, summary }),
    findings: addFindings,
  });
  let answer: string;
  try {
    answer = await callModel(run, planned.messages, mapJsonSchema(plan.options.depth), promptTokens, (text) => live.feed(text));
  } catch (e) {
    rethrowIfAborted(e, signal);
    if (e instanceof EngineError && e.code === 'context-exceeded' && run.resplits < MAX_RESPLITS) {
      run.resplits++;
      run.cal?.penalize();
      run.replaceChunk(chunk, shrinkChunk(chunk, 1.3, run.chunkCounter(chunk)));
      return 'next';
    }
    if (run.parts.length === 0) throw e;
    run.failure = e instanceof Error ? e.message : String(e);
    run.queue.unshift(chunk);
    return 'stop';
  }
  if (run.cal && run.lastPromptUsage > 0 && run.cal.observe(planned.messages, chunk.pieces, run.lastPromptUsage)) run.repack();
  const parsed = parseMapAnswer(answer);
  if (!parsed.ok) run.notes.push(`The model's answer for ${planned.files.join(', ')} could not be read; those files have no findings.`);
  else if (answer.length > MAX_ANSWER_CHARS) {
    run.notes.push(`The model's answer for ${planned.files.join(', ')} ran past ${MAX_ANSWER_CHARS.toLocaleString('en')} characters and was cut there; findings after that point are lost.`);
  }
  run.collector.countUnparseable(parsed.unparseable);
  addFindings(live.finish(parsed));
  for (const p of chunk.pieces) run.done.add(p.id);
  run.parts.push({ files: planned.files, summary: parsed.summary });
  run.reportTimeLeft(run.needsSummary() && plan.maxModelCalls >= 2 ? 1 : 0);
  return 'next';
}
