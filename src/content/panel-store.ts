/**
 * The one holder of a pull request's panel state (PanelModel, src/ui/panel/panel-state.ts).
 * Features change it only by dispatching actions, and listen for the changes they draw from.
 * After `signal` aborts (the user left the PR) every dispatch is ignored.
 *
 * Listeners draw, or start work that dispatches later; none dispatches while it is called (a
 * nested dispatch would reach the listeners after it out of order).
 */
import { panelModelReducer, type PanelModel, type PanelModelAction } from '../ui/panel/panel-state';

export type PanelListener = (model: PanelModel, previous: PanelModel, action: PanelModelAction) => void;

export interface PanelStore {
  get(): PanelModel;
  dispatch(action: PanelModelAction): void;
  /** Calls `listener` after every change, until the store's signal aborts (the user left the PR). */
  subscribe(listener: PanelListener): void;
}

export function createPanelStore(initial: PanelModel, signal: AbortSignal): PanelStore {
  let model = initial;
  const listeners = new Set<PanelListener>();
  signal.addEventListener('abort', () => listeners.clear());
  return {
    get: () => model,
    dispatch(action) {
      if (signal.aborted) return;
      const previous = model;
      model = panelModelReducer(model, action);
      if (model !== previous) for (const listener of [...listeners]) listener(model, previous, action);
    },
    subscribe: (listener) => void listeners.add(listener),
  };
}
