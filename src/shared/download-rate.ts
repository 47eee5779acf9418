/**
 * The one download-speed meter: speed and time left from successive byte counts (engines report
 * bytes, not rates). Used by the panel (from `engine/progress` messages) and the engine host
 * (DownloadMeter, for the model manager). Pure, so it is tested without a browser.
 */

export interface ByteSample {
  /** Milliseconds (Date.now()). */
  at: number;
  loadedBytes: number;
}

export interface DownloadEstimate {
  /** Null until two samples at least 250 ms apart show progress. */
  bytesPerSecond: number | null;
  /** Null while the speed or the total is unknown. */
  secondsLeft: number | null;
}

/** Samples kept: enough to smooth out bursty chunk arrival, few enough to follow a changed speed. */
export const MAX_SAMPLES = 12;
/** Only the last few seconds count, so a stall shows up as a falling speed. */
const WINDOW_MS = 8000;
const MIN_SPAN_MS = 250;

/** Adds a sample; a restarted download (fewer bytes than before) starts the series afresh. */
export function addSample(samples: readonly ByteSample[], sample: ByteSample): ByteSample[] {
  const last = samples[samples.length - 1];
  if (!Number.isFinite(sample.loadedBytes) || sample.loadedBytes < 0) return [...samples];
  if (last && sample.loadedBytes < last.loadedBytes) return [sample];
  if (last && sample.at === last.at) return [...samples.slice(0, -1), sample];
  const next = [...samples, sample];
  return next.length > MAX_SAMPLES ? next.slice(next.length - MAX_SAMPLES) : next;
}

export function estimateDownload(samples: readonly ByteSample[], totalBytes: number | undefined): DownloadEstimate {
  const last = samples[samples.length - 1];
  if (!last) return { bytesPerSecond: null, secondsLeft: null };
  const first = samples.find((s) => last.at - s.at <= WINDOW_MS) ?? last;
  const span = last.at - first.at;
  const bytes = last.loadedBytes - first.loadedBytes;
  if (span < MIN_SPAN_MS || bytes <= 0) return { bytesPerSecond: null, secondsLeft: null };
  const bytesPerSecond = (bytes * 1000) / span;
  const remaining = totalBytes !== undefined && Number.isFinite(totalBytes) ? Math.max(0, totalBytes - last.loadedBytes) : null;
  return { bytesPerSecond, secondsLeft: remaining === null ? null : Math.ceil(remaining / bytesPerSecond) };
}
