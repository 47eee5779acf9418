/**
 * The model's raw text. A fast model streams a megabyte; laying all of it out on every update
 * would freeze GitHub's tab, so the live box holds only the tail a reader can see (anchored to
 * the bottom by CSS, with no script measuring or scrolling), and the full text is laid out only
 * when someone opens "What the model wrote".
 */
/** The live box shows about this many characters: well over what fits in its 240 px. */
export const TAIL_CHARS = 2000;
/** Opened after the review, the box shows at most this much (the end, where the answer stops). */
export const FULL_CHARS = 200_000;

/** The end of `text`, starting at a line break when there is one near the cut. */
export function tailOf(text: string, max = TAIL_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.length - max;
  const lineStart = text.indexOf('\n', cut);
  return lineStart >= 0 && lineStart - cut < 200 ? text.slice(lineStart + 1) : text.slice(cut);
}

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
export function ModelWrote({ text, live = false, open = false }: { text: string; live?: boolean; open?: boolean }) {
  const shown = tailOf(text, FULL_CHARS);
  const kb = Math.round(text.length / 1000);
  return (
    <details class="lpr-section lpr-model-wrote" data-testid="model-wrote" data-chars={text.length} open={open}>
      <summary class="lpr-small">What the model wrote{kb >= 1 ? ` (${kb} KB)` : ''}</summary>
      {live ? (
        <StreamTail text={text} />
      ) : (
        <div class="lpr-stream" aria-label="What the model wrote">
          {text.length > FULL_CHARS ? <p class="lpr-small lpr-muted">The last {Math.round(FULL_CHARS / 1000)} KB of {kb} KB.</p> : null}
          <pre class="lpr-stream-text" data-testid="stream-text">
            {shown}
          </pre>
        </div>
      )}
    </details>
  );
}
