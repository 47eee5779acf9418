/** The end of the model's text, for drawing (see stream-text.tsx). Pure. */

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

