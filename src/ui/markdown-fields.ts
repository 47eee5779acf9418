/**
 * Reads the per-type fields of a lexed Markdown token (a heading's depth, a link's href, a list's
 * items…), checking each: tokens come from another context (the background lexes for the content
 * script), so a field of the wrong type reads as absent instead of being trusted. Kept small: it
 * is part of the content script (40 KB budget).
 */
import type { MarkdownToken } from '../markdown/tokens';
import { isRecord } from '../shared/guards';

type Fields = Record<string, unknown>;

const isToken = (value: unknown): value is MarkdownToken => isRecord(value) && typeof value.type === 'string' && typeof value.raw === 'string';

const get = (token: object, name: string): unknown => (isRecord(token) ? token[name] : undefined);

export function stringField(token: object, name: string): string | undefined {
  const value = get(token, name);
  return typeof value === 'string' ? value : undefined;
}

export function numberField(token: object, name: string): number | undefined {
  const value = get(token, name);
  return typeof value === 'number' ? value : undefined;
}

export const isTrue = (token: object, name: string): boolean => get(token, name) === true;

/** A token's own `tokens` (also a list item's or a table cell's); absent when not a list of tokens. */
export function childTokens(token: object): MarkdownToken[] | undefined {
  const value = get(token, 'tokens');
  return Array.isArray(value) && value.every(isToken) ? value : undefined;
}

/** A list of objects (list items, table cells, a table row); absent when not one. */
export function records(value: unknown): Fields[] | undefined {
  return Array.isArray(value) && value.every(isRecord) ? value : undefined;
}

export const recordsField = (token: object, name: string): Fields[] | undefined => records(get(token, name));

/** Table rows: lists of cells. */
export function rowsField(token: object): Fields[][] | undefined {
  const rows = get(token, 'rows');
  const out = Array.isArray(rows) ? rows.map(records) : undefined;
  return out?.every((row) => row !== undefined) ? out.filter((row) => row !== undefined) : undefined;
}
