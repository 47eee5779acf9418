/** Where the panel puts keyboard focus: on opening, on a marker's request, and when a review ends. */
import { useEffect } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { PanelState } from './panel-state';

function isShadowRoot(node: Node): node is ShadowRoot {
  return 'host' in node && 'activeElement' in node;
}

function isElement(target: EventTarget): target is Element {
  return 'closest' in target && 'tagName' in target;
}

/** The element an event came from, when it is one (a text node or the window is not). */
export function eventElement(target: EventTarget | null): Element | null {
  return target && isElement(target) ? target : null;
}

/** On opening, focus goes to the heading, or to the finding a marker asked for. */
export function useOpeningFocus(
  rootRef: RefObject<HTMLElement | null>,
  headingRef: RefObject<HTMLHeadingElement | null>,
  request: { id: string; nonce: number } | null | undefined,
): void {
  useEffect(() => {
    const card = request ? rootRef.current?.querySelector<HTMLElement>(`[data-finding-id="${CSS.escape(request.id)}"]`) : null;
    if (card) {
      card.scrollIntoView({ block: 'nearest' });
      card.focus();
    } else headingRef.current?.focus();
  }, [request?.nonce ?? 0]);
}

/**
 * Focus follows the outcome: the error message on failure, the summary when done, the choice on
 * first run. Only when focus is already in the panel (or nowhere), so typing elsewhere on the
 * page is never interrupted.
 */
export function useOutcomeFocus(rootRef: RefObject<HTMLElement | null>, state: PanelState): void {
  const focusKey = state.phase === 'done' ? `done:${state.saved?.savedAt ?? 'new'}` : state.phase;
  useEffect(() => {
    const root = rootRef.current;
    if (!root || !(state.phase === 'error' || state.phase === 'done' || state.phase === 'first-run')) return;
    const rootNode = root.getRootNode();
    const shadow = isShadowRoot(rootNode) ? rootNode : null;
    const doc = root.ownerDocument;
    const inPanel = shadow ? shadow.activeElement !== null : root.contains(doc.activeElement);
    if (!inPanel && doc.activeElement && doc.activeElement !== doc.body) return;
    // A finding a marker asked for keeps the focus.
    if (shadow?.activeElement?.closest('[data-finding-id]')) return;
    root.querySelector<HTMLElement>('[data-focus-target="true"]')?.focus();
  }, [focusKey]);
}
