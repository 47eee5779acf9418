/**
 * Keeps the finding markers on the diff in line with the panel: the findings of a finished,
 * current review, without dismissed ones, while markers are shown. A click on a marker opens the
 * panel at its finding. Leaving the PR (`signal`) removes every marker.
 */
import type { Finding } from '../model/review';
import type { PanelModel } from '../ui/panel/panel-state';
import { FindingMarkers } from './finding-markers';
import type { Guard } from './guard';
import type { PanelStore } from './panel-store';

export interface ReviewMarkers {
  /** GitHub rendered, folded or re-rendered part of the diff: put the markers back. */
  sync(): void;
  toggle(): void;
}

export function shownFindings(model: PanelModel): Finding[] {
  const s = model.review;
  // An outdated review's lines may have moved: no markers for it.
  if (s.phase !== 'done' || s.saved?.outdated) return [];
  return s.review.findings.filter((f) => !model.dismissed.has(f.id));
}

export function initReviewMarkers({ doc, store, guard, signal }: { doc: Document; store: PanelStore; guard: Guard; signal: AbortSignal }): ReviewMarkers {
  const markers = new FindingMarkers(doc, {
    theme: () => store.get().theme,
    onSelect: (finding) => guard(() => store.dispatch({ type: 'focus', id: finding.id })),
  });
  const shown = (m: PanelModel) => (m.review.phase === 'done' ? m.review : null);
  store.subscribe((model, previous) => {
    const changed = shown(model) !== shown(previous) || model.dismissed !== previous.dismissed || model.markersVisible !== previous.markersVisible;
    if (changed) markers.set(shownFindings(model), model.markersVisible);
    else if (model.theme !== previous.theme) markers.sync();
  });
  signal.addEventListener('abort', () => markers.clear());
  return {
    sync: () => markers.sync(),
    toggle: () => store.dispatch({ type: 'markers', visible: !store.get().markersVisible }),
  };
}
