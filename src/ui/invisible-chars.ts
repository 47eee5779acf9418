/**
 * Characters that change how text looks without showing themselves: bidirectional controls
 * (U+202E makes "title\u202Etxt.exe" read as "titleexe.txt") and zero-width characters (two file
 * paths that look the same but differ). In file paths and code, where one character matters,
 * the panel shows each as a visible marker such as ⟨U+202E⟩ instead. Prose from the model is
 * isolated with CSS (`unicode-bidi`, see src/ui/styles/panel.css.ts) so it cannot reorder what
 * sits around it.
 */

/** Bidi embeddings, overrides, isolates and marks; zero-width spaces, joiners, word joiner, BOM. */
const INVISIBLE = /[\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text);
}

/** The text with every invisible or reordering character replaced by a visible ⟨U+XXXX⟩. */
export function revealInvisible(text: string): string {
  return text.replace(INVISIBLE, (ch) => `⟨U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
