/** Small formatting helpers of the model manager (pure). */
import type { DownloadStatus, ModelEntry } from '../../protocol';

export function formatBytes(bytes: number | null | undefined): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return 'size unknown';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${Math.round(bytes)} B`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s left`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min left` : `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** "120 MB of 676 MB · 8.4 MB/s · 1 min left" */
export function downloadLine(status: DownloadStatus): string {
  const parts = [status.totalBytes ? `${formatBytes(status.loadedBytes)} of ${formatBytes(status.totalBytes)}` : formatBytes(status.loadedBytes)];
  if (status.bytesPerSecond) parts.push(`${formatBytes(status.bytesPerSecond)}/s`);
  if (status.etaSeconds !== null && status.state === 'downloading') parts.push(formatSeconds(status.etaSeconds));
  return parts.join(' · ');
}

export function entryKey(e: { engine: string; id?: string; modelId?: string }): string {
  return `${e.engine}\u0000${e.id ?? e.modelId ?? ''}`;
}

export const ENGINE_TITLES: Record<ModelEntry['engine'], string> = {
  webllm: 'GPU (WebGPU, web-llm)',
  wllama: 'CPU (WebAssembly, wllama)',
  builtin: "Browser's built-in model",
  localserver: 'Local server (OpenAI-compatible, this machine)',
  native: 'Native llama.cpp (evaluation only)',
  scripted: 'Scripted test engine',
};
