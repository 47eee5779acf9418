/** Small pieces shared by the panel's phases: the progress bar, Cancel, where the model runs. */
import type { EnginePlacement } from '../../engine/engine';
import type { PanelState } from './panel-state';

export function Progress({ fraction, label }: { fraction: number | null; label: string }) {
  const pct = fraction === null ? undefined : Math.max(0, Math.min(100, Math.round(fraction * 100)));
  return (
    <div
      class={`lpr-progress${pct === undefined ? ' lpr-progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div class="lpr-progress-bar" style={pct === undefined ? undefined : { width: `${pct}%` }} />
    </div>
  );
}

/** Shown only in the busy phases (reading to reviewing), which are the ones that render it. */
export function CancelButton({ onCancel }: { onCancel: () => void }) {
  return (
    <div class="lpr-actions">
      <button type="button" class="lpr-btn lpr-btn-danger" data-testid="review-cancel" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** Where the model runs, as the engine read it back: "GPU · llama.cpp" or "CPU" (the reason on hover). */
export function PlacementNote({ placement }: { placement: EnginePlacement }) {
  return (
    <span data-testid="engine-placement" title={placement.reason}>
      {' · '}
      {placement.label}
    </span>
  );
}
