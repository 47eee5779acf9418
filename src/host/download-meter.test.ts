import { describe, expect, it } from 'vitest';
import { DownloadMeter, describeProgress } from './download-meter';
import { formatBytes } from '../shared/format';

describe('DownloadMeter', () => {
  it('reports speed and time left from the bytes that arrived', () => {
    let now = 0;
    const meter = new DownloadMeter(() => now);
    meter.sample({ fraction: 0, loadedBytes: 0, totalBytes: 100e6, text: 'Downloading' });
    now = 2000;
    const rate = meter.sample({ fraction: 0.2, loadedBytes: 20e6, totalBytes: 100e6, text: 'Downloading' });
    expect(rate.bytesPerSecond).toBe(10e6);
    expect(rate.etaSeconds).toBe(8);
    expect(describeProgress({ fraction: 0.2, loadedBytes: 20e6, totalBytes: 100e6, text: 'Downloading' }, rate).text).toBe(
      'Downloading: 20.0 MB of 100 MB · 10.0 MB/s · 8 s left',
    );
  });

  it('says nothing about speed before it can be measured, and starts over when a retry restarts the bytes', () => {
    let now = 0;
    const meter = new DownloadMeter(() => now);
    expect(meter.sample({ fraction: 0.5, loadedBytes: 50, totalBytes: 100, text: '' }).bytesPerSecond).toBeNull();
    now = 5000;
    meter.sample({ fraction: 0.9, loadedBytes: 90, totalBytes: 100, text: '' });
    now = 6000;
    const restarted = meter.sample({ fraction: 0.1, loadedBytes: 10, totalBytes: 100, text: '' });
    expect(restarted.bytesPerSecond).toBeNull();
    now = 7000;
    expect(meter.sample({ fraction: 0.3, loadedBytes: 30, totalBytes: 100, text: '' }).bytesPerSecond).toBe(20);
  });

  it('ignores nonsense byte counts', () => {
    const meter = new DownloadMeter(() => 0);
    expect(meter.sample({ fraction: null, loadedBytes: Number.NaN, totalBytes: -1, text: '' })).toEqual({
      loadedBytes: 0,
      totalBytes: null,
      bytesPerSecond: null,
      etaSeconds: null,
    });
    expect(formatBytes(1_500_000_000)).toBe('1.50 GB');
  });
});
