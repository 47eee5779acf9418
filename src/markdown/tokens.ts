/**
 * Lexed Markdown as it crosses a message boundary (the content script asks the background to lex):
 * our own shape, so the protocol does not depend on the Markdown library's types. Every token has
 * a `type` and its `raw` source; the renderer (src/ui/markdown.tsx) reads the rest per type and
 * shows the raw text of any type it does not know.
 */
export interface MarkdownToken {
  type: string;
  raw: string;
  text?: string;
  tokens?: MarkdownToken[];
}
