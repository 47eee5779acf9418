import { describe, expect, it } from 'vitest';
import type { LoadProgress } from './engine';
import { monotonicProgress, parseWebLlmProgress } from './webllm-progress';

describe('parseWebLlmProgress', () => {
  it('reads downloaded megabytes and percent from a fetch report', () => {
    const p = parseWebLlmProgress({
      progress: 0.59,
      timeElapsed: 12,
      text: 'Fetching param cache[12/30]: 512MB fetched. 59% completed, 12 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.',
    });
    expect(p.loadedBytes).toBe(512 * 1024 * 1024);
    expect(p.totalBytes).toBe(Math.round((512 * 1024 * 1024) / 0.59));
    expect(p.fraction).toBeCloseTo(0.59 * 0.9);
    expect(p.text).toBe('Downloading model: 512 MB (59%)');
  });

  it('tells a cache load apart from a download', () => {
    const p = parseWebLlmProgress({ progress: 0.5, timeElapsed: 1, text: 'Loading model from cache[15/30]: 400MB loaded. 50% completed, 1 secs elapsed.' });
    expect(p.text).toMatch(/browser cache/);
    expect(p.loadedBytes).toBe(400 * 1024 * 1024);
  });

  it('places the shader phase after the weights and finishes at 1', () => {
    const shaders = parseWebLlmProgress({ progress: 0.5, timeElapsed: 3, text: 'Loading GPU shader modules[40/80]: 50% completed, 3 secs elapsed.' });
    expect(shaders.fraction).toBeCloseTo(0.95);
    expect(shaders.text).toBe('Preparing the GPU: 50%');
    const done = parseWebLlmProgress({ progress: 1, timeElapsed: 20, text: 'Finish loading on WebGPU - nvidia' });
    expect(done).toEqual({ fraction: 1, text: 'Model ready (WebGPU - nvidia)' });
  });

  it('passes unknown reports through with an unknown fraction', () => {
    expect(parseWebLlmProgress({ progress: 0.2, timeElapsed: 0, text: 'Something new' })).toEqual({ fraction: null, text: 'Something new' });
    expect(parseWebLlmProgress({} as never)).toEqual({ fraction: null, text: 'Loading the model' });
  });
});

describe('monotonicProgress', () => {
  it('never moves the bar backwards', () => {
    const seen: LoadProgress[] = [];
    const report = monotonicProgress((p) => seen.push(p));
    report({ fraction: 0.5, text: 'a' });
    report({ fraction: 0.2, text: 'b' });
    report({ fraction: null, text: 'c' });
    report({ fraction: 0.7, text: 'd' });
    expect(seen.map((p) => p.fraction)).toEqual([0.5, 0.5, null, 0.7]);
    expect(seen[1]?.text).toBe('b');
  });
});
