/**
 * Markdown source → marked's tokens. The only importer of `marked`, and only its lexer is used:
 * its HTML renderer never runs (src/ui/markdown.tsx renders tokens as Preact elements).
 * Extension pages lex in place; the content script asks the background (`markdown/lex`).
 */
import { marked, type Token } from 'marked';

export function lexMarkdown(source: string): Token[] | null {
  try {
    // JSON round trip: the tokens cross a message boundary, so they must be plain data.
    return JSON.parse(JSON.stringify(marked.lexer(typeof source === 'string' ? source : '', { gfm: true, breaks: false }))) as Token[];
  } catch {
    return null;
  }
}
