/**
 * Answers one follow-up question in the engine host: builds the prompt (src/review/follow-up.ts)
 * within the engine's window and streams the answer as `review/event` text (merged by the delta
 * batcher like a review's), then `followup/done` with the whole answer.
 */
import type { BackgroundToContent, FollowUpRequest } from '../protocol';
import type { Engine } from '../engine/engine';
import { followUpPrompt } from '../review/follow-up';

/** Answers longer than this are cut (the panel shows an answer, not a document). */
const MAX_ANSWER_CHARS = 20_000;

export async function answerFollowUp(engine: Engine, request: FollowUpRequest, post: (message: BackgroundToContent) => void, signal: AbortSignal): Promise<string> {
  const { settings } = request;
  const prompt = followUpPrompt(
    { question: request.question, finding: request.finding, review: request.review, diff: request.diff },
    { depth: settings.depth, language: settings.language, customInstructions: settings.customInstructions },
    engine.capabilities().contextWindow,
  );
  let answer = '';
  for await (const chunk of engine.chat({ messages: prompt.messages, maxTokens: prompt.maxTokens, temperature: 0.2 }, signal)) {
    if (signal.aborted) break;
    if (chunk.type !== 'delta' || answer.length >= MAX_ANSWER_CHARS) continue;
    answer += chunk.text;
    post({ kind: 'review/event', event: { type: 'text', delta: chunk.text } });
  }
  if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
  return answer.slice(0, MAX_ANSWER_CHARS);
}
