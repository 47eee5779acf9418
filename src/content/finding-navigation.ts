/**
 * "Jump to finding": scroll the diff to the finding's file and line, in either layout. A folded
 * file is unfolded and a "Load diff" file is loaded first (GitHub renders the rows a moment
 * later, so this waits for them); when the line is not on the page the caller hears why.
 */
import type { Finding } from '../model/review';
import { findFileContainer, findLineElement } from '../github/line-locator';
import { anyOf, collapsedFileToggle, loadDiffButton, react } from '../github/selectors';

export type RevealResult =
  | { ok: true; how: 'shown' | 'expanded' }
  /** The file is not on this page: the browser goes to it in the Files tab. */
  | { ok: true; how: 'opening'; url: string }
  | { ok: false; reason: string };

/** GitHub's anchor of a file in a PR's diff: `diff-` and the SHA-256 of its path, in hex. */
export async function fileAnchor(path: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(path));
  return `diff-${[...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The Files tab of the PR on `href`, at a file's anchor: the same tab when already on it
 * (classic `/files` or React `/changes`, a commit or range included), else `/files` (GitHub
 * sends signed-in users on to `/changes`). Null off a PR.
 */
export function filesTabUrl(href: string, anchor: string): string | null {
  const url = new URL(href);
  const m = /^\/([^/]+)\/([^/]+)\/pull\/(\d+)(\/(?:files|changes)(?:\/[^/]+)?)?/.exec(url.pathname);
  if (!m) return null;
  return `${url.origin}/${m[1]}/${m[2]}/pull/${m[3]}${m[4] ?? '/files'}${m[4] ? url.search : ''}#${anchor}`;
}

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
  if (!container) {
    // Not rendered here (another tab, a file GitHub did not load, one completed from the .diff):
    // open it in the Files tab by GitHub's own anchor; the marker follows once the file renders.
    const view = doc.defaultView;
    const url = view ? filesTabUrl(view.location.href, await fileAnchor(finding.file)) : null;
    if (!view || !url) return { ok: false, reason: `${finding.file} is not on this page.` };
    view.location.assign(url);
    return { ok: true, how: 'opening', url };
  }
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
