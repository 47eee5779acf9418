/** The panel while the model reviews: the step, the file, progress, speed, time left, what it found so far. */
import type { PanelState } from './panel-state';
import type { PanelProps } from './panel-props';
import { fileProgress, reviewSpeed } from './panel-state';
import { formatTimeLeft } from '../../shared/format';
import { ModelWrote } from './stream-text';
import { LiveReview } from './live-review';
import { CancelButton, PlacementNote, Progress } from './progress-bar';

type Reviewing = Extract<PanelState, { phase: 'reviewing' }>;

function StepLine({ state }: { state: Reviewing }) {
  const p = state.progress;
  const file = fileProgress(state);
  return (
    <>
      <p class="lpr-step" data-testid="review-step">
        <strong>{p ? `Step ${p.step} of ${p.steps}` : state.plannedSteps ? `${state.plannedSteps} step${state.plannedSteps === 1 ? '' : 's'}` : 'Reviewing…'}</strong>
        {p && !(p.currentFile && p.label.includes(p.currentFile)) ? <span class="lpr-muted"> · {p.label}</span> : null}
      </p>
      {p?.currentFile ? (
        <p class="lpr-current-file-line">
          {file ? (
            <span class="lpr-small" data-testid="review-file-count">
              File {file.index} of {file.total}:{' '}
            </span>
          ) : null}
          <span class="lpr-mono lpr-current-file" data-testid="review-current-file" title={p.currentFile}>
            {p.currentFile}
          </span>
        </p>
      ) : null}
      {p?.reason ? (
        <p class="lpr-small lpr-muted" data-testid="review-steps-reason">
          {p.reason}
        </p>
      ) : null}
    </>
  );
}

function MetaLine({ state }: { state: Reviewing }) {
  const speed = reviewSpeed(state);
  return (
    <p class="lpr-muted lpr-small lpr-meta">
      <span data-testid="review-speed">{speed ? `${speed.measured ? '' : '≈ '}${speed.tokensPerSecond.toFixed(1)} tokens/s` : 'measuring speed…'}</span>
      {state.placement ? <PlacementNote placement={state.placement} /> : null}
      {state.timeLeft ? (
        <span data-testid="review-time-left" data-seconds={state.timeLeft.seconds} data-calls-done={state.timeLeft.callsDone}>
          {' '}
          · {formatTimeLeft(state.timeLeft.seconds) || 'finishing'}
        </span>
      ) : state.estimate ? (
        <span data-testid="review-estimate"> · {state.estimate} in all</span>
      ) : null}
      {state.findings.length ? <span> · {state.findings.length} finding{state.findings.length === 1 ? '' : 's'} so far</span> : null}
    </p>
  );
}

function FasterOffers({ faster, onSwitchFaster }: { faster: Reviewing['faster']; onSwitchFaster: PanelProps['onSwitchFaster'] }) {
  if (!faster.length) return null;
  return (
    <div class="lpr-actions" data-testid="review-faster">
      <span class="lpr-small lpr-muted">This review will take a while. Faster:</span>
      {faster.map((f) => (
        <button
          type="button"
          class="lpr-btn lpr-btn-sm"
          data-testid={`faster-${f.kind}`}
          onClick={() => onSwitchFaster?.(f.kind === 'quick-depth' ? { depth: 'quick' } : { engine: f.engine, modelId: f.modelId })}
        >
          {f.text}
        </button>
      ))}
    </div>
  );
}

export function ReviewingView({ state, props }: { state: Reviewing; props: PanelProps }) {
  const p = state.progress;
  return (
    <div data-testid="panel-reviewing">
      <StepLine state={state} />
      <Progress fraction={p && p.steps > 1 ? (p.step - 1) / p.steps : null} label="Review progress" />
      <MetaLine state={state} />
      <FasterOffers faster={state.faster} onSwitchFaster={props.onSwitchFaster} />
      <LiveReview fileSummaries={state.fileSummaries} findings={state.findings} onJumpTo={props.onJumpTo} />
      <ModelWrote text={state.text} tail={state.tail} />
      <CancelButton onCancel={props.onCancel} />
    </div>
  );
}
