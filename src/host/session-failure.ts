/**
 * What the engine host decides about a session before and after it runs: which engine the
 * settings ask for (and the key its warm engine is kept under), and how an error reads as a
 * failure the panel can explain. Pure.
 */
import { EngineError } from '../engine/engine';
import type { EngineChoice } from '../engine/engine-factory';
import type { ReviewFailure } from '../protocol';
import type { Settings } from '../shared/settings';
import { isAbortError } from '../shared/abort';

export function engineKey(choice: EngineChoice): string {
  return `${choice.kind}\u0000${choice.modelId}\u0000${choice.modelHost}`;
}

/** The engine and model the settings ask for, or an error saying what to pick. */
export function choiceFromSettings(settings: Settings): EngineChoice {
  if (!settings.engine || (!settings.modelId && settings.engine !== 'builtin')) {
    throw new EngineError('not-loaded', 'No model is chosen yet.', 'Pick a model in the options.');
  }
  return {
    kind: settings.engine,
    modelId: settings.modelId ?? 'builtin',
    modelHost:
      settings.engine === 'webllm' || settings.engine === 'wllama'
        ? settings.modelHosts[settings.engine]
        : settings.engine === 'localserver'
          ? settings.localServerUrl
          : '',
  };
}

export function failureFrom(error: unknown): ReviewFailure {
  if (error instanceof EngineError || (error instanceof Error && error.name === 'EngineError')) {
    // An EngineError from another bundle (same shape, other class) counts too.
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

export function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || isAbortError(error);
}
