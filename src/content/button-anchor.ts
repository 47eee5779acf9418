/** Where the Review button goes: the PR (or commit) header's action area, in either layout. */
import { reviewButtonAnchors } from '../github/selectors';

export function findButtonAnchor(doc: Document): HTMLElement | null {
  for (const selector of reviewButtonAnchors) {
    const el = doc.querySelector<HTMLElement>(selector);
    if (el) return el;
  }
  return null;
}
