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

/** The timer functions; `H` is their handle's type (typed, so no caller has to cast it back). */
export interface BatcherTimers<H> {
  setTimer: (fn: () => void, ms: number) => H;
  clearTimer: (handle: H) => void;
}

/** About three frames: the panel draws at most once a frame anyway. */
export const DELTA_BATCH_MS = 50;

export function createDeltaBatcher<H>(send: (message: BackgroundToContent) => void, timers: BatcherTimers<H>, intervalMs = DELTA_BATCH_MS): DeltaBatcher {
  let held: string[] = [];
  let timer: H | null = null;
  const flush = () => {
    if (timer !== null) timers.clearTimer(timer);
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
        timer ??= timers.setTimer(flush, intervalMs);
        return;
      }
      flush();
      send(message);
    },
    flush,
  };
}
