import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineError } from './engine';
import { watchLoad } from './wllama-load-watch';
import type { WorkerEvents } from './wllama-workers';

/** A stand-in for the packaged worker factory's event feed. */
function feed() {
  const listeners = new Set<WorkerEvents>();
  return {
    subscribe: (events: WorkerEvents) => {
      listeners.add(events);
      return () => listeners.delete(events);
    },
    error: (file: 'llama' | 'opfs', message: string) => listeners.forEach((l) => l.onError(file, message)),
    message: () => listeners.forEach((l) => l.onMessage('llama')),
    get size() {
      return listeners.size;
    },
  };
}

const never = () => new Promise<never>(() => {});

describe('a wllama load is bounded', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('ends at once with a clear error when the llama.cpp worker fails to start', async () => {
    const events = feed();
    const load = watchLoad({ subscribe: events.subscribe }).run(never());
    events.error('llama', 'SecurityError: blocked by the content security policy');
    const err = await load.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).message).toBe('The CPU engine could not start (its worker failed: SecurityError: blocked by the content security policy).');
    expect((err as EngineError).nextStep).toMatch(/Reload the extension/);
    expect(events.size).toBe(0);
  });

  it('names the model cache when its worker fails', async () => {
    const events = feed();
    const load = watchLoad({ subscribe: events.subscribe }).run(never());
    events.error('opfs', 'the opfs worker failed to start');
    await expect(load).rejects.toThrow(/model cache could not be written/);
  });

  it('ends a load that shows no sign of life for the stall time', async () => {
    const events = feed();
    const load = watchLoad({ subscribe: events.subscribe, stallMs: 1_000 }).run(never());
    const settled = load.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_300);
    const err = await settled;
    expect((err as EngineError).message).toMatch(/stopped making progress \(nothing happened for 1 s\)/);
    expect(events.size).toBe(0);
  });

  it('never cuts off a load that keeps making progress, and passes its result through', async () => {
    const events = feed();
    const watch = watchLoad({ subscribe: events.subscribe, stallMs: 1_000 });
    let finish!: (v: string) => void;
    const load = watch.run(new Promise<string>((r) => (finish = r)));
    let outcome: unknown = 'pending';
    load.then((v) => (outcome = v), (e: unknown) => (outcome = e));
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(600);
      if (i % 2) events.message();
      else watch.activity();
    }
    expect(outcome).toBe('pending');
    finish('loaded');
    await expect(load).resolves.toBe('loaded');
    expect(events.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes the load\'s own error through unchanged', async () => {
    const events = feed();
    const boom = new Error('not a GGUF file');
    await expect(watchLoad({ subscribe: events.subscribe }).run(Promise.reject(boom))).rejects.toBe(boom);
    expect(vi.getTimerCount()).toBe(0);
  });
});
