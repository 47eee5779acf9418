/**
 * Where the Review button goes: the PR (or commit) header's action area, in either layout.
 *
 * GitHub sometimes keeps a slot in the DOM but hides it (the React Conversation tab of 2026 puts
 * `d-none` on `[data-component="PH_Actions"]`), so a match is not enough: the slot must have a
 * rendered box. When no slot is shown, the caller floats the button instead.
 */
import { reviewButtonAnchors } from '../github/selectors';

/** Rendered: it (and so each of its ancestors) takes up space on the page. */
export function isRendered(el: Element): boolean {
  // `checkVisibility` is false for display:none on the element or an ancestor, and for
  // content-visibility:hidden; a box of zero width and height holds nothing a user can see.
  if (typeof el.checkVisibility === 'function' && !el.checkVisibility()) return false;
  return el.getClientRects().length > 0;
}

export function findButtonAnchor(doc: Document): HTMLElement | null {
  for (const selector of reviewButtonAnchors) {
    for (const el of doc.querySelectorAll<HTMLElement>(selector)) {
      if (isRendered(el)) return el;
    }
  }
  return null;
}
