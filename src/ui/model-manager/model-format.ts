/** Small formatting helpers of the model manager (pure). */
import type { DownloadStatus, ModelEntry } from '../../protocol';
import { formatBytes, formatTimeLeft } from '../../shared/format';

/** "120 MB of 676 MB · 8.4 MB/s · about 1 min left" */
export function downloadLine(status: DownloadStatus): string {
  const parts = [status.totalBytes ? `${formatBytes(status.loadedBytes)} of ${formatBytes(status.totalBytes)}` : formatBytes(status.loadedBytes)];
  if (status.bytesPerSecond) parts.push(`${formatBytes(status.bytesPerSecond)}/s`);
  if (status.etaSeconds !== null && status.state === 'downloading') parts.push(formatTimeLeft(status.etaSeconds));
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
