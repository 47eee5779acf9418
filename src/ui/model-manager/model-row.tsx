/** One model in the model manager: its facts, whether it is downloaded, and its download controls. */
import type { DownloadStatus, ModelEntry } from '../../protocol';
import { formatBytes } from '../../shared/format';
import { downloadLine } from './model-format';

interface ModelRowProps {
  model: ModelEntry;
  selected: boolean;
  download: DownloadStatus | undefined;
  onSelect(): void;
  onDownload(): void;
  onCancel(): void;
  onDelete(): void;
}

export function ModelRow({ model: m, selected, download, onSelect, onDownload, onCancel, onDelete }: ModelRowProps) {
  const downloading = download?.state === 'downloading';
  const deletable = m.cached && m.engine !== 'builtin';
  return (
    <li
      class={`lpr-mm-row${selected ? ' lpr-mm-selected' : ''}`}
      data-testid="model-row"
      data-engine={m.engine}
      data-model-id={m.id}
      data-cached={String(m.cached)}
      data-recommended={String(m.recommended)}
    >
      <label class="inline">
        <input type="radio" name="lpr-model" checked={selected} disabled={!m.runnable} onChange={onSelect} data-testid="model-select" />
        <span>
          <strong>{m.label}</strong>
          {m.recommended ? <span class="lpr-mm-badge"> recommended</span> : null}
          <br />
          <span class="muted small" data-testid="model-facts">
            {m.sizeBytes !== null ? formatBytes(m.sizeBytes) : 'size unknown'}
            {m.vramMB !== null ? ` · needs ~${formatBytes(m.vramMB * 1e6)} of GPU memory` : ''}
            {m.contextWindow ? ` · ${m.contextWindow.toLocaleString('en')} tokens context` : ''}
            {m.fits === false ? ' · may not fit this machine' : ''}
            {' · '}
            <span data-testid="model-cached">{m.cached ? 'downloaded' : 'not downloaded'}</span>
            {m.note ? ` · ${m.note}` : ''}
          </span>
        </span>
      </label>
      <div class="row">
        {!m.cached && !downloading && m.runnable && m.engine !== 'builtin' ? (
          <button type="button" class="btn" data-testid={download?.state === 'failed' ? 'model-retry' : 'model-download'} onClick={onDownload}>
            {download?.state === 'failed' ? 'Retry download' : 'Download'}
          </button>
        ) : null}
        {downloading ? (
          <button type="button" class="btn" data-testid="model-cancel" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        {deletable ? (
          <button type="button" class="btn" data-testid="model-delete" onClick={onDelete}>
            Delete
          </button>
        ) : null}
      </div>
      {download && download.state !== 'done' ? (
        <div data-testid="download-status" data-state={download.state}>
          {downloading ? (
            <progress
              data-testid="download-progress"
              max={download.totalBytes ?? undefined}
              value={download.totalBytes ? download.loadedBytes : undefined}
            />
          ) : null}
          <span class="small" data-testid="download-text">
            {download.state === 'failed'
              ? `${download.failure?.message ?? 'The download failed.'} ${download.failure?.nextStep ?? ''}`
              : download.state === 'cancelled'
                ? 'Download cancelled.'
                : downloadLine(download)}
          </span>
        </div>
      ) : null}
    </li>
  );
}
