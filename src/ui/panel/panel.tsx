/**
 * The review panel. It renders a PanelState and reports user intent through callbacks; it never
 * talks to the extension itself (see src/content/page-controller.ts for that).
 * Model output is only ever rendered as text or through <Markdown>, never as HTML.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { PanelState } from './panel-state';
import type { EnginePlacement } from '../../engine/engine';
import { fileProgress, isBusy, isDownloading, reviewSpeed } from './panel-state';
import type { Finding } from '../../model/review';
import type { Settings } from '../../shared/settings';
import { formatBytes } from '../../shared/format';
import { ReviewView } from './review-view';
import { FirstRun, type ModelPick } from './first-run';
import { estimateDownload } from '../../shared/download-rate';
import { formatTimeLeft } from '../../shared/format';
import { ModelWrote } from './stream-text';
import { LiveReview } from './live-review';
import { FollowUps, type AskState } from './follow-up';

/** The outcome of a panel action (copy, insert), shown under the action bar and announced. */
export interface ActionStatus {
  tone: 'ok' | 'error';
  message: string;
  /** Insert found no comment box: offer Copy instead. */
  offerCopy?: boolean;
}

export interface PanelProps {
  state: PanelState;
  title: string;
  dismissed?: ReadonlySet<string>;
  markersVisible?: boolean;
  actionStatus?: ActionStatus | null;
  onStart: () => void;
  onCancel: () => void;
  onClose: () => void;
  onOpenOptions: () => void;
  onJumpTo?: (finding: Finding) => void;
  onDismiss?: (finding: Finding) => void;
  onUndismiss?: (finding: Finding) => void;
  onCopy?: (text: string, what: string) => void;
  onCopyMarkdown?: () => void;
  onInsertComment?: () => void;
  onToggleMarkers?: () => void;
  onPickModel?: (pick: ModelPick) => void;
  /** Switch a long review to a faster setting (quick depth or a smaller model) and start again. */
  onSwitchFaster?: (patch: Partial<Pick<Settings, 'depth' | 'engine' | 'modelId'>>) => void;
  /** Scroll to and focus this finding's card (a marker on the diff was activated). */
  focusRequest?: { id: string; nonce: number } | null;
  /** Where the review runs, e.g. "Local server · qwen2.5-coder:7b" (see runs-on.ts). */
  runsOn?: string | undefined;
  /** An outdated review: review only the new commits (falls back to a full review when it must). */
  onReviewNew?: () => void;
  /** Follow-up questions in the Done state. */
  ask?: AskState | null;
  onAsk?: (question: string, findingId: string) => void;
  onCancelAsk?: () => void;
}

const NO_DISMISSALS: ReadonlySet<string> = new Set();

export function Panel(props: PanelProps) {
  const { state } = props;
  const rootRef = useRef<HTMLElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // On opening, focus goes to the heading, or to the finding a marker asked for.
  const request = props.focusRequest;
  useEffect(() => {
    const card = request ? rootRef.current?.querySelector<HTMLElement>(`[data-finding-id="${CSS.escape(request.id)}"]`) : null;
    if (card) {
      card.scrollIntoView({ block: 'nearest' });
      card.focus();
    } else headingRef.current?.focus();
  }, [request?.nonce ?? 0]);
  // Focus follows the outcome: the error message on failure, the summary when done, the choice
  // on first run. Only when focus is already in the panel (or nowhere), so typing elsewhere on the
  // page is never interrupted.
  const focusKey = state.phase === 'done' ? `done:${state.saved?.savedAt ?? 'new'}` : state.phase;
  useEffect(() => {
    const root = rootRef.current;
    if (!root || !(state.phase === 'error' || state.phase === 'done' || state.phase === 'first-run')) return;
    const shadow = root.getRootNode() as ShadowRoot | Document;
    const doc = root.ownerDocument;
    const inPanel = 'host' in shadow ? shadow.activeElement !== null : root.contains(doc.activeElement);
    if (!inPanel && doc.activeElement && doc.activeElement !== doc.body) return;
    // A finding a marker asked for keeps the focus.
    if ('host' in shadow && shadow.activeElement?.closest('[data-finding-id]')) return;
    root.querySelector<HTMLElement>('[data-focus-target="true"]')?.focus();
  }, [focusKey]);
  return (
    <section
      class="lpr-panel"
      data-testid="review-panel"
      aria-label="Local PR review"
      data-phase={state.phase}
      ref={rootRef}
      onKeyDown={(event) => {
        // Escape closes the panel (focus goes back to the Review button), unless it is in a text field.
        const target = event.target as HTMLElement | null;
        if (event.key === 'Escape' && !target?.closest('input, textarea, select')) {
          event.stopPropagation();
          props.onClose();
        }
      }}
    >
      <header class="lpr-header">
        <h2 class="lpr-header-title" tabIndex={-1} ref={headingRef}>
          {props.title}
        </h2>
        <div class="lpr-header-actions">
          {props.onToggleMarkers && state.phase === 'done' ? (
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
    case 'first-run':
      return (
        <FirstRun offer={state.offer} error={state.error} onPick={(pick) => props.onPickModel?.(pick)} onOpenOptions={props.onOpenOptions} />
      );
    case 'reading':
    case 'starting':
      return (
        <div data-testid={`panel-${state.phase}`}>
          <p class="lpr-muted">{state.phase === 'reading' ? 'Reading the diff…' : 'Starting the engine…'}</p>
          <Progress fraction={null} label={state.phase === 'reading' ? 'Reading the diff' : 'Starting the engine'} />
          <CancelButton {...props} />
        </div>
      );
    case 'loading':
      return isDownloading(state.progress) ? <DownloadingView {...props} /> : <LoadingView {...props} />;
    case 'reviewing': {
      const p = state.progress;
      const speed = reviewSpeed(state);
      const file = fileProgress(state);
      return (
        <div data-testid="panel-reviewing">
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
          <Progress fraction={p && p.steps > 1 ? (p.step - 1) / p.steps : null} label="Review progress" />
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
          {state.faster.length ? (
            <div class="lpr-actions" data-testid="review-faster">
              <span class="lpr-small lpr-muted">This review will take a while. Faster:</span>
              {state.faster.map((f) => (
                <button
                  type="button"
                  class="lpr-btn lpr-btn-sm"
                  data-testid={`faster-${f.kind}`}
                  onClick={() => props.onSwitchFaster?.(f.kind === 'quick-depth' ? { depth: 'quick' } : { engine: f.engine, modelId: f.modelId })}
                >
                  {f.text}
                </button>
              ))}
            </div>
          ) : null}
          <LiveReview fileSummaries={state.fileSummaries} findings={state.findings} onJumpTo={props.onJumpTo} />
          <ModelWrote text={state.text} tail={state.tail} />
          <CancelButton {...props} />
        </div>
      );
    }
    case 'done':
      return (
        <>
          <ReviewView
            review={state.review}
            dismissed={props.dismissed ?? NO_DISMISSALS}
            saved={state.saved}
            onJumpTo={props.onJumpTo}
            onDismiss={props.onDismiss}
            onUndismiss={props.onUndismiss}
            onCopy={props.onCopy}
            onRerun={props.onReviewNew ?? props.onStart}
          />
          {props.onAsk ? <FollowUps review={state.review} ask={props.ask ?? null} onAsk={props.onAsk} onCancel={props.onCancelAsk ?? (() => undefined)} /> : null}
          {state.placement ? (
            <p class="lpr-muted lpr-small" data-testid="engine-placement" title={state.placement.reason}>
              Ran on {state.placement.label}
              {state.placement.device === 'cpu' && state.placement.reason ? ` (${state.placement.reason})` : ''}
            </p>
          ) : null}
          {state.text ? <ModelWrote text={state.text} /> : null}
        </>
      );
    case 'cancelled':
      return (
        <div data-testid="panel-cancelled">
          <p>Review cancelled. What the model wrote so far is kept below.</p>
          <ModelWrote text={state.text} open />
          <button type="button" class="lpr-btn lpr-btn-primary" data-testid="review-start" onClick={props.onStart}>
            Review again
          </button>
        </div>
      );
    case 'error':
      return (
        <div data-testid="panel-error" role="alert">
          <div class="lpr-flash lpr-flash-danger">
            <p class="lpr-error-text" data-testid="error-message" tabIndex={-1} data-focus-target="true">
              {state.failure.message}
            </p>
            {state.failure.nextStep ? (
              <p class="lpr-next-step" data-testid="error-next-step">
                {state.failure.nextStep}
              </p>
            ) : null}
          </div>
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
          {state.text ? <ModelWrote text={state.text} /> : null}
        </div>
      );
  }
}

function DownloadingView(props: PanelProps) {
  const state = props.state;
  if (state.phase !== 'loading') return null;
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
      <CancelButton {...props} />
    </div>
  );
}

function LoadingView(props: PanelProps) {
  const state = props.state;
  if (state.phase !== 'loading') return null;
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
      <CancelButton {...props} />
    </div>
  );
}

function DoneFooter(props: PanelProps) {
  const status = props.actionStatus;
  return (
    <footer class="lpr-footer">
      <div class="lpr-actions lpr-footer-actions">
        <button type="button" class="lpr-btn lpr-btn-sm" data-testid="copy-markdown" onClick={props.onCopyMarkdown}>
          Copy as Markdown
        </button>
        <button type="button" class="lpr-btn lpr-btn-sm" data-testid="insert-comment" onClick={props.onInsertComment}>
          Insert into comment
        </button>
        <button type="button" class="lpr-btn lpr-btn-sm" data-testid="review-start" onClick={props.onStart}>
          Re-run
        </button>
      </div>
      {status ? (
        <p class={`lpr-action-status lpr-action-${status.tone}`} data-testid="action-status">
          {status.message}
          {status.offerCopy ? (
            <>
              {' '}
              <button type="button" class="lpr-link-inline" data-testid="insert-copy-instead" onClick={props.onCopyMarkdown}>
                Copy it instead
              </button>
            </>
          ) : null}
        </p>
      ) : null}
    </footer>
  );
}

function CancelButton(props: PanelProps) {
  if (!isBusy(props.state)) return null;
  return (
    <div class="lpr-actions">
      <button type="button" class="lpr-btn lpr-btn-danger" data-testid="review-cancel" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** Where the model runs, as the engine read it back: "GPU · llama.cpp" or "CPU" (the reason on hover). */
function PlacementNote({ placement }: { placement: EnginePlacement }) {
  return (
    <span data-testid="engine-placement" title={placement.reason}>
      {' · '}
      {placement.label}
    </span>
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
      <div class="lpr-progress-bar" style={pct === undefined ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
