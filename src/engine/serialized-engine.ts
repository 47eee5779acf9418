/**
 * One model generates one answer at a time, but several tabs may review at once. This wrapper
 * queues chat calls so each stream runs whole, in arrival order, and no tab's tokens end up in
 * another tab's stream.
 */
import type { ChatChunk, ChatRequest, Engine } from './engine';

export function serializeEngine(engine: Engine): Engine {
  let tail: Promise<void> = Promise.resolve();

  async function* chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = tail.then(() => turn);
    try {
      await previous;
      if (signal.aborted) return;
      yield* engine.chat(request, signal);
    } finally {
      release();
    }
  }

  return {
    kind: engine.kind,
    modelId: engine.modelId,
    load: (onProgress, signal) => engine.load(onProgress, signal),
    capabilities: () => engine.capabilities(),
    placement: () => engine.placement?.(),
    chat,
    unload: () => engine.unload(),
  };
}
