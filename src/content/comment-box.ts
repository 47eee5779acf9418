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

/**
 * Sets the box's value through the `value` setter of its prototype chain: React tracks the
 * instance's own property, so only a change made below it is noticed on `input`.
 */
function setValue(area: HTMLTextAreaElement, value: string): void {
  for (let proto: unknown = Object.getPrototypeOf(area); typeof proto === 'object' && proto !== null; proto = Object.getPrototypeOf(proto)) {
    const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
    if (setter) return void setter.call(area, value);
  }
  area.value = value;
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
  setValue(area, value);
  const EventType = doc.defaultView?.Event ?? Event;
  area.dispatchEvent(new EventType('input', { bubbles: true }));
  area.dispatchEvent(new EventType('change', { bubbles: true }));
  area.focus();
  area.scrollIntoView?.({ block: 'center' });
  return { ok: true, appended };
}
