/**
 * The first-load calibration call: one short answer that times how fast a model reads and writes
 * on this machine, before its first review, so the first estimate is not the priors.
 */
import type { ChatChunk, ChatRequest, Engine } from '../engine/engine';
import type { Speed } from '../engine/speed-estimate';

/**
 * A ~1,500-token prompt and a short answer: enough to time both phases on a first load, and to
 * warm the engine up (measured with the tiny model: after a ~500-token check, the first review call
 * still ran at a third of the later calls' speed; after this one, at their speed).
 */
const CALIBRATION_PROMPT = Array.from({ length: 120 }, (_, i) => `line ${i}: const value${i} = compute(${i});`).join('\n');

export type CalibrationResult =
  /** The engine timed itself. */
  | { usage: Extract<ChatChunk, { type: 'usage' }> }
  /** Timed from outside (engines without timings, such as the built-in model), at `at`. */
  | { sample: Partial<Speed>; at: number };

/** Runs the call; null when it failed (a calibration never fails the load). */
export async function calibrationCall(engine: Engine, signal: AbortSignal, now: () => number): Promise<CalibrationResult | null> {
  const request: ChatRequest = {
    messages: [
      { role: 'system', content: 'You review code.' },
      { role: 'user', content: `${CALIBRATION_PROMPT}\nSay OK.` },
    ],
    maxTokens: 32,
    temperature: 0,
  };
  const started = now();
  let first: number | null = null;
  let deltas = 0;
  let usage: Extract<ChatChunk, { type: 'usage' }> | null = null;
  try {
    for await (const chunk of engine.chat(request, signal)) {
      if (chunk.type === 'delta') {
        first ??= now();
        deltas++;
      } else usage = chunk;
    }
  } catch {
    return null;
  }
  if (usage?.prefillTokensPerSecond || usage?.decodeTokensPerSecond) return { usage };
  const end = now();
  const promptTokens = usage?.promptTokens ?? Math.ceil(CALIBRATION_PROMPT.length / 3.5);
  const sample: Partial<Speed> = {};
  if (first !== null && first > started) sample.prefillTps = promptTokens / ((first - started) / 1000);
  if (first !== null && deltas > 1 && end > first) sample.decodeTps = (deltas - 1) / ((end - first) / 1000);
  return { sample, at: end };
}
