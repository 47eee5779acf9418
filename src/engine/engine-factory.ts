/**
 * Creates the engine the settings ask for. Each adapter is imported lazily so only the engine in
 * use is loaded, and the scripted test engine exists only in the e2e build (`__E2E__`).
 */
import { EngineError, type Engine, type EngineKind } from './engine';

export interface EngineChoice {
  kind: EngineKind;
  modelId: string;
  /** Mirror base URL for model downloads ('' = the default host). */
  modelHost: string;
}

export async function createEngine(choice: EngineChoice): Promise<Engine> {
  switch (choice.kind) {
    case 'scripted':
      if (__E2E__) {
        const { createScriptedEngine } = await import('./scripted-engine');
        return createScriptedEngine(choice.modelId);
      }
      throw new EngineError('unavailable', 'The test engine is not part of this build.', 'Pick a model in the options.');
    default:
      throw new EngineError(
        'unavailable',
        `The ${choice.kind} engine is not available in this build yet.`,
        'Pick another engine in the options.',
      );
  }
}
