import { describe, expect, it, vi } from 'vitest';
import { describePlacement } from './engine-placement';

// The component talks to the extension; the sentence it shows is pure.
vi.mock('webextension-polyfill', () => ({ default: {} }));

const engine = { kind: 'wllama', modelId: 'm', loaded: true };

describe('the options page line about where the model runs', () => {
  it('says GPU or CPU as the engine host reports it, with the layers and the reason', () => {
    expect(describePlacement({ activeSessions: 0, engine, placement: { device: 'gpu', layersOffloaded: 29, layersTotal: 29, label: 'GPU · llama.cpp' } })).toBe(
      'The loaded model runs on: GPU · llama.cpp, 29 of 29 layers on the GPU.',
    );
    expect(
      describePlacement({ activeSessions: 0, engine, placement: { device: 'cpu', layersOffloaded: 0, layersTotal: 3, label: 'CPU', reason: 'The GPU lacks shader-f16.' } }),
    ).toBe('The loaded model runs on: CPU, 0 of 3 layers on the GPU. The GPU lacks shader-f16.');
  });

  it('says nothing when no model is loaded or the engine does not report it', () => {
    expect(describePlacement(undefined)).toBeNull();
    expect(describePlacement({ activeSessions: 0, engine: null })).toBeNull();
    expect(describePlacement({ activeSessions: 0, engine: { ...engine, loaded: false }, placement: { device: 'gpu', layersOffloaded: 3, layersTotal: 3, label: 'GPU · llama.cpp' } })).toBeNull();
    expect(describePlacement({ activeSessions: 0, engine })).toBeNull();
  });
});
