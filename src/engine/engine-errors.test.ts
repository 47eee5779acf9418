import { describe, expect, it } from 'vitest';
import { EngineError } from './engine';
import { isAbortError, toEngineError } from './engine-errors';

/** An error shaped like the libraries' own: a class name plus their kind of message. */
function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const e = new Error(message);
  e.name = name;
  return Object.assign(e, extra);
}

describe('toEngineError', () => {
  it('web-llm without WebGPU → no-webgpu, pointing at the CPU engine', () => {
    const e = toEngineError(named('WebGPUNotAvailableError', 'WebGPU is not supported in your current environment'));
    expect(e.code).toBe('no-webgpu');
    expect(e.nextStep).toMatch(/CPU engine/);
  });

  it('a missing adapter message also means no WebGPU', () => {
    expect(toEngineError(new Error('No available adapters.')).code).toBe('no-webgpu');
  });

  it('ShaderF16SupportError → no-f16, suggesting the f32 variant', () => {
    const e = toEngineError(named('ShaderF16SupportError', 'This model requires WebGPU extension shader-f16'));
    expect(e.code).toBe('no-f16');
    expect(e.nextStep).toContain('q4f32_1');
  });

  it('DeviceLostError → device-lost, even though its message mentions memory', () => {
    const e = toEngineError(named('DeviceLostError', 'The WebGPU device was lost while loading the model. ... out of memory (OOM).'));
    expect(e.code).toBe('device-lost');
    expect(e.nextStep).toMatch(/smaller model/);
  });

  it.each([
    ['RangeError', 'Array buffer allocation failed'],
    ['RangeError', 'WebAssembly.Memory(): could not allocate memory'],
    ['GPUOutOfMemoryError', 'allocation'],
    ['Error', 'Out of memory'],
  ])('%s "%s" → out-of-memory', (name, message) => {
    expect(toEngineError(named(name, message)).code).toBe('out-of-memory');
  });

  it('ContextWindowSizeExceededError → context-exceeded with a way out', () => {
    const e = toEngineError(named('ContextWindowSizeExceededError', 'Prompt tokens exceed context window size: 5000; 4096'));
    expect(e.code).toBe('context-exceeded');
    expect(e.nextStep).toMatch(/quick depth/);
  });

  it("wllama's full KV cache → context-exceeded", () => {
    expect(toEngineError(named('Error', 'kv cache is full', { type: 'kv_cache_full' })).code).toBe('context-exceeded');
  });

  it("the built-in model's QuotaExceededError means the input is too long, not storage", () => {
    const quota = new DOMException('The input is too large.', 'QuotaExceededError');
    expect(toEngineError(quota, { engine: 'builtin' }).code).toBe('context-exceeded');
    expect(toEngineError(named('QuotaExceededError', 'too large', { requested: 9000, quota: 6144 })).code).toBe('context-exceeded');
  });

  it('a storage QuotaExceededError while downloading → quota, mentioning private windows', () => {
    const e = toEngineError(new DOMException('Quota exceeded.', 'QuotaExceededError'), { engine: 'webllm' });
    expect(e.code).toBe('quota');
    expect(e.message).toMatch(/private windows/);
  });

  it.each([
    ['TypeError', 'Failed to fetch'],
    ['TypeError', 'NetworkError when attempting to fetch resource.'],
    ['Error', 'Network response was not ok'],
    ['Error', 'ArtifactOPFSCache: Unable to fetch https://huggingface.co/x, received status 404'],
  ])('%s "%s" → download-failed', (name, message) => {
    const e = toEngineError(named(name, message));
    expect(e.code).toBe('download-failed');
    expect(e.nextStep).toMatch(/connection/);
  });

  it("wllama's download_error → download-failed", () => {
    expect(toEngineError(named('Error', 'could not get model', { type: 'download_error' })).code).toBe('download-failed');
  });

  it('a build without model libraries → load-failed that names the cause', () => {
    const e = toEngineError(new Error('This is a development build without bundled model libraries: x needs y.wasm'));
    expect(e.code).toBe('load-failed');
    expect(e.message).toMatch(/GPU library/);
  });

  it('model not loaded → not-loaded', () => {
    expect(toEngineError(named('ModelNotLoadedError', 'Model not loaded before trying to complete ChatCompletionRequest')).code).toBe(
      'not-loaded',
    );
  });

  it("the built-in model refusing the request → unavailable", () => {
    expect(toEngineError(new DOMException('not supported', 'NotSupportedError'), { engine: 'builtin' }).code).toBe('unavailable');
  });

  it('unknown failures: load-failed while loading, crashed while answering, with the first line only', () => {
    const raw = new Error('weird thing\nstack-ish detail');
    const atLoad = toEngineError(raw, { phase: 'load' });
    expect(atLoad.code).toBe('load-failed');
    expect(atLoad.message).toContain('weird thing');
    expect(atLoad.message).not.toContain('stack-ish');
    expect(toEngineError(raw, { phase: 'chat' }).code).toBe('crashed');
    expect(toEngineError('a string').code).toBe('crashed');
    expect(toEngineError(undefined).message).toContain('undefined');
  });

  it('keeps the raw error as the cause and passes EngineErrors through', () => {
    const raw = named('DeviceLostError', 'lost');
    expect(toEngineError(raw).cause).toBe(raw);
    const already = new EngineError('quota', 'full');
    expect(toEngineError(already)).toBe(already);
  });
});

describe('isAbortError', () => {
  it('recognises aborts and nothing else', () => {
    expect(isAbortError(new DOMException('x', 'AbortError'))).toBe(true);
    expect(isAbortError(new Error('Failed to fetch'))).toBe(false);
    expect(isAbortError(null)).toBe(false);
  });
});
