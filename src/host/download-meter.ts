/**
 * Download speed and time left from a stream of load progress reports, for a progress bar that
 * says "120 MB of 676 MB · 8.4 MB/s · about 1 min left". Pure apart from the injected clock.
 */
import type { LoadProgress } from '../engine/engine';

export interface DownloadRate {
  loadedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number | null;
  etaSeconds: number | null;
}

/** Seconds of history the speed is averaged over: smooth, yet quick to follow a change. */
const WINDOW_MS = 5000;

export class DownloadMeter {
  private samples: Array<{ at: number; bytes: number }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  sample(progress: LoadProgress): DownloadRate {
    const loaded = finiteOr(progress.loadedBytes, 0);
    const total = progress.totalBytes && progress.totalBytes > 0 ? progress.totalBytes : null;
    const at = this.now();
    const last = this.samples.at(-1);
    // A restarted download (retry) starts counting again.
    if (last && loaded < last.bytes) this.samples = [];
    this.samples.push({ at, bytes: loaded });
    while (this.samples.length > 2 && at - this.samples[0]!.at > WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (at - first.at) / 1000;
    const bytesPerSecond = seconds >= 0.25 && loaded > first.bytes ? (loaded - first.bytes) / seconds : null;
    const etaSeconds = bytesPerSecond && total !== null ? Math.max(0, (total - loaded) / bytesPerSecond) : null;
    return { loadedBytes: loaded, totalBytes: total, bytesPerSecond, etaSeconds };
  }
}

function finiteOr(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${Math.round(bytes)} B`;
}

export function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s left`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `about ${minutes} min left` : `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** The engine's progress with bytes, speed and time left spelled out in its text while downloading. */
export function describeProgress(progress: LoadProgress, rate: DownloadRate): LoadProgress {
  if (!rate.totalBytes || rate.loadedBytes <= 0 || rate.loadedBytes >= rate.totalBytes) return progress;
  const parts = [`${formatBytes(rate.loadedBytes)} of ${formatBytes(rate.totalBytes)}`];
  if (rate.bytesPerSecond) parts.push(`${formatBytes(rate.bytesPerSecond)}/s`);
  if (rate.etaSeconds !== null) parts.push(formatEta(rate.etaSeconds));
  return { ...progress, text: `${progress.text}: ${parts.join(' · ')}` };
}
