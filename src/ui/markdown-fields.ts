/**
 * Reads the per-type fields of a lexed Markdown token (a heading's depth, a link's href, a list's
 * items…), checking each: tokens come from another context (the background lexes for the content
 * script), so a field of the wrong type reads as absent instead of being trusted.
 */
import type { MarkdownToken } from '../markdown/tokens';
import { isRecord } from '../shared/guards';

export function isToken(value: unknown): value is MarkdownToken {
  return isRecord(value) && typeof value.type === 'string' && typeof value.raw === 'string';
}

function field(token: object, name: string): unknown {
  return isRecord(token) ? token[name] : undefined;
}

export function stringField(token: object, name: string): string | undefined {
  const value = field(token, name);
  return typeof value === 'string' ? value : undefined;
}

export function numberField(token: object, name: string): number | undefined {
  const value = field(token, name);
  return typeof value === 'number' ? value : undefined;
}

export function isTrue(token: object, name: string): boolean {
  return field(token, name) === true;
}

/** A list of tokens (a token's own `tokens`, a list item's, a table cell's); absent when not one. */
export function tokenList(value: unknown): MarkdownToken[] | undefined {
  return Array.isArray(value) && value.every(isToken) ? value : undefined;
}

export function childTokens(token: object): MarkdownToken[] | undefined {
  return tokenList(field(token, 'tokens'));
}

/** A list of objects (list items, table cells); absent when not one. */
export function objectList(value: unknown): Array<Record<string, unknown>> | undefined {
  return Array.isArray(value) && value.every(isRecord) ? value : undefined;
}

export function objectListField(token: object, name: string): Array<Record<string, unknown>> | undefined {
  return objectList(field(token, name));
}

/** Table rows: a list of lists of cells. */
export function rowsField(token: object): Array<Array<Record<string, unknown>>> | undefined {
  const rows = field(token, 'rows');
  if (!Array.isArray(rows)) return undefined;
  const out: Array<Array<Record<string, unknown>>> = [];
  for (const row of rows) {
    const cells = objectList(row);
    if (!cells) return undefined;
    out.push(cells);
  }
  return out;
}
