/** The panel while the model downloads (bytes, speed, time left) and while it loads into memory. */
import type { PanelState } from './panel-state';
import { formatBytes, formatTimeLeft } from '../../shared/format';
import { estimateDownload } from '../../shared/download-rate';
import { CancelButton, Progress } from './progress-bar';

type Loading = Extract<PanelState, { phase: 'loading' }>;

export function DownloadingView({ state, onCancel }: { state: Loading; onCancel: () => void }) {
  const { progress } = state;
  const { bytesPerSecond, secondsLeft } = estimateDownload(state.samples, progress.totalBytes);
  const pct = progress.fraction === null ? null : Math.round(progress.fraction * 100);
  return (
    <div data-testid="panel-downloading">
      <p>
        <strong>Downloading the model</strong>
      </p>
      <p class="lpr-muted lpr-small">Once only: it stays in your browser for later reviews.</p>
      <Progress fraction={progress.fraction} label="Model download" />
      <p class="lpr-small lpr-meta" data-testid="download-detail">
        <span data-testid="download-bytes">
          {formatBytes(progress.loadedBytes ?? 0)} of {formatBytes(progress.totalBytes ?? 0)}
        </span>
        {pct !== null ? <span data-testid="download-percent"> · {pct}%</span> : null}
        {bytesPerSecond !== null ? <span> · {formatBytes(bytesPerSecond)}/s</span> : null}
        <span data-testid="download-eta"> · {formatTimeLeft(secondsLeft) || 'estimating time left…'}</span>
      </p>
      <CancelButton onCancel={onCancel} />
    </div>
  );
}

export function LoadingView({ state, onCancel }: { state: Loading; onCancel: () => void }) {
  const { progress } = state;
  const preparing = progress.stage === 'prepare';
  // Once every byte is in, the engine's fraction is the download's (100%), not the load's: the
  // load has no known fraction. The number and the bar always show the same thing.
  const downloaded = progress.loadedBytes !== undefined && !!progress.totalBytes && progress.loadedBytes >= progress.totalBytes;
  const fraction = preparing || downloaded ? null : progress.fraction;
  const pct = fraction === null ? null : Math.round(fraction * 100);
  const generic = !progress.text || /^loading the model$/i.test(progress.text.trim());
  return (
    <div data-testid="panel-loading" data-stage={preparing ? 'prepare' : 'load'}>
      <p>
        <strong>{preparing ? 'Preparing' : 'Loading the model into memory'}</strong>
      </p>
      <p class="lpr-muted lpr-small" data-testid="loading-detail">
        {preparing ? progress.text || 'Measuring how fast this model runs here (once per model)' : generic ? 'Reading the model into memory for this review' : progress.text}
        {pct !== null ? <span data-testid="loading-percent"> · {pct}%</span> : null}
      </p>
      <Progress fraction={fraction} label={preparing ? 'Preparing' : 'Model loading progress'} />
      <CancelButton onCancel={onCancel} />
    </div>
  );
}
