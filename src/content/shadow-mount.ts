/**
 * Our UI lives in open shadow roots: GitHub's CSS cannot reach in and ours cannot leak out.
 * (Open, not closed, so assistive technology and tests can see inside.)
 */

export const HOST_ATTRIBUTE = 'data-local-pr-review';

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
  const shadow = host.attachShadow({ mode: 'open' });
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
