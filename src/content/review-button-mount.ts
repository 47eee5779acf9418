/**
 * Keeps exactly one Local review button on a PR page: in the first header slot that is rendered,
 * else floating at the bottom right (stepping left of the open panel). It shows the review's busy
 * state and the page's theme, and is removed when the user leaves the PR (`signal`).
 */
import { h, render } from 'preact';
import { ReviewButton } from '../ui/panel/review-button';
import { BUTTON_CSS } from '../ui/panel/panel-css';
import { isBusy } from '../ui/panel/panel-state';
import { findButtonAnchor, isRendered } from './button-anchor';
import { createShadowMount, HOST_ATTRIBUTE, type ShadowMount } from './shadow-mount';
import type { PanelStore } from './panel-store';

export interface ReviewButtonMount {
  /** Puts the button in place (again, if GitHub removed or hid it). */
  ensure(): void;
  /** The button is on the page and shown (connected is not enough: GitHub may hide its slot). */
  inPlace(): boolean;
  focus(): void;
}

export function initReviewButton({ doc, store, onClick, signal }: { doc: Document; store: PanelStore; onClick: () => void; signal: AbortSignal }): ReviewButtonMount {
  let mount: ShadowMount | null = null;
  const floating = (m: ShadowMount) => m.host.getAttribute('data-floating') === 'true';

  function draw(): void {
    if (!mount) return;
    const model = store.get();
    if (floating(mount)) mount.host.style.right = model.open ? 'calc(min(420px, 100vw) + 24px)' : '24px';
    render(h(ReviewButton, { busy: isBusy(model.review), theme: model.theme, onClick }), mount.container);
  }

  function ensure(): void {
    const anchor = findButtonAnchor(doc);
    // Upgrade a floating button once the header shows up (React headers render late); move a
    // button whose slot GitHub hid.
    if (mount?.host.isConnected && (floating(mount) ? !anchor : isRendered(mount.host))) return;
    remove();
    // Never two: remove strays of an earlier instance of this script (an extension reload).
    for (const stray of doc.querySelectorAll(`[${HOST_ATTRIBUTE}="button"]`)) stray.remove();
    const next = createShadowMount(doc, 'button', BUTTON_CSS, 'span');
    next.host.setAttribute('data-floating', anchor ? 'false' : 'true');
    if (anchor) anchor.prepend(next.host);
    else {
      Object.assign(next.host.style, { position: 'fixed', right: '24px', bottom: '24px', zIndex: '99' });
      doc.body.append(next.host);
    }
    mount = next;
    draw();
  }

  function remove(): void {
    if (mount) render(null, mount.container);
    mount?.remove();
    mount = null;
  }

  store.subscribe((model, previous) => {
    if (model.open !== previous.open || model.theme !== previous.theme || isBusy(model.review) !== isBusy(previous.review)) draw();
  });
  signal.addEventListener('abort', remove);

  return {
    ensure,
    inPlace: () => !!mount && mount.host.isConnected && isRendered(mount.host),
    focus: () => mount?.container.querySelector<HTMLElement>('button')?.focus(),
  };
}
