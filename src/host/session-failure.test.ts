import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/engine';
import { failureFrom } from './session-failure';

/** An EngineError as another bundle's class throws it: same name and fields, not our class. */
function foreignEngineError(code: unknown, message: string, nextStep?: unknown): Error {
  const e = new Error(message);
  e.name = 'EngineError';
  return Object.assign(e, { code, nextStep });
}

describe('failureFrom', () => {
  it('keeps the code, message and next step of an engine error; only some codes can be retried', () => {
    expect(failureFrom(new EngineError('download-failed', 'The model could not be downloaded.', 'Retry.'))).toEqual({
      code: 'download-failed',
      message: 'The model could not be downloaded.',
      nextStep: 'Retry.',
      retryable: true,
    });
    expect(failureFrom(new EngineError('no-webgpu', 'No WebGPU here.'))).toEqual({ code: 'no-webgpu', message: 'No WebGPU here.', retryable: false });
  });

  it('reads an engine error from another bundle the same way', () => {
    expect(failureFrom(foreignEngineError('unavailable', 'Not in this browser.', 'Pick another engine.'))).toEqual({
      code: 'unavailable',
      message: 'Not in this browser.',
      nextStep: 'Pick another engine.',
      retryable: false,
    });
    expect(failureFrom(foreignEngineError('quota', 'Storage is full.', 42))).toEqual({ code: 'quota', message: 'Storage is full.', retryable: true });
  });

  it('treats an error that only calls itself EngineError (unknown code) like any other error', () => {
    expect(failureFrom(foreignEngineError('melted', 'odd'))).toEqual({ code: 'internal', message: 'The review stopped: odd', nextStep: 'Try again.', retryable: true });
    expect(failureFrom(new TypeError('x is undefined'))).toMatchObject({ code: 'internal', message: 'The review stopped: x is undefined' });
    expect(failureFrom('a string')).toMatchObject({ code: 'internal', message: 'The review stopped: a string' });
  });
});
