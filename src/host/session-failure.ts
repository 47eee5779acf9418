/**
 * What the engine host decides about a session before and after it runs: which engine the
 * settings ask for (and the key its warm engine is kept under), and how an error reads as a
 * failure the panel can explain. Pure.
 */
import { ENGINE_ERROR_CODES, EngineError } from '../engine/engine';
import type { EngineChoice } from '../engine/engine-factory';
import type { ReviewFailure } from '../protocol';
import type { Settings } from '../shared/settings';
import { isAbortError } from '../shared/abort';
import { fieldOf, isOneOf } from '../shared/guards';

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

/**
 * The error as an EngineError: ours, or one from another bundle (same name and shape, another
 * class), its code checked against the list; null for any other error.
 */
function asEngineError(error: unknown): Pick<EngineError, 'code' | 'message' | 'nextStep'> | null {
  if (error instanceof EngineError) return error;
  if (!(error instanceof Error) || error.name !== 'EngineError') return null;
  const code = fieldOf(error, 'code');
  const nextStep = fieldOf(error, 'nextStep');
  if (!isOneOf(ENGINE_ERROR_CODES, code)) return null;
  return { code, message: error.message, ...(typeof nextStep === 'string' ? { nextStep } : {}) };
}

export function failureFrom(error: unknown): ReviewFailure {
  const e = asEngineError(error);
  if (e) {
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
