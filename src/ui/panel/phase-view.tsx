/** The panel's body for each phase of a review: one small view per phase. */
import type { PanelState } from './panel-state';
import type { PanelProps } from './panel-props';
import { isDownloading } from './panel-state';
import { FirstRun } from './first-run';
import { ModelWrote } from './stream-text';
import { CancelButton, Progress } from './progress-bar';
import { DownloadingView, LoadingView } from './loading-views';
import { ReviewingView } from './reviewing-view';
import { DoneView } from './done-view';

function IdleView({ onStart }: { onStart: () => void }) {
  return (
    <div data-testid="panel-idle">
      <p class="lpr-muted">Review this pull request with the model on your machine. Nothing leaves your browser.</p>
      <button type="button" class="lpr-btn lpr-btn-primary" data-testid="review-start" onClick={onStart}>
        Start review
      </button>
    </div>
  );
}

function PreparingView({ state, onCancel }: { state: Extract<PanelState, { phase: 'reading' | 'starting' }>; onCancel: () => void }) {
  const label = state.phase === 'reading' ? 'Reading the diff' : 'Starting the engine';
  return (
    <div data-testid={`panel-${state.phase}`}>
      <p class="lpr-muted">{`${label}…`}</p>
      <Progress fraction={null} label={label} />
      <CancelButton onCancel={onCancel} />
    </div>
  );
}

function CancelledView({ state, onStart }: { state: Extract<PanelState, { phase: 'cancelled' }>; onStart: () => void }) {
  return (
    <div data-testid="panel-cancelled">
      <p>Review cancelled. What the model wrote so far is kept below.</p>
      <ModelWrote text={state.text} open />
      <button type="button" class="lpr-btn lpr-btn-primary" data-testid="review-start" onClick={onStart}>
        Review again
      </button>
    </div>
  );
}

function ErrorView({ state, props }: { state: Extract<PanelState, { phase: 'error' }>; props: PanelProps }) {
  const { failure } = state;
  return (
    <div data-testid="panel-error" role="alert">
      <div class="lpr-flash lpr-flash-danger">
        <p class="lpr-error-text" data-testid="error-message" tabIndex={-1} data-focus-target="true">
          {failure.message}
        </p>
        {failure.nextStep ? (
          <p class="lpr-next-step" data-testid="error-next-step">
            {failure.nextStep}
          </p>
        ) : null}
      </div>
      <div class="lpr-actions">
        {failure.retryable ? (
          <button type="button" class="lpr-btn lpr-btn-primary" data-testid="review-retry" onClick={props.onStart}>
            Retry
          </button>
        ) : null}
        <button type="button" class="lpr-btn" data-testid="open-options" onClick={props.onOpenOptions}>
          Options
        </button>
      </div>
      {state.text ? <ModelWrote text={state.text} /> : null}
    </div>
  );
}

export function PhaseView(props: PanelProps) {
  const { state } = props;
  switch (state.phase) {
    case 'idle':
      return <IdleView onStart={props.onStart} />;
    case 'first-run':
      return (
        <FirstRun offer={state.offer} error={state.error} onPick={(pick) => props.onPickModel?.(pick)} onOpenOptions={props.onOpenOptions} />
      );
    case 'reading':
    case 'starting':
      return <PreparingView state={state} onCancel={props.onCancel} />;
    case 'loading':
      return isDownloading(state.progress) ? <DownloadingView state={state} onCancel={props.onCancel} /> : <LoadingView state={state} onCancel={props.onCancel} />;
    case 'reviewing':
      return <ReviewingView state={state} props={props} />;
    case 'done':
      return <DoneView state={state} props={props} />;
    case 'cancelled':
      return <CancelledView state={state} onStart={props.onStart} />;
    case 'error':
      return <ErrorView state={state} props={props} />;
  }
}
