/**
 * The review panel. It renders a PanelState and reports user intent through callbacks; it never
 * talks to the extension itself (the content script's features do, src/content/pull-request-page.ts wires them).
 * Model output is only ever rendered as text or through <Markdown>, never as HTML.
 */
import { useRef } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { PanelState } from './panel-state';
import { fileProgress, isDownloading } from './panel-state';
import type { PanelProps } from './panel-props';
import { eventElement, useOpeningFocus, useOutcomeFocus } from './panel-focus';
import { PhaseView } from './phase-view';
import { DoneFooter } from './done-view';

export type { ActionStatus, PanelProps } from './panel-props';

function PanelHeader(props: PanelProps & { headingRef: RefObject<HTMLHeadingElement | null> }) {
  return (
    <header class="lpr-header">
      <h2 class="lpr-header-title" tabIndex={-1} ref={props.headingRef}>
        {props.title}
      </h2>
      <div class="lpr-header-actions">
        {props.onToggleMarkers && props.state.phase === 'done' ? (
          <button
            type="button"
            class="lpr-btn lpr-btn-sm lpr-btn-invisible"
            data-testid="markers-toggle"
            aria-pressed={props.markersVisible !== false}
            title="Show or hide the finding markers on the diff"
            onClick={props.onToggleMarkers}
          >
            {props.markersVisible !== false ? 'Hide markers' : 'Show markers'}
          </button>
        ) : null}
        <button type="button" class="lpr-btn lpr-btn-sm lpr-btn-invisible" data-testid="panel-close" aria-label="Close panel" onClick={props.onClose}>
          ✕
        </button>
      </div>
    </header>
  );
}

export function Panel(props: PanelProps) {
  const { state } = props;
  const rootRef = useRef<HTMLElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useOpeningFocus(rootRef, headingRef, props.focusRequest);
  useOutcomeFocus(rootRef, state);
  return (
    <section
      class="lpr-panel"
      data-testid="review-panel"
      aria-label="Local PR review"
      data-phase={state.phase}
      ref={rootRef}
      onKeyDown={(event) => {
        // Escape closes the panel (focus goes back to the Review button), unless it is in a text field.
        if (event.key === 'Escape' && !eventElement(event.target)?.closest('input, textarea, select')) {
          event.stopPropagation();
          props.onClose();
        }
      }}
    >
      <PanelHeader {...props} headingRef={headingRef} />
      {props.runsOn ? (
        <p class="lpr-muted lpr-runs-on" data-testid="panel-runs-on">
          {props.runsOn}
        </p>
      ) : null}
      <div class="lpr-live lpr-sr-only" role="status" aria-live="polite" data-testid="panel-live">
        {props.actionStatus?.message ?? announce(state)}
      </div>
      <div class="lpr-body">
        <PhaseView {...props} />
      </div>
      {state.phase === 'done' ? <DoneFooter {...props} /> : null}
    </section>
  );
}

/** What the live region says: coarse on purpose (whole percent steps, file i of n), not every token. */
export function announce(state: PanelState): string {
  switch (state.phase) {
    case 'first-run':
      return state.offer ? 'Choose a model to start' : 'Checking which models this machine can run';
    case 'reading':
      return 'Reading the diff';
    case 'starting':
      return 'Starting the engine';
    case 'loading': {
      const pct = state.progress.fraction !== null ? `, ${Math.round(state.progress.fraction * 10) * 10}%` : '';
      if (state.progress.stage === 'prepare') return 'Preparing: measuring how fast this model runs here';
      return isDownloading(state.progress) ? `Downloading the model${pct}` : `Loading the model into memory${pct}`;
    }
    case 'reviewing':
      if (!state.progress) return 'Reviewing';
      {
        const file = fileProgress(state);
        return file
          ? `Reviewing file ${file.index} of ${file.total}: ${state.progress.currentFile ?? ''}`
          : `Reviewing, step ${state.progress.step} of ${state.progress.steps}`;
      }
    case 'done': {
      const n = state.review.findings.length;
      return `${state.saved?.outdated ? 'Outdated review' : 'Review done'}: ${n} finding${n === 1 ? '' : 's'}`;
    }
    case 'cancelled':
      return 'Review cancelled';
    case 'error':
      return `Review failed: ${state.failure.message}`;
    default:
      return '';
  }
}
