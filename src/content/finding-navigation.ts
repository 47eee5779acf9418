/**
 * "Jump to finding": scroll the diff to the finding's file and line, in either layout. A folded
 * file is unfolded and a "Load diff" file is loaded first (GitHub renders the rows a moment
 * later, so this waits for them); when the line is not on the page the caller hears why.
 */
import type { Finding } from '../review/review-types';
import { findFileContainer, findLineElement } from '../github/line-locator';
import { anyOf, collapsedFileToggle, loadDiffButton, react } from '../github/selectors';

export type RevealResult =
  | { ok: true; how: 'shown' | 'expanded' }
  | { ok: false; reason: string };

const WAIT_MS = 5000;

function visible(el: Element): boolean {
  return el.getClientRects().length > 0;
}

function show(target: HTMLElement, reduceMotion: boolean): void {
  target.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' });
  target.setAttribute('data-lpr-flash', 'true');
  setTimeout(() => target.removeAttribute('data-lpr-flash'), 1500);
}

/** The control that makes a file's rows appear: an unfold chevron or a "Load diff" button. */
function revealControl(container: HTMLElement): HTMLElement | null {
  const direct = container.querySelector<HTMLElement>(anyOf([...collapsedFileToggle, ...loadDiffButton]));
  if (direct) return direct;
  // React placeholders are plain buttons labelled "Load Diff".
  const wanted = react.placeholderText.loadDiff.map((t) => t.toLowerCase());
  return [...container.querySelectorAll<HTMLElement>('button')].find((b) => wanted.includes((b.textContent ?? '').trim().toLowerCase())) ?? null;
}

function waitForLine(doc: Document, finding: Finding): Promise<HTMLElement | null> {
  return new Promise((resolve) => {
    const found = () => {
      const row = findLineElement(doc, finding.file, finding.line);
      return row && visible(row) ? row : null;
    };
    const view = doc.defaultView;
    if (!view) return resolve(null);
    const started = Date.now();
    const tick = () => {
      const row = found();
      if (row) return resolve(row);
      if (Date.now() - started > WAIT_MS) return resolve(null);
      view.setTimeout(tick, 100);
    };
    tick();
  });
}

export async function revealFinding(doc: Document, finding: Finding): Promise<RevealResult> {
  const reduceMotion = doc.defaultView?.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  const row = findLineElement(doc, finding.file, finding.line);
  if (row && visible(row)) {
    show(row, reduceMotion);
    return { ok: true, how: 'shown' };
  }
  const container = findFileContainer(doc, finding.file);
  if (!container) return { ok: false, reason: `${finding.file} is not on this page. Open the "Files changed" tab, or scroll down so GitHub loads it.` };
  const control = revealControl(container);
  if (control) {
    control.click();
    const appeared = await waitForLine(doc, finding);
    if (appeared) {
      show(appeared, reduceMotion);
      return { ok: true, how: 'expanded' };
    }
  }
  show(container, reduceMotion);
  return { ok: false, reason: `Line ${finding.line} of ${finding.file} is not shown on the page (it may be outside the loaded part of the diff).` };
}
