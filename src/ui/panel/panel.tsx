/**
 * The review panel. It renders a PanelState and reports user intent through callbacks; it never
 * talks to the extension itself (see src/content/page-controller.ts for that).
 * Model output is only ever rendered as text or through <Markdown>, never as HTML.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { PanelState } from './panel-state';
import { isBusy } from './panel-state';
import { Markdown } from '../markdown';
import type { Finding, Review } from '../../review/review-types';
import { formatBytes } from './format';

export interface PanelProps {
  state: PanelState;
  title: string;
  onStart: () => void;
  onCancel: () => void;
  onClose: () => void;
  onOpenOptions: () => void;
  onJumpTo?: (finding: Finding) => void;
}

export function Panel(props: PanelProps) {
  const { state } = props;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section class="lpr-panel" data-testid="review-panel" aria-label="Local PR review" data-phase={state.phase}>
      <header class="lpr-header">
        <h2 class="lpr-header-title" tabIndex={-1} ref={headingRef}>
          {props.title}
        </h2>
        <button type="button" class="lpr-btn lpr-btn-invisible" data-testid="panel-close" aria-label="Close panel" onClick={props.onClose}>
          ×
        </button>
      </header>
      <div class="lpr-live lpr-sr-only" role="status" aria-live="polite" data-testid="panel-live">
        {announce(state)}
      </div>
      <div class="lpr-body">
        <PhaseView {...props} />
      </div>
    </section>
  );
}

function announce(state: PanelState): string {
  switch (state.phase) {
    case 'reading':
      return 'Reading the diff';
    case 'starting':
      return 'Starting the engine';
    case 'loading':
      return `Loading the model${state.progress.fraction !== null ? `, ${Math.round(state.progress.fraction * 100)}%` : ''}`;
    case 'reviewing':
      return state.progress ? `Reviewing ${state.progress.step} of ${state.progress.steps}` : 'Reviewing';
    case 'done':
      return `Review done: ${state.review.findings.length} findings`;
    case 'cancelled':
      return 'Review cancelled';
    case 'error':
      return `Review failed: ${state.failure.message}`;
    default:
      return '';
  }
}

function PhaseView(props: PanelProps) {
  const { state } = props;
  switch (state.phase) {
    case 'idle':
      return (
        <div data-testid="panel-idle">
          <p class="lpr-muted">Review this pull request with the model on your machine. Nothing leaves your browser.</p>
          <button type="button" class="lpr-btn lpr-btn-primary" data-testid="review-start" onClick={props.onStart}>
            Start review
          </button>
        </div>
      );
    case 'reading':
    case 'starting':
      return (
        <div data-testid={`panel-${state.phase}`}>
          <p class="lpr-muted">{state.phase === 'reading' ? 'Reading the diff…' : 'Starting the engine…'}</p>
          <CancelButton {...props} />
        </div>
      );
    case 'loading': {
      const { progress } = state;
      const pct = progress.fraction === null ? null : Math.round(progress.fraction * 100);
      return (
        <div data-testid="panel-loading">
          <p>{progress.text || 'Loading the model…'}</p>
          <Progress fraction={progress.fraction} label="Model loading progress" />
          <p class="lpr-muted lpr-small" data-testid="loading-detail">
            {progress.loadedBytes !== undefined && progress.totalBytes !== undefined
              ? `${formatBytes(progress.loadedBytes)} of ${formatBytes(progress.totalBytes)}`
              : ''}
            {pct !== null ? ` · ${pct}%` : ''}
          </p>
          <CancelButton {...props} />
        </div>
      );
    }
    case 'reviewing':
      return (
        <div data-testid="panel-reviewing">
          {state.progress ? (
            <>
              <p data-testid="review-step">
                {state.progress.label} ({state.progress.step} of {state.progress.steps})
              </p>
              {state.progress.currentFile ? <p class="lpr-muted lpr-small lpr-mono">{state.progress.currentFile}</p> : null}
              <Progress fraction={state.progress.steps ? (state.progress.step - 1) / state.progress.steps : null} label="Review progress" />
            </>
          ) : (
            <p>Reviewing…</p>
          )}
          {state.tokensPerSecond !== null ? (
            <p class="lpr-muted lpr-small" data-testid="review-speed">
              {state.tokensPerSecond.toFixed(1)} tokens/s
            </p>
          ) : null}
          <StreamBox text={state.text} />
          <CancelButton {...props} />
        </div>
      );
    case 'done':
      return <DoneView review={state.review} text={state.text} {...props} />;
    case 'cancelled':
      return (
        <div data-testid="panel-cancelled">
          <p>Review cancelled. What the model wrote so far is kept below.</p>
          <StreamBox text={state.text} />
          <button type="button" class="lpr-btn lpr-btn-primary" data-testid="review-start" onClick={props.onStart}>
            Review again
          </button>
        </div>
      );
    case 'error':
      return (
        <div data-testid="panel-error" role="alert">
          <p class="lpr-error-text" data-testid="error-message">
            {state.failure.message}
          </p>
          {state.failure.nextStep ? <p class="lpr-muted">{state.failure.nextStep}</p> : null}
          <div class="lpr-actions">
            {state.failure.retryable ? (
              <button type="button" class="lpr-btn lpr-btn-primary" data-testid="review-retry" onClick={props.onStart}>
                Retry
              </button>
            ) : null}
            <button type="button" class="lpr-btn" data-testid="open-options" onClick={props.onOpenOptions}>
              Options
            </button>
          </div>
          {state.text ? <StreamBox text={state.text} /> : null}
        </div>
      );
  }
}

function CancelButton(props: PanelProps) {
  if (!isBusy(props.state)) return null;
  return (
    <button type="button" class="lpr-btn lpr-btn-danger" data-testid="review-cancel" onClick={props.onCancel}>
      Cancel
    </button>
  );
}

function Progress({ fraction, label }: { fraction: number | null; label: string }) {
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
      <div class="lpr-progress-bar" style={{ width: pct === undefined ? '30%' : `${pct}%` }} />
    </div>
  );
}

/** The model's raw streamed words, shown as plain text while it works. */
function StreamBox({ text }: { text: string }) {
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [text]);
  return (
    <pre class="lpr-stream" data-testid="stream-text" ref={ref}>
      {text}
    </pre>
  );
}

function DoneView(props: PanelProps & { review: Review; text: string }) {
  const { review } = props;
  const skipped = review.coverage.filter((c) => c.coverage !== 'full');
  return (
    <div data-testid="panel-done">
      <Section title="Summary" testId="review-summary">
        <Markdown source={review.summary} />
      </Section>
      {review.risks.length ? (
        <Section title="Potential issues and risks" testId="review-risks">
          <ul>
            {review.risks.map((r) => (
              <li>
                <Markdown source={r} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section title={`Findings (${review.findings.length})`} testId="review-findings">
        {review.findings.length === 0 ? <p class="lpr-muted">No findings.</p> : null}
        <ul class="lpr-findings">
          {review.findings.map((f) => (
            <li class="lpr-finding" data-testid="finding" data-severity={f.severity}>
              <span class={`lpr-label lpr-sev-${f.severity}`}>{f.severity}</span>{' '}
              <button type="button" class="lpr-link" data-testid="finding-link" onClick={() => props.onJumpTo?.(f)}>
                {f.file}:{f.line}
              </button>
              <div class="lpr-finding-title">{f.title}</div>
              <Markdown source={f.explanation} />
            </li>
          ))}
        </ul>
      </Section>
      {review.changes.length ? (
        <Section title="Major changes" testId="review-changes">
          <ul>
            {review.changes.map((c) => (
              <li>
                <Markdown source={c} />
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section title="Coverage" testId="review-coverage">
        <p class="lpr-small">
          {review.coverage.length - skipped.length} of {review.coverage.length} files reviewed fully
          {review.truncated ? ' · the review was cut short' : ''}
        </p>
        {skipped.length ? (
          <ul class="lpr-small">
            {skipped.map((c) => (
              <li data-testid="coverage-item" data-coverage={c.coverage}>
                <span class="lpr-mono">{c.path}</span>: {c.coverage}
                {c.reason ? ` (${c.reason})` : ''}
              </li>
            ))}
          </ul>
        ) : null}
      </Section>
      {props.text ? (
        <details class="lpr-section">
          <summary class="lpr-small">What the model wrote</summary>
          <StreamBox text={props.text} />
        </details>
      ) : null}
      <button type="button" class="lpr-btn" data-testid="review-start" onClick={props.onStart}>
        Re-run
      </button>
    </div>
  );
}

function Section({ title, testId, children }: { title: string; testId: string; children: ComponentChildren }) {
  return (
    <section class="lpr-section" data-testid={testId}>
      <h3 class="lpr-section-title">{title}</h3>
      {children}
    </section>
  );
}
