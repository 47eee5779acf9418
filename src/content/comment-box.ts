/**
 * "Insert into comment": puts the review into GitHub's own comment box and focuses it. It never
 * submits: the user reads, edits and posts it themselves.
 */
import { commentBox } from '../github/selectors';

export type InsertResult = { ok: true; appended: boolean } | { ok: false; reason: string };

function usable(area: HTMLTextAreaElement): boolean {
  return !area.disabled && !area.readOnly && area.getClientRects().length > 0;
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
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
  if (setter) setter.call(area, value);
  else area.value = value;
  area.dispatchEvent(new Event('input', { bubbles: true }));
  area.dispatchEvent(new Event('change', { bubbles: true }));
  area.focus();
  area.scrollIntoView({ block: 'center' });
  return { ok: true, appended };
}
