/**
 * The model's raw text. A fast model streams a megabyte; laying all of it out on every update
 * would freeze GitHub's tab, so the live box holds only the tail a reader can see (anchored to
 * the bottom by CSS, with no script measuring or scrolling), and the full text is laid out only
 * when someone opens "What the model wrote".
 */
import { FULL_CHARS, tailOf } from './text-tail';

/** Live: the last lines the model wrote, newest at the bottom. */
export function StreamTail({ text }: { text: string }) {
  return (
    <div class="lpr-stream lpr-stream-live" aria-label="What the model is writing">
      <pre class="lpr-stream-text" data-testid="stream-text">
        {tailOf(text)}
      </pre>
    </div>
  );
}

/**
 * Collapsed by default. A closed <details> lays nothing out, so holding the text there is cheap;
 * the layout cost is paid once, when the reader opens it.
 */
export function ModelWrote({ text, tail, open = false }: { text: string; /** Live: the end of the text, drawn instead of it. */ tail?: string; open?: boolean }) {
  const live = tail !== undefined;
  const kb = Math.round(text.length / 1000);
  return (
    <details class="lpr-section lpr-model-wrote" data-testid="model-wrote" data-chars={text.length} open={open}>
      <summary class="lpr-small">What the model wrote{kb >= 1 ? ` (${kb} KB)` : ''}</summary>
      {live ? (
        <StreamTail text={tail} />
      ) : (
        <div class="lpr-stream" aria-label="What the model wrote">
          {text.length > FULL_CHARS ? <p class="lpr-small lpr-muted">The last {Math.round(FULL_CHARS / 1000)} KB of {kb} KB.</p> : null}
          <pre class="lpr-stream-text" data-testid="stream-text">
            {tailOf(text, FULL_CHARS)}
          </pre>
        </div>
      )}
    </details>
  );
}
