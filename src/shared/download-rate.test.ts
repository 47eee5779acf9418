import { describe, expect, it } from 'vitest';
import { addSample, estimateDownload, MAX_SAMPLES, type ByteSample } from './download-rate';
import { formatTimeLeft } from './format';

const MB = 1024 * 1024;

describe('estimateDownload', () => {
  it('knows nothing from a single sample', () => {
    expect(estimateDownload([{ at: 0, loadedBytes: MB }], 10 * MB)).toEqual({ bytesPerSecond: null, secondsLeft: null });
  });

  it('computes speed and time left from the samples', () => {
    let samples: ByteSample[] = [];
    for (let s = 0; s <= 4; s++) samples = addSample(samples, { at: s * 1000, loadedBytes: s * 2 * MB });
    const estimate = estimateDownload(samples, 20 * MB);
    expect(estimate.bytesPerSecond).toBeCloseTo(2 * MB);
    // 12 MB left at 2 MB/s.
    expect(estimate.secondsLeft).toBe(6);
  });

  it('follows a slowdown: only the recent window counts', () => {
    let samples: ByteSample[] = [];
    // Fast for 10 s, then 1 MB/s for the last 8 s.
    for (let s = 0; s <= 10; s++) samples = addSample(samples, { at: s * 1000, loadedBytes: s * 10 * MB });
    for (let s = 1; s <= 8; s++) samples = addSample(samples, { at: (10 + s) * 1000, loadedBytes: 100 * MB + s * MB });
    expect(estimateDownload(samples, 200 * MB).bytesPerSecond).toBeCloseTo(MB, -3);
  });

  it('leaves time left unknown without a total', () => {
    const samples = [
      { at: 0, loadedBytes: 0 },
      { at: 1000, loadedBytes: MB },
    ];
    expect(estimateDownload(samples, undefined)).toEqual({ bytesPerSecond: MB, secondsLeft: null });
  });
});

describe('addSample', () => {
  it('starts again when the download restarts', () => {
    const samples = addSample([{ at: 0, loadedBytes: 5 * MB }], { at: 100, loadedBytes: MB });
    expect(samples).toEqual([{ at: 100, loadedBytes: MB }]);
  });

  it('keeps a bounded number of samples', () => {
    let samples: ByteSample[] = [];
    for (let i = 0; i < 50; i++) samples = addSample(samples, { at: i * 100, loadedBytes: i });
    expect(samples).toHaveLength(MAX_SAMPLES);
    expect(samples[samples.length - 1]).toEqual({ at: 4900, loadedBytes: 49 });
  });

  it('ignores nonsense byte counts', () => {
    expect(addSample([{ at: 0, loadedBytes: 1 }], { at: 5, loadedBytes: Number.NaN })).toEqual([{ at: 0, loadedBytes: 1 }]);
  });
});

describe('formatTimeLeft', () => {
  it('speaks in seconds, minutes or hours', () => {
    expect(formatTimeLeft(null)).toBe('');
    expect(formatTimeLeft(12)).toBe('12 s left');
    expect(formatTimeLeft(150)).toBe('about 3 min left');
    expect(formatTimeLeft(3 * 3600 + 20 * 60)).toBe('about 3 h 20 min left');
  });
});
