/**
 * Our UI lives in shadow roots: GitHub's CSS cannot reach in and ours cannot leak out.
 *
 * Closed in the builds users install, so a script of the page cannot read the review out of the
 * panel (`host.shadowRoot` is null for it). Open in the e2e build only: Playwright's locators
 * pierce open roots and nothing else, and the e2e specs find the panel's controls by test id.
 * Either way, events a script makes (`isTrusted === false`) never reach our controls, so a page
 * cannot start a review, a download or a re-run (docs/security.md).
 */

export const HOST_ATTRIBUTE = 'data-local-pr-review';

/** The mode of every shadow root we attach (see above). */
export function shadowMode(): ShadowRootMode {
  return __E2E__ ? 'open' : 'closed';
}

/** Events that can make our UI act; synthetic ones are stopped before they reach a control. */
const GUARDED_EVENTS = ['click', 'auxclick', 'dblclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'keydown', 'keyup', 'keypress', 'input', 'change', 'submit'];

/**
 * Stops script-made events at the shadow root, in the capture phase, so no handler inside runs
 * for them (Preact binds handlers on the elements themselves, below this listener).
 */
export function ignoreUntrustedEvents(root: ShadowRoot | HTMLElement): void {
  for (const type of GUARDED_EVENTS) {
    root.addEventListener(
      type,
      (event) => {
        if (event.isTrusted) return;
        event.stopImmediatePropagation();
        event.preventDefault();
      },
      { capture: true },
    );
  }
}

export interface ShadowMount {
  host: HTMLElement;
  /** Where Preact renders. */
  container: HTMLElement;
  remove(): void;
}

export function createShadowMount(doc: Document, role: 'panel' | 'button', css: string, tag = 'div'): ShadowMount {
  const host = doc.createElement(tag);
  host.setAttribute(HOST_ATTRIBUTE, role);
  // Inline layout only; everything visual is inside the shadow root.
  host.style.all = 'initial';
  if (role === 'button') host.style.display = 'inline-block';
  const shadow = host.attachShadow({ mode: shadowMode() });
  ignoreUntrustedEvents(shadow);
  const style = doc.createElement('style');
  style.textContent = css;
  shadow.append(style);
  const container = doc.createElement('div');
  container.className = 'lpr-root';
  shadow.append(container);
  return {
    host,
    container,
    remove: () => host.remove(),
  };
}
