import { describe, expect, it, vi } from 'vitest';
import { EngineHost } from './engine-host';
import { memorySpeedStore } from './speed-store';
import type { BackgroundToContent, ReviewRequest } from '../protocol';
import type { ChatChunk, ChatRequest, Engine, EngineKind, LoadProgress } from '../engine/engine';
import { EngineError } from '../engine/engine';
import type { EngineChoice } from '../engine/engine-factory';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { makeDiff, makeFile } from '../review/testing/diff-builder';
import { planReview, planSafeDiff } from '../review/plan';
import { sanitizeDiff } from '../review/filter';

// Pass-through spies: the planner and the sanitiser run for real; the test counts their calls.
vi.mock('../review/plan', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../review/plan')>();
  return { ...actual, planReview: vi.fn(actual.planReview), planSafeDiff: vi.fn(actual.planSafeDiff) };
});
vi.mock('../review/filter', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../review/filter')>();
  return { ...actual, sanitizeDiff: vi.fn(actual.sanitizeDiff) };
});

interface FakeControls {
  loads: number;
  unloads: number;
  /** Resolves the pending load (or rejects it with `fail`). */
  finishLoad(fail?: Error): void;
  loadSignal: AbortSignal | undefined;
}

/** An engine whose load waits until the test says so and whose answers stream word by word. */
function fakeEngine(kind: EngineKind, modelId: string, opts: { autoLoad?: boolean; delayMs?: number } = {}): Engine & FakeControls {
  let resolveLoad: (() => void) | null = null;
  let rejectLoad: ((e: Error) => void) | null = null;
  const engine: Engine & FakeControls = {
    kind,
    modelId,
    loads: 0,
    unloads: 0,
    loadSignal: undefined,
    finishLoad(fail) {
      if (fail) rejectLoad?.(fail);
      else resolveLoad?.();
    },
    load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal) {
      engine.loads++;
      engine.loadSignal = signal;
      onProgress({ fraction: 0.5, loadedBytes: 50, totalBytes: 100, text: 'Downloading the model' });
      if (opts.autoLoad !== false) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        resolveLoad = resolve;
        rejectLoad = reject;
        signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
      });
    },
    capabilities: () => ({ contextWindow: 4096, structuredOutput: false }),
    async *chat(_request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
      for (const word of ['The ', 'change ', 'looks ', 'fine.']) {
        if (signal.aborted) return;
        await new Promise((r) => setTimeout(r, opts.delayMs ?? 1));
        if (signal.aborted) return;
        yield { type: 'delta', text: word };
      }
      yield { type: 'usage', promptTokens: 200, completionTokens: 4, prefillTokensPerSecond: 250, decodeTokensPerSecond: 25 };
    },
    async unload() {
      engine.unloads++;
    },
  };
  return engine;
}

function request(modelId = 'model-a', engine: EngineKind = 'wllama'): ReviewRequest {
  return {
    diff: makeDiff([makeFile('src/a.ts', [['+export const a = 1;', '+export const b = 2;']])]),
    settings: { ...DEFAULT_SETTINGS, engine, modelId, idleUnloadMinutes: 3 },
  };
}

function harness(make: (choice: EngineChoice) => Engine & FakeControls, extra: Partial<ConstructorParameters<typeof EngineHost>[0]> = {}) {
  const messages: Array<{ session: string; message: BackgroundToContent }> = [];
  const created: Array<Engine & FakeControls> = [];
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const host = new EngineHost({
    createEngine: async (choice) => {
      const e = make(choice);
      created.push(e);
      return e;
    },
    post: (session, message) => messages.push({ session, message }),
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => void ((h as { cleared: boolean }).cleared = true),
    calibrate: false,
    ...extra,
  });
  const of = (session: string) => messages.filter((m) => m.session === session).map((m) => m.message);
  const finished = (session: string) =>
    vi.waitFor(() => {
      const last = of(session).at(-1);
      const done = last && (last.kind === 'review/cancelled' || last.kind === 'review/failed' || (last.kind === 'review/event' && last.event.type === 'done'));
      if (!done) throw new Error(`session ${session} still running`);
    });
  return { host, messages, created, timers, of, finished };
}

const streamed = (msgs: BackgroundToContent[]) =>
  msgs.flatMap((m) => (m.kind === 'review/event' && m.event.type === 'text' ? [m.event.delta] : [])).join('');

describe('EngineHost', () => {
  it('keeps the engine warm: the second review reuses it without creating or loading again', async () => {
    const h = harness((c) => fakeEngine(c.kind, c.modelId));
    h.host.handle({ kind: 'session/start', session: 's1', request: request() });
    await h.finished('s1');
    h.host.handle({ kind: 'session/start', session: 's2', request: request() });
    await h.finished('s2');
    expect(h.created).toHaveLength(1);
    expect(h.created[0]!.loads).toBe(1);
    expect(h.of('s1').find((m) => m.kind === 'engine/ready')).toMatchObject({ reused: false });
    expect(h.of('s2').find((m) => m.kind === 'engine/ready')).toMatchObject({ reused: true });
    expect(streamed(h.of('s2'))).toContain('The change looks fine.');
    expect(h.host.status().engine).toEqual({ kind: 'wllama', modelId: 'model-a', loaded: true });
  });

  it('two sessions that start during one load share it, and both see its progress', async () => {
    const h = harness((c) => fakeEngine(c.kind, c.modelId, { autoLoad: false }));
    h.host.handle({ kind: 'session/start', session: 'a', request: request() });
    h.host.handle({ kind: 'session/start', session: 'b', request: request() });
    await vi.waitFor(() => expect(h.of('b').some((m) => m.kind === 'engine/progress')).toBe(true));
    expect(h.of('a').some((m) => m.kind === 'engine/progress')).toBe(true);
    h.created[0]!.finishLoad();
    await h.finished('a');
    await h.finished('b');
    expect(h.created).toHaveLength(1);
    expect(h.created[0]!.loads).toBe(1);
    expect(h.of('a').at(-1)).toMatchObject({ kind: 'review/event', event: { type: 'done' } });
    expect(h.of('b').at(-1)).toMatchObject({ kind: 'review/event', event: { type: 'done' } });
  });

  it('Cancel mid-stream ends the session with review/cancelled and nothing streams after it', async () => {
    const h = harness((c) => fakeEngine(c.kind, c.modelId, { delayMs: 30 }));
    h.host.handle({ kind: 'session/start', session: 's', request: request() });
    await vi.waitFor(() => expect(streamed(h.of('s')).length).toBeGreaterThan(0));
    h.host.handle({ kind: 'session/cancel', session: 's' });
    await h.finished('s');
    const atCancel = h.of('s').length;
    expect(h.of('s').at(-1)).toEqual({ kind: 'review/cancelled' });
    await new Promise((r) => setTimeout(r, 150));
    expect(h.of('s')).toHaveLength(atCancel);
    expect(streamed(h.of('s'))).not.toContain('fine.');
    expect(h.host.activeSessions).toBe(0);
  });

  it('unloads the engine after the configured idle time, and a new review cancels the pending unload', async () => {
    const h = harness((c) => fakeEngine(c.kind, c.modelId));
    h.host.handle({ kind: 'session/start', session: 's1', request: request() });
    await h.finished('s1');
    const first = h.timers.at(-1)!;
    expect(first.ms).toBe(3 * 60_000);
    h.host.handle({ kind: 'session/start', session: 's2', request: request() });
    expect(first.cleared).toBe(true);
    await h.finished('s2');
    const pending = h.timers.at(-1)!;
    expect(pending.cleared).toBe(false);
    pending.fn();
    await vi.waitFor(() => expect(h.created[0]!.unloads).toBe(1));
    expect(h.host.status().engine).toBeNull();
    // The next review loads a fresh engine.
    h.host.handle({ kind: 'session/start', session: 's3', request: request() });
    await h.finished('s3');
    expect(h.created).toHaveLength(2);
    expect(h.of('s3').find((m) => m.kind === 'engine/ready')).toMatchObject({ reused: false });
  });

  it('a failed load is reported and not cached: the next review creates and loads again', async () => {
    let attempt = 0;
    const h = harness((c) => {
      const e = fakeEngine(c.kind, c.modelId);
      if (attempt++ === 0) e.load = async () => Promise.reject(new EngineError('download-failed', 'The model could not be downloaded.', 'Retry.'));
      return e;
    });
    h.host.handle({ kind: 'session/start', session: 's1', request: request() });
    await h.finished('s1');
    expect(h.of('s1').at(-1)).toMatchObject({ kind: 'review/failed', failure: { code: 'download-failed', retryable: true } });
    expect(h.host.status().engine).toBeNull();
    h.host.handle({ kind: 'session/start', session: 's2', request: request() });
    await h.finished('s2');
    expect(h.created).toHaveLength(2);
    expect(h.of('s2').at(-1)).toMatchObject({ kind: 'review/event', event: { type: 'done' } });
  });

  it('when the only waiter of a load gives up, the download itself is aborted', async () => {
    const h = harness((c) => fakeEngine(c.kind, c.modelId, { autoLoad: false }));
    const controller = new AbortController();
    const prepared = h.host.prepare({ kind: 'wllama', modelId: 'big', modelHost: '' }, () => undefined, controller.signal);
    await vi.waitFor(() => expect(h.created[0]?.loadSignal).toBeDefined());
    controller.abort();
    await expect(prepared).rejects.toMatchObject({ name: 'AbortError' });
    expect(h.created[0]!.loadSignal!.aborted).toBe(true);
    expect(h.host.status().engine).toBeNull();
  });

  it('switching models unloads the old engine before loading the new one', async () => {
    const h = harness((c) => fakeEngine(c.kind, c.modelId));
    h.host.handle({ kind: 'session/start', session: 's1', request: request('model-a') });
    await h.finished('s1');
    h.host.handle({ kind: 'session/start', session: 's2', request: request('model-b') });
    await h.finished('s2');
    expect(h.created.map((e) => e.modelId)).toEqual(['model-a', 'model-b']);
    expect(h.created[0]!.unloads).toBe(1);
    expect(h.host.status().engine?.modelId).toBe('model-b');
  });

  it('estimates the review before it starts, and learns this machine\'s speed from real answers', async () => {
    const speeds = memorySpeedStore();
    const h = harness((c) => fakeEngine(c.kind, c.modelId), { speeds });
    h.host.handle({ kind: 'session/start', session: 's1', request: request() });
    await h.finished('s1');
    const kinds = h.of('s1').map((m) => m.kind);
    expect(kinds.indexOf('review/estimate')).toBeGreaterThan(kinds.indexOf('engine/ready'));
    expect(kinds.indexOf('review/estimate')).toBeLessThan(kinds.indexOf('review/event'));
    const first = h.of('s1').find((m) => m.kind === 'review/estimate');
    expect(first).toMatchObject({ estimate: { measured: false } });
    h.host.handle({ kind: 'session/start', session: 's2', request: request() });
    await h.finished('s2');
    const second = h.of('s2').find((m) => m.kind === 'review/estimate');
    expect(second).toMatchObject({ estimate: { measured: true } });
    // The fake answers at 250 tok/s prefill: the measured estimate is far below the CPU prior's.
    if (first?.kind === 'review/estimate' && second?.kind === 'review/estimate') {
      expect(second.estimate.seconds).toBeLessThan(first.estimate.seconds);
    }
  });

  it('plans and sanitises each review once, and the estimate counts the steps the review announces', async () => {
    // Eight files of 40 lines: several parts at 4k, so the step total is worth checking.
    const files = Array.from({ length: 8 }, (_, f) =>
      makeFile(`src/m${f}.ts`, [Array.from({ length: 40 }, (_, i) => `+export const value${f}x${i} = compute(${i}, 'some text ${f}');`)]),
    );
    const big: ReviewRequest = { ...request(), diff: makeDiff(files) };
    const h = harness((c) => fakeEngine(c.kind, c.modelId));
    const estimates: number[] = [];
    const announced: number[] = [];
    for (const session of ['s1', 's2']) {
      vi.mocked(planSafeDiff).mockClear();
      vi.mocked(planReview).mockClear();
      vi.mocked(sanitizeDiff).mockClear();
      h.host.handle({ kind: 'session/start', session, request: big });
      await h.finished(session);
      expect(vi.mocked(planSafeDiff).mock.calls.length + vi.mocked(planReview).mock.calls.length).toBe(1);
      expect(sanitizeDiff).toHaveBeenCalledTimes(1);
      const msgs = h.of(session);
      const estimate = msgs.find((m) => m.kind === 'review/estimate');
      const plan = msgs.find((m) => m.kind === 'review/event' && m.event.type === 'plan');
      if (estimate?.kind !== 'review/estimate' || plan?.kind !== 'review/event' || plan.event.type !== 'plan') throw new Error('no estimate or plan');
      estimates.push(estimate.estimate.calls);
      announced.push(plan.event.steps);
      expect(msgs.indexOf(estimate)).toBeLessThan(msgs.indexOf(plan));
    }
    expect(estimates).toEqual(announced);
    // The second review re-plans with what the first one learnt of the model's token counts
    // (these fake answers report few prompt tokens): fewer steps, and the estimate says so too.
    expect(announced[1]).toBeLessThan(announced[0]!);
  });

  it('learns how long this model\'s review answers are, so the next estimate counts those tokens instead of a share of the answer budget', async () => {
    const speeds = memorySpeedStore();
    const h = harness((c) => fakeEngine(c.kind, c.modelId), { speeds });
    h.host.handle({ kind: 'session/start', session: 's1', request: request() });
    await h.finished('s1');
    h.host.handle({ kind: 'session/start', session: 's2', request: request() });
    await h.finished('s2');
    // Every fake answer is 4 tokens: that, not 40 % of the 1,024-token answer budget, is what
    // the second estimate decodes (25 tok/s measured: 2 calls x 4 tokens is a third of a second).
    expect(speeds.read().entries['wllama:model-a']?.answerTokens).toBe(4);
    const estimate = h.of('s2').find((m) => m.kind === 'review/estimate');
    if (estimate?.kind !== 'review/estimate') throw new Error('no estimate');
    const prefill = estimate.estimate.promptTokens / 250;
    const overhead = estimate.estimate.calls * 0.5;
    expect(estimate.estimate.seconds).toBe(Math.round(prefill + (estimate.estimate.calls * 4) / 25 + overhead));
  });

  it('calibrates the speed with one short call on the first load of a model', async () => {
    const speeds = memorySpeedStore();
    const h = harness((c) => fakeEngine(c.kind, c.modelId), { speeds, calibrate: true });
    h.host.handle({ kind: 'session/start', session: 's1', request: request() });
    await h.finished('s1');
    expect(h.of('s1').find((m) => m.kind === 'review/estimate')).toMatchObject({ estimate: { measured: true } });
    expect(speeds.read().entries['wllama:model-a']).toMatchObject({ prefillTps: 250, decodeTps: 25 });
  });

  it('says what to pick when no model is chosen', async () => {
    const h = harness((c) => fakeEngine(c.kind, c.modelId));
    h.host.handle({ kind: 'session/start', session: 's', request: { ...request(), settings: { ...DEFAULT_SETTINGS } } });
    await h.finished('s');
    expect(h.of('s').at(-1)).toMatchObject({ kind: 'review/failed', failure: { nextStep: 'Pick a model in the options.' } });
    expect(h.created).toHaveLength(0);
  });
});
