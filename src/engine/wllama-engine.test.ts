import { describe, expect, it } from 'vitest';
import { EngineError } from './engine';
import { isGguf, mapChatError, mapLoadError, pickThreadCount, WllamaEngine } from './wllama-engine';

describe('pickThreadCount', () => {
  it('uses one thread unless the page is cross-origin isolated', () => {
    expect(pickThreadCount(4, false, 8)).toBe(1);
    expect(pickThreadCount(undefined, false, 8)).toBe(1);
  });
  it('honours an explicit count when isolated, and leaves a core free by default', () => {
    expect(pickThreadCount(2, true, 2)).toBe(2);
    expect(pickThreadCount(0, true, 2)).toBe(1);
    expect(pickThreadCount(undefined, true, 2)).toBe(1);
    expect(pickThreadCount(undefined, true, 8)).toBe(4);
    expect(pickThreadCount(undefined, true, undefined)).toBe(1);
  });
});

describe('error mapping', () => {
  it('reports download failures with a next step', () => {
    const e = mapLoadError(new Error('Failed to fetch https://h/x.gguf: HTTP 404'));
    expect(e).toBeInstanceOf(EngineError);
    expect(e.code).toBe('download-failed');
    expect(e.message).toContain('HTTP 404');
    expect(e.nextStep).toBeTruthy();
    expect(mapLoadError(new TypeError('network error')).code).toBe('download-failed');
  });
  it('tells storage and memory problems apart from bad files', () => {
    expect(mapLoadError(new DOMException('full', 'QuotaExceededError')).code).toBe('quota');
    expect(mapLoadError(new Error('Cannot allocate memory')).code).toBe('out-of-memory');
    expect(mapLoadError(new Error('invalid magic')).code).toBe('load-failed');
    const own = new EngineError('load-failed', 'x');
    expect(mapLoadError(own)).toBe(own);
  });
  it('recognises a prompt longer than the context', () => {
    const e = mapChatError(new Error('the request exceeds the available context size, try increasing it'));
    expect(e.code).toBe('context-exceeded');
    expect(mapChatError(new Error('something else')).code).toBe('crashed');
  });
});

describe('isGguf', () => {
  it('checks the magic number', async () => {
    expect(await isGguf(new Blob([new Uint8Array([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0])]))).toBe(true);
    expect(await isGguf(new Blob(['<html>not a model</html>']))).toBe(false);
    expect(await isGguf(new Blob(['GGUF']))).toBe(false);
  });
});

describe('WllamaEngine', () => {
  it('refuses to be created without a model', () => {
    expect(() => new WllamaEngine({})).toThrow(EngineError);
  });
  it('is named after its model and refuses to chat before loading', async () => {
    const engine = new WllamaEngine({ modelUrl: 'https://h.example/m.gguf' });
    expect(engine.kind).toBe('wllama');
    expect(engine.modelId).toBe('https://h.example/m.gguf');
    expect(engine.capabilities().structuredOutput).toBe(true);
    const it = engine.chat({ messages: [], maxTokens: 1 }, new AbortController().signal)[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toMatchObject({ code: 'not-loaded' });
  });
});
