/**
 * Download speed and time left from a stream of load progress reports, for a progress bar that
 * says "120 MB of 676 MB · 8.4 MB/s · about 1 min left". Pure apart from the injected clock.
 */
import type { LoadProgress } from '../engine/engine';
import { addSample, estimateDownload, type ByteSample } from '../shared/download-rate';
import { formatBytes, formatTimeLeft } from '../shared/format';

export interface DownloadRate {
  loadedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number | null;
  etaSeconds: number | null;
}

/** A download's meter: the shared one (src/shared/download-rate.ts) fed from load progress reports. */
export class DownloadMeter {
  private samples: ByteSample[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  sample(progress: LoadProgress): DownloadRate {
    const loaded = finiteOr(progress.loadedBytes, 0);
    const total = progress.totalBytes && progress.totalBytes > 0 ? progress.totalBytes : null;
    this.samples = addSample(this.samples, { at: this.now(), loadedBytes: loaded });
    const estimate = estimateDownload(this.samples, total ?? undefined);
    return { loadedBytes: loaded, totalBytes: total, bytesPerSecond: estimate.bytesPerSecond, etaSeconds: estimate.secondsLeft };
  }
}

function finiteOr(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** The engine's progress with bytes, speed and time left spelled out in its text while downloading. */
export function describeProgress(progress: LoadProgress, rate: DownloadRate): LoadProgress {
  if (!rate.totalBytes || rate.loadedBytes <= 0 || rate.loadedBytes >= rate.totalBytes) return progress;
  const parts = [`${formatBytes(rate.loadedBytes)} of ${formatBytes(rate.totalBytes)}`];
  if (rate.bytesPerSecond) parts.push(`${formatBytes(rate.bytesPerSecond)}/s`);
  if (rate.etaSeconds !== null) parts.push(formatTimeLeft(rate.etaSeconds));
  return { ...progress, text: `${progress.text}: ${parts.join(' · ')}` };
}
