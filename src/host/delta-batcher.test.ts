import { describe, expect, it } from 'vitest';
import type { BackgroundToContent } from '../protocol';
import { createDeltaBatcher } from './delta-batcher';

function harness() {
  const sent: BackgroundToContent[] = [];
  const timers: Array<{ fn: () => void; cleared: boolean }> = [];
  const batcher = createDeltaBatcher((m) => sent.push(m), {
    setTimer: (fn) => {
      const t = { fn, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => void ((h as { cleared: boolean }).cleared = true),
  });
  const fire = () => timers.filter((t) => !t.cleared).forEach((t) => ((t.cleared = true), t.fn()));
  return { sent, batcher, fire };
}

const text = (delta: string): BackgroundToContent => ({ kind: 'review/event', event: { type: 'text', delta } });

describe('delta batcher', () => {
  it('sends many text pieces as one delta when the interval ends', () => {
    const { sent, batcher, fire } = harness();
    for (const piece of ['{"su', 'mmar', 'y":', ' [', '"a"]}']) batcher.post(text(piece));
    expect(sent).toEqual([]);
    fire();
    expect(sent).toEqual([text('{"summary": ["a"]}')]);
  });

  it('keeps the order: held text goes out before any other message', () => {
    const { sent, batcher } = harness();
    batcher.post(text('Hel'));
    batcher.post(text('lo'));
    const done: BackgroundToContent = { kind: 'review/event', event: { type: 'progress', step: 2, steps: 3, label: 'x' } };
    batcher.post(done);
    expect(sent).toEqual([text('Hello'), done]);
  });

  it('flush sends what is held, once', () => {
    const { sent, batcher, fire } = harness();
    batcher.post(text('a'));
    batcher.flush();
    fire();
    batcher.flush();
    expect(sent).toEqual([text('a')]);
  });
});
