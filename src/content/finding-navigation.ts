/**
 * "Jump to finding": scroll the diff to the finding's file and line, in either layout.
 */
import type { Finding } from '../review/review-types';
import { findLineElement } from '../github/line-locator';

export function scrollToFinding(doc: Document, finding: Finding): boolean {
  const target = findLineElement(doc, finding.file, finding.line);
  if (!target) return false;
  target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  target.setAttribute('data-lpr-flash', 'true');
  setTimeout(() => target.removeAttribute('data-lpr-flash'), 1500);
  return true;
}
