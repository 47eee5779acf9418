/**
 * The model's raw text. A fast model streams a megabyte; laying all of it out on every update
 * would freeze GitHub's tab, so the live box holds only the tail a reader can see (anchored to
 * the bottom by CSS, with no script measuring or scrolling), and the full text is laid out only
 * when someone opens "What the model wrote".
 */
import { useState } from 'preact/hooks';
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
 * Collapsed by default. Live, it holds the short tail (a closed <details> lays nothing out);
 * afterwards the whole text (up to FULL_CHARS) is put in only once the reader opens it, so the
 * end of a long review does not pay for a megabyte of text nobody asked to see.
 */
export function ModelWrote({ text, tail, open = false }: { text: string; /** Live: the end of the text, drawn instead of it. */ tail?: string; open?: boolean }) {
  const live = tail !== undefined;
  const [opened, setOpened] = useState(open);
  const kb = Math.round(text.length / 1000);
  return (
    <details class="lpr-section lpr-model-wrote" data-testid="model-wrote" data-chars={text.length} open={open} onToggle={(e) => setOpened(e.currentTarget.open)}>
      <summary class="lpr-small">What the model wrote{kb >= 1 ? ` (${kb} KB)` : ''}</summary>
      {live ? (
        <StreamTail text={tail} />
      ) : (
        <div class="lpr-stream" aria-label="What the model wrote">
          {opened && text.length > FULL_CHARS ? <p class="lpr-small lpr-muted">The last {Math.round(FULL_CHARS / 1000)} KB of {kb} KB.</p> : null}
          <pre class="lpr-stream-text" data-testid="stream-text">
            {opened ? tailOf(text, FULL_CHARS) : ''}
          </pre>
        </div>
      )}
    </details>
  );
}
