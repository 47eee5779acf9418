/**
 * One streamed model call of a review: the answer's text reaches the panel as it is written, the
 * engine's usage feeds the stats, the speed and the time left, and cancelling stops the call.
 */
import type { ChatMessage } from '../engine/engine';
import { MAX_ANSWER_CHARS, type ReviewRun } from './review-run';
import type { CallTiming } from './time-left';

/** One streamed call; returns the answer text (rejects with an AbortError when cancelled). */
export async function callModel(
  run: ReviewRun,
  messages: ChatMessage[],
  jsonSchema: object | undefined,
  promptTokens: number,
  onText?: (answer: string) => void,
  maxTokens = run.plan.budget.answerTokens,
): Promise<string> {
  const { signal, stats } = run;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort);
  let text = '';
  let usage = false;
  run.lastPromptUsage = 0;
  const system = messages[0]?.content ?? '';
  const cached = run.cachesPrefix && system === run.lastSystem ? Math.min(promptTokens, run.count(system)) : 0;
  run.lastSystem = system;
  const timing: CallTiming = { promptTokens, newTokens: promptTokens - cached, completionTokens: 0, seconds: 0 };
  const started = Date.now();
  stats.modelCalls++;
  try {
    const stream = run.engine.chat(
      { messages, maxTokens, temperature: 0.2, ...(jsonSchema && run.caps.structuredOutput ? { jsonSchema } : {}) },
      stop.signal,
    );
    for await (const chunk of stream) {
      if (chunk.type === 'delta') {
        if (typeof chunk.text !== 'string' || chunk.text === '') continue;
        text += chunk.text;
        run.emit({ type: 'text', delta: chunk.text });
        onText?.(text);
        if (text.length > MAX_ANSWER_CHARS) stop.abort();
      } else if (chunk.type === 'usage') {
        usage = true;
        run.lastPromptUsage = chunk.promptTokens;
        stats.promptTokens += chunk.promptTokens;
        stats.completionTokens += chunk.completionTokens;
        timing.completionTokens = chunk.completionTokens;
        if (chunk.prefillTokensPerSecond) timing.prefillTps = chunk.prefillTokensPerSecond;
        if (chunk.decodeTokensPerSecond) timing.decodeTps = chunk.decodeTokensPerSecond;
        if (chunk.decodeTokensPerSecond) run.emit({ type: 'speed', tokensPerSecond: chunk.decodeTokensPerSecond });
      }
      if (stop.signal.aborted) break;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  run.throwIfAborted();
  if (!usage) {
    stats.promptTokens += promptTokens;
    stats.completionTokens += run.count(text);
  }
  timing.completionTokens ||= run.count(text);
  timing.seconds = (Date.now() - started) / 1000;
  run.timings.push(timing);
  run.emit({ type: 'text', delta: '\n' });
  return text;
}
