/**
 * The engine host: the one extension-owned place where models run (Chrome: the offscreen
 * document; Firefox: the background page). It keeps one engine warm for every tab, runs each
 * review session, and reports everything as `BackgroundToContent` messages tagged by session.
 *
 * It knows nothing about ports: `post` is handed in, so the same host runs behind a Port in
 * Chrome and in-process in Firefox.
 *
 * Loads are shared: every session (and a model-manager download) that wants the engine being
 * loaded waits on the same load. When the last of them gives up (Cancel, closed tab), the load
 * itself is aborted, so a cancelled download stops instead of running on unseen.
 */
import type { BackgroundToContent, BackgroundToHost, FollowUpRequest, HostStatus, ReviewFailure, ReviewRequest } from '../protocol';
import { completeReview } from '../review/incremental';
import { answerFollowUp } from './follow-up-session';
import { type ChatChunk, type ChatRequest, type Engine, type LoadProgress } from '../engine/engine';
import { serializeEngine } from '../engine/serialized-engine';
import type { EngineChoice } from '../engine/engine-factory';
import { recordAnswerTokens, recordSpeed, recordUsage, speedFor, type Speed } from '../engine/speed-estimate';
import { runReview, type PlannedReview } from '../review/pipeline';
import { estimateReview } from './review-estimate';
import { calibrationCall } from './speed-calibration';
import { UsageCalibration } from '../review/token-calibration';
import type { Settings } from '../shared/settings';
import { memorySpeedStore, type SpeedStore } from './speed-store';
import { createDeltaBatcher } from './delta-batcher';
import { abortable, throwIfAborted } from '../shared/abort';
import { choiceFromSettings, engineKey, failureFrom, isAbort } from './session-failure';

export type PostToSession = (session: string, message: BackgroundToContent) => void;

export interface EngineHostDeps {
  createEngine: (choice: EngineChoice) => Promise<Engine>;
  post: PostToSession;
  /** Injected for tests; defaults to the real timers. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Measured speeds per engine and model; defaults to memory only. */
  speeds?: SpeedStore;
  /** A smaller model of the same engine to offer when a review would take long. */
  smallerModel?: (choice: EngineChoice) => { id: string; label: string } | undefined;
  now?: () => number;
  /** Run a short calibration call after the first load of a model (default true). */
  calibrate?: boolean;
}

type LoadListener = (progress: LoadProgress) => void;

interface WarmEngine {
  key: string;
  choice: EngineChoice;
  /** Null while the adapter is still being created. */
  engine: Engine | null;
  /** Resolves once loaded; shared by every waiter. */
  ready: Promise<void>;
  /** Progress listeners of everyone waiting on `ready`. */
  listeners: Set<LoadListener>;
  waiters: number;
  loaded: boolean;
  abort: AbortController;
  lastProgress: LoadProgress | null;
}


export class EngineHost {
  private readonly sessions = new Map<string, AbortController>();
  /** Token-count calibration per engine+model, learnt from each answer's usage (token-calibration.ts). */
  private readonly calibrations = new Map<string, UsageCalibration>();
  private warm: WarmEngine | null = null;
  /** Clears the pending idle unload; null when none is pending. */
  private cancelIdle: (() => void) | null = null;
  private idleMinutes = 10;
  private loadsStarted = 0;
  private readonly speeds: SpeedStore;
  private readonly now: () => number;

  private calibrationFor(engine: Engine): UsageCalibration {
    const key = `${engine.kind}\u0000${engine.modelId}`;
    let cal = this.calibrations.get(key);
    if (!cal) this.calibrations.set(key, (cal = new UsageCalibration()));
    return cal;
  }

  constructor(private readonly deps: EngineHostDeps) {
    this.speeds = deps.speeds ?? memorySpeedStore();
    this.now = deps.now ?? Date.now;
  }

  handle(message: BackgroundToHost): void {
    switch (message.kind) {
      case 'session/start':
        void this.start(message.session, message.request);
        break;
      case 'session/followup':
        void this.followUp(message.session, message.request);
        break;
      case 'session/cancel':
        this.sessions.get(message.session)?.abort();
        break;
    }
  }

  /** Cancels every session: their routes are gone (the background restarted). */
  cancelAll(): void {
    for (const controller of this.sessions.values()) controller.abort();
  }

  /** Sessions still running (for tests and diagnostics). */
  get activeSessions(): number {
    return this.sessions.size;
  }

  status(): HostStatus {
    const warm = this.warm;
    const placement = warm?.loaded ? warm.engine?.placement?.() : undefined;
    return {
      activeSessions: this.sessions.size,
      loadsStarted: this.loadsStarted,
      engine: warm ? { kind: warm.choice.kind, modelId: warm.engine?.modelId ?? warm.choice.modelId, loaded: warm.loaded } : null,
      ...(placement ? { placement } : {}),
    };
  }

  /** The engine being loaded (downloaded) right now, whoever asked for it, with its last progress. */
  loading(): { choice: EngineChoice; progress: LoadProgress } | null {
    const warm = this.warm;
    return warm && !warm.loaded && warm.lastProgress ? { choice: warm.choice, progress: warm.lastProgress } : null;
  }

  /** The choice of the warm (or loading) engine, if any. */
  warmChoice(): EngineChoice | null {
    return this.warm?.choice ?? null;
  }

  /** Current speeds for an engine and model (measured, or the priors). */
  speedOf(choice: EngineChoice): Speed & { measured: boolean; answerTokens?: number } {
    return speedFor(this.speeds.read(), choice.kind, choice.modelId);
  }

  /**
   * Loads (downloading if needed) the engine for `choice` and keeps it warm, as a review would:
   * the model manager's Download button. Resolves when ready; rejects on failure or abort.
   */
  async prepare(choice: EngineChoice, onProgress: LoadListener, signal: AbortSignal, idleMinutes?: number): Promise<{ reused: boolean }> {
    if (idleMinutes !== undefined) this.idleMinutes = idleMinutes;
    this.cancelIdleUnload();
    try {
      const { reused } = await this.engineFor(choice, onProgress, signal);
      return { reused };
    } finally {
      if (this.sessions.size === 0) this.scheduleIdleUnload();
    }
  }

  /** Unloads the warm engine when it is this model (before deleting its files). */
  async unloadIf(predicate: (choice: EngineChoice) => boolean): Promise<void> {
    if (this.warm && predicate(this.warm.choice)) await this.unloadNow();
  }

  private start(session: string, request: ReviewRequest): Promise<void> {
    return this.session(session, request.settings, async (engine, choice, post, signal) => {
      // The estimate reuses the review's own plan (one plan per review), told before the plan event.
      const onPlan = (planned: PlannedReview) => {
        const estimate = estimateReview(planned, request, choice, this.speedOf(choice), this.deps.smallerModel?.(choice));
        if (estimate) post({ kind: 'review/estimate', estimate });
      };
      await runReview(
        { diff: request.diff, settings: request.settings, engine: this.measured(engine, choice, true), calibration: this.calibrationFor(engine), onPlan },
        // An incremental review's result is merged with the earlier review (src/review/incremental.ts).
        (event) => post({ kind: 'review/event', event: event.type === 'done' ? { type: 'done', review: completeReview(event.review, request) } : event }),
        signal,
      );
    });
  }

  private followUp(session: string, request: FollowUpRequest): Promise<void> {
    return this.session(session, request.settings, async (engine, choice, post, signal) => {
      const answer = await answerFollowUp(this.measured(engine, choice), request, post, signal);
      post({ kind: 'followup/done', answer });
    });
  }

  /** One session: the warm engine (loading it if needed), the work, and how it ended, reported. */
  private async session(
    session: string,
    settings: Settings,
    work: (engine: Engine, choice: EngineChoice, post: (message: BackgroundToContent) => void, signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const controller = new AbortController();
    this.sessions.get(session)?.abort();
    this.sessions.set(session, controller);
    this.cancelIdleUnload();
    const direct = (message: BackgroundToContent) => {
      if (this.sessions.get(session) === controller) this.deps.post(session, message);
    };
    // Streamed text is merged (see delta-batcher.ts); other messages keep their order behind it.
    const batcher = createDeltaBatcher(direct, {
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h),
    });
    const post = (message: BackgroundToContent) => batcher.post(message);
    try {
      this.idleMinutes = settings.idleUnloadMinutes;
      const choice = choiceFromSettings(settings);
      // The panel works out download speed and time left from these itself.
      const { engine, reused } = await this.engineFor(choice, (progress) => post({ kind: 'engine/progress', progress }), controller.signal);
      const placement = engine.placement?.();
      post({ kind: 'engine/ready', engine: engine.kind, modelId: engine.modelId, reused, ...(placement ? { placement } : {}) });
      await work(engine, choice, post, controller.signal);
      if (controller.signal.aborted) post({ kind: 'review/cancelled' });
    } catch (error) {
      if (isAbort(error, controller.signal)) post({ kind: 'review/cancelled' });
      else {
        const failure = failureFrom(error);
        // A lost GPU device or a crashed engine cannot answer again: drop it, so Retry loads anew.
        if ((failure.code === 'device-lost' || failure.code === 'crashed') && this.sessions.size <= 1) void this.unloadNow();
        post({ kind: 'review/failed', failure });
      }
    } finally {
      batcher.flush();
      if (this.sessions.get(session) === controller) this.sessions.delete(session);
      if (this.sessions.size === 0) this.scheduleIdleUnload();
    }
  }

  /**
   * Wraps the engine so every answer's speed updates this machine's measured speeds; a review's
   * answers (`reviewCalls`) also teach the estimate how long this model's answers are.
   */
  private measured(engine: Engine, choice: EngineChoice, reviewCalls = false): Engine {
    const record = (chunk: Extract<ChatChunk, { type: 'usage' }>) => this.recordUsage(choice, chunk, reviewCalls);
    return {
      ...engine,
      kind: engine.kind,
      modelId: engine.modelId,
      load: (p, s) => engine.load(p, s),
      capabilities: () => engine.capabilities(),
      unload: () => engine.unload(),
      chat: (request: ChatRequest, signal: AbortSignal) => tapUsage(engine.chat(request, signal), record),
    };
  }

  /** `answer`: a review's call, whose answer length the estimate learns (not the calibration's "OK"). */
  private recordUsage(choice: EngineChoice, usage: Extract<ChatChunk, { type: 'usage' }>, answer = false): void {
    if (choice.kind === 'scripted') return;
    const now = this.now();
    let state = recordUsage(this.speeds.read(), choice.kind, choice.modelId, usage, now);
    if (answer) state = recordAnswerTokens(state, choice.kind, choice.modelId, usage.completionTokens, now);
    this.speeds.write(state);
  }

  /** First load of a model on this machine: one short call to measure its speed (never fails the load). */
  private async calibrate(engine: Engine, choice: EngineChoice, signal: AbortSignal, onProgress: LoadListener): Promise<void> {
    if (this.deps.calibrate === false || choice.kind === 'scripted' || this.speedOf(choice).measured) return;
    // Named for what it is: the model is loaded; this is not more loading.
    onProgress({ fraction: null, text: 'Measuring how fast this model runs here (once per model)', stage: 'prepare' });
    const result = await calibrationCall(engine, signal, () => this.now());
    if (result && 'usage' in result) this.recordUsage(choice, result.usage);
    else if (result) this.speeds.write(recordSpeed(this.speeds.read(), choice.kind, choice.modelId, result.sample, result.at));
  }

  /** The warm engine when it matches, else a new one (unloading the old). Loads are shared. */
  private async engineFor(choice: EngineChoice, onProgress: LoadListener, signal: AbortSignal): Promise<{ engine: Engine; reused: boolean }> {
    const key = engineKey(choice);
    let warm = this.warm;
    const reused = warm?.key === key && warm.loaded;
    if (!warm || warm.key !== key) {
      // Everything up to the loaded engine happens inside one shared promise, set synchronously,
      // so a second session arriving meanwhile joins it instead of creating a second engine.
      const previous = warm;
      this.warm = null;
      previous?.abort.abort();
      const listeners = new Set<LoadListener>();
      const abort = new AbortController();
      this.loadsStarted++;
      const current: WarmEngine = { key, choice, engine: null, ready: Promise.resolve(), listeners, waiters: 0, loaded: false, abort, lastProgress: null };
      current.ready = (async () => {
        if (previous?.engine) await previous.engine.unload().catch(() => undefined);
        const engine = serializeEngine(await this.deps.createEngine(choice));
        current.engine = engine;
        throwIfAborted(abort.signal);
        // Everyone waiting on this load hears its progress (and the calibration's).
        const report: LoadListener = (progress) => {
          current.lastProgress = progress;
          for (const listener of listeners) listener(progress);
        };
        await engine.load(report, abort.signal);
        throwIfAborted(abort.signal);
        await this.calibrate(engine, choice, abort.signal, report);
      })();
      warm = current;
      this.warm = warm;
      current.ready.then(
        () => (current.loaded = true),
        () => {
          // A failed or abandoned load must not stay cached: the next review tries again from scratch.
          if (this.warm === current) this.warm = null;
          void current.engine?.unload().catch(() => undefined);
        },
      );
    }
    const target = warm;
    target.listeners.add(onProgress);
    target.waiters++;
    if (!target.loaded && target.lastProgress) onProgress(target.lastProgress);
    try {
      await abortable(target.ready, signal);
    } finally {
      target.listeners.delete(onProgress);
      target.waiters--;
      // Nobody wants this load any more: stop the download instead of finishing it unseen.
      if (target.waiters === 0 && !target.loaded && signal.aborted) {
        target.abort.abort();
        if (this.warm === target) this.warm = null;
      }
    }
    // `ready` resolved, so the engine exists.
    return { engine: target.engine!, reused };
  }

  private scheduleIdleUnload(): void {
    this.cancelIdleUnload();
    const fire = () => {
      this.cancelIdle = null;
      if (this.sessions.size === 0) void this.unloadNow();
    };
    const ms = this.idleMinutes * 60_000;
    const { setTimer, clearTimer } = this.deps;
    // Each timer is cleared by its own kind: an injected one by the injected clear.
    if (setTimer) {
      const handle = setTimer(fire, ms);
      this.cancelIdle = () => clearTimer?.(handle);
    } else {
      const handle = setTimeout(fire, ms);
      this.cancelIdle = () => clearTimeout(handle);
    }
  }

  private cancelIdleUnload(): void {
    this.cancelIdle?.();
    this.cancelIdle = null;
  }

  async unloadNow(): Promise<void> {
    const warm = this.warm;
    this.warm = null;
    if (warm) {
      warm.abort.abort();
      await warm.engine?.unload().catch(() => undefined);
    }
  }
}

async function* tapUsage(stream: AsyncIterable<ChatChunk>, onUsage: (u: Extract<ChatChunk, { type: 'usage' }>) => void): AsyncIterable<ChatChunk> {
  for await (const chunk of stream) {
    if (chunk.type === 'usage') {
      try {
        onUsage(chunk);
      } catch {
        /* recording speeds must never break a review */
      }
    }
    yield chunk;
  }
}
