/**
 * web-llm reports loading as `{progress, timeElapsed, text}`, where `progress` restarts at 0 for
 * each phase (weights, then GPU shaders) and the byte counts exist only inside `text`. This turns
 * those reports into one `LoadProgress` that only moves forward, with bytes where the text has them.
 */
import type { LoadProgress } from './engine';

export interface WebLlmProgressReport {
  progress: number;
  timeElapsed: number;
  text: string;
}

const MB = 1024 * 1024;
/** Share of the bar for the weights; the shader phase fills the rest. */
const WEIGHTS_SHARE = 0.9;

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

export function parseWebLlmProgress(report: WebLlmProgressReport): LoadProgress {
  const text = typeof report?.text === 'string' ? report.text : '';
  const p = clamp01(typeof report?.progress === 'number' ? report.progress : NaN);

  // "Fetching param cache[3/30]: 512MB fetched. 59% completed, 12 secs elapsed. ..."
  // "Loading model from cache[3/30]: 512MB loaded. 59% completed, 2 secs elapsed."
  const weights = /^(Fetching param cache|Loading model from cache)\[\d+\/\d+\]: (\d+)MB (?:fetched|loaded)\. (\d+)% completed/.exec(text);
  if (weights) {
    const loadedBytes = Number(weights[2]) * MB;
    const percent = Number(weights[3]);
    const downloading = weights[1] === 'Fetching param cache';
    const fraction = percent > 0 ? percent / 100 : p;
    const totalBytes = percent > 0 ? Math.round(loadedBytes / (percent / 100)) : undefined;
    return {
      fraction: fraction * WEIGHTS_SHARE,
      loadedBytes,
      ...(totalBytes !== undefined ? { totalBytes } : {}),
      text: `${downloading ? 'Downloading model' : 'Loading model from the browser cache'}: ${Number(weights[2])} MB (${percent}%)`,
    };
  }
  // "Loading GPU shader modules[12/80]: 15% completed, 3 secs elapsed."
  const shaders = /^Loading GPU shader modules\[\d+\/\d+\]: (\d+)% completed/.exec(text);
  if (shaders) {
    const percent = Number(shaders[1]);
    return {
      fraction: WEIGHTS_SHARE + (1 - WEIGHTS_SHARE) * (percent / 100),
      text: `Preparing the GPU: ${percent}%`,
    };
  }
  if (/^Start to fetch params/.test(text)) return { fraction: 0, text: 'Starting the model download' };
  // "Finish loading on WebGPU - <gpu name>"
  const done = /^Finish loading on (.+)$/.exec(text);
  if (done) return { fraction: 1, text: `Model ready (${done[1]})` };
  return { fraction: null, text: text || 'Loading the model' };
}

/** Wraps a listener so the bar never moves backwards across phases and repeated reports. */
export function monotonicProgress(onProgress: (p: LoadProgress) => void): (p: LoadProgress) => void {
  let high = 0;
  return (p) => {
    if (p.fraction === null) {
      onProgress(p);
      return;
    }
    high = Math.max(high, p.fraction);
    onProgress({ ...p, fraction: high });
  };
}
