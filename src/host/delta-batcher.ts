/**
 * Merges the model's streamed text before it crosses to the tab. An engine on a GPU streams
 * 40–1,000 pieces a second; one message (and one panel update) per piece costs the GitHub tab
 * more than it can afford. Text pieces are held for up to `intervalMs` and sent as one delta;
 * any other message first flushes what is held, so the order of events never changes.
 */
import type { BackgroundToContent } from '../protocol';

export interface DeltaBatcher {
  post(message: BackgroundToContent): void;
  /** Sends what is held now (the session ends). */
  flush(): void;
}

/** Timers with whatever handle they return (a number in browsers, an object in Node and tests). */
export interface BatcherTimers<Handle> {
  setTimer: (fn: () => void, ms: number) => Handle;
  clearTimer: (handle: Handle) => void;
}

/** About three frames: the panel draws at most once a frame anyway. */
export const DELTA_BATCH_MS = 50;

export function createDeltaBatcher<Handle>(send: (message: BackgroundToContent) => void, timers: BatcherTimers<Handle>, intervalMs = DELTA_BATCH_MS): DeltaBatcher {
  let held: string[] = [];
  let timer: { handle: Handle } | null = null;
  const flush = () => {
    if (timer !== null) timers.clearTimer(timer.handle);
    timer = null;
    if (held.length === 0) return;
    const delta = held.join('');
    held = [];
    send({ kind: 'review/event', event: { type: 'text', delta } });
  };
  return {
    post(message) {
      if (message.kind === 'review/event' && message.event.type === 'text') {
        held.push(message.event.delta);
        timer ??= { handle: timers.setTimer(flush, intervalMs) };
        return;
      }
      flush();
      send(message);
    },
    flush,
  };
}
