/**
 * Markdown source → marked's tokens. The only importer of `marked`, and only its lexer is used:
 * its HTML renderer never runs (src/ui/markdown.tsx renders tokens as Preact elements).
 * Extension pages lex in place; the content script asks the background (`markdown/lex`).
 */
import { marked } from 'marked';
import type { MarkdownToken } from './tokens';

export function lexMarkdown(source: string): MarkdownToken[] | null {
  try {
    // JSON round trip: the tokens cross a message boundary, so they must be plain data.
    const tokens: MarkdownToken[] = marked.lexer(typeof source === 'string' ? source : '', { gfm: true, breaks: false });
    const plain: MarkdownToken[] = JSON.parse(JSON.stringify(tokens));
    return plain;
  } catch {
    return null;
  }
}
