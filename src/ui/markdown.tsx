/**
 * Renders untrusted model Markdown as Preact elements, never as HTML.
 *
 * Model output is attacker-influenced (a PR can carry a prompt injection), and the panel lives on
 * github.com, so this module only ever builds elements from a fixed list and puts text in text
 * nodes. marked is used for its lexer only (src/markdown/lexer.ts); its HTML renderer is never called.
 * Raw HTML shows as literal text, links survive only with an http(s) destination, and images
 * become links.
 *
 * The lexer is provided through MarkdownLexerContext rather than imported: on github.com the
 * content script asks the background to lex (marked is most of a 40 KB budget), while extension
 * pages and tests lex in place. Until tokens arrive the text shows as plain text.
 */
import type { MarkdownToken } from '../markdown/tokens';
import { createContext, type ComponentChildren, type CSSProperties, type VNode } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { decodeEntities } from './markdown-entities';
import { revealInvisible } from './invisible-chars';
import { childTokens, isTrue, numberField, recordsField, rowsField, stringField } from './markdown-fields';

/** Deeper nesting than this renders as plain text (keeps recursion bounded on hostile input). */
const MAX_DEPTH = 24;
const LANG = /^[\w+#.-]{1,32}$/;

export interface MarkdownProps {
  source: string;
  /** Added to heading levels, so a model's `#` can sit below the panel's own headings. */
  headingOffset?: number;
  class?: string;
}

export interface StreamingMarkdownProps extends MarkdownProps {
  /** False while text is still arriving: marks the region busy for assistive technology. */
  done: boolean;
}

/**
 * The destination as an absolute http(s) URL, or null when it is anything else.
 * The WHATWG parser is the one browsers use, so it sees through case, leading spaces, tabs inside
 * the scheme and the like exactly as a click would.
 */
export function safeHref(raw: string, alreadyLiteral = false): string | null {
  const decoded = alreadyLiteral ? raw : decodeEntities(raw);
  let url: URL;
  try {
    url = new URL(decoded.trim());
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

interface Ctx {
  headingOffset: number;
}

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const;

function text(value: string): string {
  return decodeEntities(value);
}

/** A field the token's type always has; without it the token is not what its type says (rendered as source). */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new TypeError(what);
  return value;
}

function renderInline(tokens: readonly MarkdownToken[] | undefined, ctx: Ctx, depth: number): ComponentChildren[] {
  if (!tokens) return [];
  return tokens.map((token, i) => renderToken(token, ctx, depth, i));
}

function renderLink(token: MarkdownToken, ctx: Ctx, depth: number, key: number): VNode | string {
  const href = safeHref(required(stringField(token, 'href'), 'href'), isTrue(token, 'autolink'));
  const children = renderInline(childTokens(token), ctx, depth + 1);
  if (href === null) return <span key={key}>{children}</span>;
  const rawTitle = stringField(token, 'title');
  const title = rawTitle ? text(rawTitle) : undefined;
  return (
    <a key={key} href={href} title={title} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

function renderImage(token: MarkdownToken, key: number): VNode | string {
  // An <img> would load a URL chosen by the model the moment the panel renders (a tracking pixel
  // at best); a link waits for the user to choose.
  const href = safeHref(required(stringField(token, 'href'), 'href'));
  const alt = text(required(token.text, 'text'));
  if (href === null) return alt;
  return (
    <a key={key} class="lpr-md-image-link" href={href} target="_blank" rel="noopener noreferrer">
      {alt || href}
    </a>
  );
}

function align(cell: object): CSSProperties | undefined {
  const a = stringField(cell, 'align');
  return a === 'left' || a === 'right' || a === 'center' ? { textAlign: a } : undefined;
}

function renderTable(token: MarkdownToken, ctx: Ctx, depth: number, key: number): VNode {
  const header = required(recordsField(token, 'header'), 'header');
  const rows = required(rowsField(token), 'rows');
  return (
    <div key={key} class="lpr-md-table-wrap">
      <table>
        <thead>
          <tr>
            {header.map((cell, i) => (
              <th key={i} style={align(cell)}>
                {renderInline(childTokens(cell), ctx, depth + 1)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => (
                <td key={i} style={align(cell)}>
                  {renderInline(childTokens(cell), ctx, depth + 1)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function renderList(token: MarkdownToken, ctx: Ctx, depth: number, key: number): VNode {
  const items = required(recordsField(token, 'items'), 'items').map((item, i) => (
    <li key={i}>
      {isTrue(item, 'task') ? <input type="checkbox" disabled checked={isTrue(item, 'checked')} /> : null}
      {renderInline(required(childTokens(item), 'item tokens').filter((t) => t.type !== 'checkbox'), ctx, depth + 1)}
    </li>
  ));
  if (!isTrue(token, 'ordered')) return <ul key={key}>{items}</ul>;
  const first = numberField(token, 'start');
  const start = first !== undefined && first !== 1 ? first : undefined;
  return (
    <ol key={key} start={start}>
      {items}
    </ol>
  );
}

function renderCode(token: MarkdownToken, key: number): VNode {
  const rawLang = stringField(token, 'lang');
  const lang = rawLang && LANG.test(rawLang) ? rawLang : undefined;
  return (
    <pre key={key} class="lpr-md-code">
      <code data-lang={lang}>{revealInvisible(required(token.text, 'text'))}</code>
    </pre>
  );
}

function renderToken(token: MarkdownToken, ctx: Ctx, depth: number, key: number): ComponentChildren {
  if (depth > MAX_DEPTH) return token.raw;
  const inner = () => renderInline(childTokens(token), ctx, depth + 1);
  switch (token.type) {
    case 'paragraph':
      return <p key={key}>{inner()}</p>;
    case 'heading': {
      const level = Math.min(6, Math.max(1, required(numberField(token, 'depth'), 'depth') + ctx.headingOffset));
      const Tag = HEADINGS[level - 1] ?? 'h6';
      return <Tag key={key}>{inner()}</Tag>;
    }
    case 'list':
      return renderList(token, ctx, depth, key);
    case 'list_item':
      return <li key={key}>{inner()}</li>;
    case 'code':
      return renderCode(token, key);
    case 'codespan':
      return <code key={key}>{revealInvisible(required(token.text, 'text'))}</code>;
    case 'strong':
      return <strong key={key}>{inner()}</strong>;
    case 'em':
      return <em key={key}>{inner()}</em>;
    case 'del':
      return <del key={key}>{inner()}</del>;
    case 'link':
      return renderLink(token, ctx, depth, key);
    case 'image':
      return renderImage(token, key);
    case 'table':
      return renderTable(token, ctx, depth, key);
    case 'blockquote':
      return <blockquote key={key}>{renderBlocks(required(childTokens(token), 'tokens'), ctx, depth + 1)}</blockquote>;
    case 'hr':
      return <hr key={key} />;
    case 'br':
      return <br key={key} />;
    case 'escape':
      return token.text;
    case 'text': {
      // In tight list items marked wraps the inline tokens in a text token.
      const children = childTokens(token);
      return children && children.length > 0 ? renderInline(children, ctx, depth + 1) : text(required(token.text, 'text'));
    }
    case 'html':
      // Shown exactly as the model wrote it; a text node cannot become markup.
      return isTrue(token, 'block') ? <p key={key}>{token.raw}</p> : token.raw;
    case 'space':
    case 'def':
    case 'checkbox':
      return null;
    default:
      // Tokens from extensions or future marked versions: their text, never their markup.
      return typeof token.text === 'string' ? token.text : token.raw;
  }
}

function renderBlocks(tokens: readonly MarkdownToken[], ctx: Ctx, depth: number): ComponentChildren[] {
  return tokens.map((token, i) => renderToken(token, ctx, depth, i));
}

/** Turns Markdown source into tokens; null when it cannot. */
export type MarkdownLexer = (source: string) => MarkdownToken[] | null | Promise<MarkdownToken[] | null>;

export const MarkdownLexerContext = createContext<MarkdownLexer | null>(null);

/**
 * The Markdown as Preact children, from tokens a lexer produced. Never throws: tokens that cannot
 * be rendered come back as one preformatted text block.
 */
export function renderTokens(tokens: readonly MarkdownToken[] | null, source: string, options: { headingOffset?: number } = {}): ComponentChildren {
  if (tokens === null) return <pre class="lpr-md-code">{source}</pre>;
  const ctx: Ctx = { headingOffset: Math.trunc(options.headingOffset ?? 0) };
  try {
    return renderBlocks(tokens, ctx, 0);
  } catch {
    return <pre class="lpr-md-code">{source}</pre>;
  }
}

const PLAIN: CSSProperties = { whiteSpace: 'pre-wrap', margin: 0 };

/** Tokens for `source` from the context's lexer; 'pending' while an asynchronous lexer works. */
function useTokens(source: string): MarkdownToken[] | null | 'pending' {
  const lexer = useContext(MarkdownLexerContext);
  const result = useMemo(() => (lexer ? lexer(source) : 'pending'), [lexer, source]);
  const [settled, setSettled] = useState<{ from: unknown; tokens: MarkdownToken[] | null } | null>(null);
  useEffect(() => {
    if (!(result instanceof Promise)) return undefined;
    let live = true;
    result.then(
      (tokens) => live && setSettled({ from: result, tokens }),
      () => live && setSettled({ from: result, tokens: null }),
    );
    return () => {
      live = false;
    };
  }, [result]);
  if (!(result instanceof Promise)) return result;
  return settled?.from === result ? settled.tokens : 'pending';
}

function useRendered(source: string, headingOffset: number | undefined): ComponentChildren {
  const input = typeof source === 'string' ? source : '';
  const tokens = useTokens(input);
  return useMemo(
    () => (tokens === 'pending' ? <p style={PLAIN}>{input}</p> : renderTokens(tokens, input, { headingOffset })),
    [tokens, input, headingOffset],
  );
}

export function Markdown({ source, headingOffset, class: className }: MarkdownProps): VNode {
  const children = useRendered(source, headingOffset);
  return <div class={className ? `lpr-md ${className}` : 'lpr-md'}>{children}</div>;
}

/**
 * For text that is still arriving: re-rendered from the whole text on every update (lexing a few
 * kilobytes is far cheaper than the model producing them). An unclosed code fence simply shows as
 * a code block until it closes.
 */
export function StreamingMarkdown({ source, done, headingOffset, class: className }: StreamingMarkdownProps): VNode {
  const children = useRendered(source, headingOffset);
  const classes = ['lpr-md', done ? '' : 'lpr-md-streaming', className ?? ''].filter(Boolean).join(' ');
  return (
    <div class={classes} aria-busy={done ? undefined : 'true'}>
      {children}
    </div>
  );
}
