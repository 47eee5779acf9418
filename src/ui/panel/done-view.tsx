/** The finished review in the panel, with follow-up questions, and its footer of actions. */
import type { PanelState } from './panel-state';
import type { PanelProps } from './panel-props';
import { ReviewView } from './review-view';
import { ModelWrote } from './stream-text';
import { FollowUps } from './follow-up';

const NO_DISMISSALS: ReadonlySet<string> = new Set();

export function DoneView({ state, props }: { state: Extract<PanelState, { phase: 'done' }>; props: PanelProps }) {
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
}

export function DoneFooter(props: PanelProps) {
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
