import { describe, expect, it } from 'vitest';
import { formatBytes, formatTimeLeft } from './format';
import { describeProgress } from '../host/download-meter';
import { downloadLine } from '../ui/model-manager/model-format';

describe('one size unit and one time-left wording', () => {
  it('writes sizes in decimal units, as downloads are advertised', () => {
    expect(formatBytes(676_000_000)).toBe('676 MB');
    expect(formatBytes(4_000_000)).toBe('4.0 MB');
    expect(formatBytes(1_500_000_000)).toBe('1.50 GB');
    expect(formatBytes(null)).toBe('size unknown');
  });

  it('the host progress text and the model manager say the same size and time left for the same download', () => {
    const hostText = describeProgress(
      { fraction: 0.2, loadedBytes: 135_200_000, totalBytes: 676_000_000, text: 'Downloading' },
      { loadedBytes: 135_200_000, totalBytes: 676_000_000, bytesPerSecond: 8_400_000, etaSeconds: 65 },
    ).text;
    const managerText = downloadLine({
      engine: 'wllama',
      modelId: 'm',
      state: 'downloading',
      loadedBytes: 135_200_000,
      totalBytes: 676_000_000,
      bytesPerSecond: 8_400_000,
      etaSeconds: 65,
    });
    expect(hostText).toBe('Downloading: 135 MB of 676 MB · 8.4 MB/s · about 1 min left');
    expect(managerText).toBe('135 MB of 676 MB · 8.4 MB/s · about 1 min left');
    expect(formatTimeLeft(null)).toBe('');
  });
});
