/**
 * A saved GitHub page for unit tests of the content script, in linkedom. linkedom has no layout,
 * no animation frames and no location; they are filled in here the way a browser behaves for
 * these tests: every connected element outside `hidden` / `.d-none` has a box, a frame comes
 * after a macrotask, and `location` is the URL the test navigates to. The review panel's shadow
 * roots are open, as in the e2e build, so tests read what the user sees.
 */
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { vi } from 'vitest';

export const FIXTURES = new URL('../../../e2e/fixtures/github/', import.meta.url);

export interface TestPage {
  window: Window & typeof globalThis;
  document: Document;
  /** What `location.assign` was asked to open. */
  assigned: string[];
  /** What was copied to the clipboard (the browser's clipboard cannot run here). */
  clipboard: string[];
  /** A soft navigation (GitHub's Turbo) to another URL. */
  navigate(url: string): void;
}

/**
 * linkedom has no layout: an element has a box unless it, or an ancestor, is hidden, and
 * scrolling it into view records that it was asked (`data-scrolled-into-view`).
 */
function installLayout(window: Window & typeof globalThis): void {
  const proto = window.Element.prototype;
  if (typeof proto.getClientRects === 'function') return;
  Object.defineProperty(proto, 'getClientRects', {
    configurable: true,
    value(this: Element) {
      return this.isConnected && !this.closest('[hidden], .d-none') ? [{ width: 10, height: 10 }] : [];
    },
  });
  Object.defineProperty(proto, 'scrollIntoView', {
    configurable: true,
    value(this: Element) {
      this.setAttribute('data-scrolled-into-view', 'true');
    },
  });
}

export function githubPage(source: string, url: string): TestPage {
  const html = source.startsWith('<') ? source : readFileSync(new URL(source, FIXTURES), 'utf8');
  const parsed: { window: unknown; document: unknown } = parseHTML(html);
  const window = parsed.window as Window & typeof globalThis;
  const document = parsed.document as Document;
  installLayout(window);
  let href = url;
  const assigned: string[] = [];
  const clipboard: string[] = [];
  Object.assign(window, {
    location: {
      get href() {
        return href;
      },
      assign: (next: string) => void assigned.push(next),
    },
    requestAnimationFrame: (callback: (time: number) => void) => setTimeout(() => callback(Date.now()), 0),
    cancelAnimationFrame: (id: ReturnType<typeof setTimeout>) => clearTimeout(id),
  });
  // linkedom's navigator has no clipboard: copying takes the fallback (a selected textarea and
  // the copy command), which lands here.
  let selected = '';
  Object.defineProperty(window.HTMLTextAreaElement.prototype, 'select', {
    configurable: true,
    value(this: HTMLTextAreaElement) {
      selected = this.value;
    },
  });
  Object.assign(document, { execCommand: (command: string) => command === 'copy' && clipboard.push(selected) > 0 });
  vi.stubGlobal('__E2E__', true);
  vi.stubGlobal('MutationObserver', window.MutationObserver);
  vi.stubGlobal('CSS', { escape: (value: string) => value.replace(/["\\]/g, '\\$&') });
  return {
    window,
    document,
    assigned,
    clipboard,
    navigate(next) {
      href = next;
      document.dispatchEvent(new window.Event('turbo:load'));
    },
  };
}

/** A click the browser would mark as the user's (our UI ignores clicks a page's script makes). */
export function press(element: Element | null | undefined): void {
  if (!element) throw new Error('nothing to press');
  const view = element.ownerDocument.defaultView;
  const event = new (view?.Event ?? Event)('click', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'isTrusted', { value: true });
  element.dispatchEvent(event);
}

/** Inside our shadow host of `role` (the panel, the button), or null when it is not on the page. */
export function ours(document: Document, role: 'panel' | 'button'): ShadowRoot | null {
  return document.querySelector(`[data-local-pr-review="${role}"]`)?.shadowRoot ?? null;
}

export function panelOf(document: Document): Element | null {
  return ours(document, 'panel')?.querySelector('[data-testid="review-panel"]') ?? null;
}

/**
 * Waits until `check` passes: generous, so a machine loaded by parallel work only makes the test
 * slower, never red.
 */
export function until<T>(check: () => T): Promise<T> {
  return vi.waitFor(check, { timeout: 10_000, interval: 10 });
}

/** Lets the fake extension's answers, timers and frames run. */
export function settle(ms = 5): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
