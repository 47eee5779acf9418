/**
 * "Insert into comment": puts the review into GitHub's own comment box and focuses it. It never
 * submits: the user reads, edits and posts it themselves.
 */
import { commentBox } from '../github/selectors';

export type InsertResult = { ok: true; appended: boolean } | { ok: false; reason: string };

function usable(area: HTMLTextAreaElement): boolean {
  // A hidden box (a collapsed reply form) is not the one the user means.
  const shown = typeof area.getClientRects !== 'function' || area.getClientRects().length > 0;
  return !area.disabled && !area.readOnly && shown;
}

/** The `value` setter of the element's own prototype chain (React tracks the instance's). */
function valueSetter(area: HTMLTextAreaElement): ((this: HTMLTextAreaElement, v: string) => void) | undefined {
  for (let proto = Object.getPrototypeOf(area) as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
    if (setter) return setter as (this: HTMLTextAreaElement, v: string) => void;
  }
  return undefined;
}

export function findCommentBox(doc: Document): HTMLTextAreaElement | null {
  for (const selector of commentBox) {
    const found = [...doc.querySelectorAll<HTMLTextAreaElement>(selector)].find(usable);
    if (found) return found;
  }
  return null;
}

export function insertIntoComment(doc: Document, markdown: string): InsertResult {
  const area = findCommentBox(doc);
  if (!area) {
    return {
      ok: false,
      reason: 'There is no comment box on this page. Open the Conversation tab and insert it there.',
    };
  }
  const existing = area.value;
  const appended = existing.trim() !== '';
  const value = appended ? `${existing.replace(/\s+$/, '')}\n\n${markdown}` : markdown;
  // Set through the prototype's setter so React-controlled boxes notice the change on `input`.
  const setter = valueSetter(area);
  if (setter) setter.call(area, value);
  else area.value = value;
  const EventType = doc.defaultView?.Event ?? Event;
  area.dispatchEvent(new EventType('input', { bubbles: true }));
  area.dispatchEvent(new EventType('change', { bubbles: true }));
  area.focus();
  area.scrollIntoView?.({ block: 'center' });
  return { ok: true, appended };
}
