/**
 * The engine host: the one extension-owned place where models run (Chrome: the offscreen
 * document; Firefox: the background page). It keeps one engine warm for every tab, runs each
 * review session, and reports everything as `BackgroundToContent` messages tagged by session.
 *
 * It knows nothing about ports: `post` is handed in, so the same host runs behind a Port in
 * Chrome and in-process in Firefox.
 */
import type { BackgroundToContent, BackgroundToHost, HostStatus, ReviewFailure, ReviewRequest } from '../protocol';
import { EngineError, type Engine } from '../engine/engine';
import { serializeEngine } from '../engine/serialized-engine';
import type { EngineChoice } from '../engine/engine-factory';
import { runReview } from '../review/pipeline';

export type PostToSession = (session: string, message: BackgroundToContent) => void;

export interface EngineHostDeps {
  createEngine: (choice: EngineChoice) => Promise<Engine>;
  post: PostToSession;
  /** Injected for tests; defaults to the real timers. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface WarmEngine {
  key: string;
  engine: Engine;
  /** Resolves once loaded; shared by every session that asked for this engine meanwhile. */
  ready: Promise<void>;
  /** Load progress listeners of the sessions waiting on `ready`. */
  listeners: Set<(message: BackgroundToContent) => void>;
  loaded: boolean;
}

function engineKey(choice: EngineChoice): string {
  return `${choice.kind}\u0000${choice.modelId}\u0000${choice.modelHost}`;
}

export function failureFrom(error: unknown): ReviewFailure {
  if (error instanceof EngineError || (error instanceof Error && error.name === 'EngineError')) {
    const e = error as EngineError;
    return {
      code: e.code,
      message: e.message,
      ...(e.nextStep ? { nextStep: e.nextStep } : {}),
      retryable: e.code !== 'unavailable' && e.code !== 'no-webgpu',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `The review stopped: ${message}`, nextStep: 'Try again.', retryable: true };
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

export class EngineHost {
  private readonly sessions = new Map<string, AbortController>();
  private warm: WarmEngine | null = null;
  private idleTimer: unknown = null;
  private idleMinutes = 10;

  constructor(private readonly deps: EngineHostDeps) {}

  handle(message: BackgroundToHost): void {
    switch (message.kind) {
      case 'session/start':
        void this.start(message.session, message.request);
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
    return {
      activeSessions: this.sessions.size,
      engine: warm ? { kind: warm.engine.kind, modelId: warm.engine.modelId, loaded: warm.loaded } : null,
    };
  }

  private async start(session: string, request: ReviewRequest): Promise<void> {
    const controller = new AbortController();
    this.sessions.get(session)?.abort();
    this.sessions.set(session, controller);
    this.cancelIdleUnload();
    const post = (message: BackgroundToContent) => {
      if (this.sessions.get(session) === controller) this.deps.post(session, message);
    };
    try {
      const { settings } = request;
      this.idleMinutes = settings.idleUnloadMinutes;
      if (!settings.engine || !settings.modelId) {
        throw new EngineError('not-loaded', 'No model is chosen yet.', 'Pick a model in the options.');
      }
      const choice: EngineChoice = {
        kind: settings.engine,
        modelId: settings.modelId,
        modelHost: settings.engine === 'webllm' || settings.engine === 'wllama' ? settings.modelHosts[settings.engine] : '',
      };
      const { engine, reused } = await this.engineFor(choice, post, controller.signal);
      post({ kind: 'engine/ready', engine: engine.kind, modelId: engine.modelId, reused });
      await runReview(
        { diff: request.diff, settings, engine },
        (event) => post({ kind: 'review/event', event }),
        controller.signal,
      );
      if (controller.signal.aborted) post({ kind: 'review/cancelled' });
    } catch (error) {
      if (isAbort(error, controller.signal)) post({ kind: 'review/cancelled' });
      else post({ kind: 'review/failed', failure: failureFrom(error) });
    } finally {
      if (this.sessions.get(session) === controller) this.sessions.delete(session);
      if (this.sessions.size === 0) this.scheduleIdleUnload();
    }
  }

  /** The warm engine when it matches, else a new one (unloading the old). Loads are shared. */
  private async engineFor(
    choice: EngineChoice,
    post: (m: BackgroundToContent) => void,
    signal: AbortSignal,
  ): Promise<{ engine: Engine; reused: boolean }> {
    const key = engineKey(choice);
    let warm = this.warm;
    const reused = warm?.key === key && warm.loaded;
    if (!warm || warm.key !== key) {
      if (warm) await warm.engine.unload().catch(() => undefined);
      const engine = serializeEngine(await this.deps.createEngine(choice));
      const listeners = new Set<(m: BackgroundToContent) => void>();
      const ready = engine.load((progress) => {
        for (const listener of listeners) listener({ kind: 'engine/progress', progress });
      });
      warm = { key, engine, ready, listeners, loaded: false };
      this.warm = warm;
      const current = warm;
      ready.then(
        () => (current.loaded = true),
        () => {
          // A failed load must not stay cached: the next review tries again from scratch.
          if (this.warm === current) this.warm = null;
        },
      );
    }
    warm.listeners.add(post);
    try {
      await abortable(warm.ready, signal);
    } finally {
      warm.listeners.delete(post);
    }
    return { engine: warm.engine, reused };
  }

  private scheduleIdleUnload(): void {
    const setTimer = this.deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.cancelIdleUnload();
    this.idleTimer = setTimer(() => void this.unloadNow(), this.idleMinutes * 60_000);
  }

  private cancelIdleUnload(): void {
    if (this.idleTimer === null) return;
    (this.deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.idleTimer);
    this.idleTimer = null;
  }

  async unloadNow(): Promise<void> {
    const warm = this.warm;
    this.warm = null;
    if (warm) await warm.engine.unload().catch(() => undefined);
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DOMException('Cancelled', 'AbortError'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DOMException('Cancelled', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
