/**
 * The panel's state as a pure reducer: every message from the engine host and every user action
 * becomes an action, so the panel's behaviour is testable without a browser.
 */
import type { LoadProgress } from '../../engine/engine';
import type { BackgroundToContent, ReviewFailure } from '../../protocol';
import type { FileCoverage, Finding, Review } from '../../review/review-types';

export interface ReviewProgress {
  step: number;
  steps: number;
  label: string;
  currentFile?: string;
}

export type PanelState =
  | { phase: 'idle' }
  | { phase: 'reading' }
  | { phase: 'starting' }
  | { phase: 'loading'; progress: LoadProgress; startedAt: number }
  | {
      phase: 'reviewing';
      progress: ReviewProgress | null;
      text: string;
      tokensPerSecond: number | null;
      findings: Finding[];
      engineReused: boolean;
    }
  | { phase: 'done'; review: Review; text: string }
  | { phase: 'cancelled'; text: string; findings: Finding[] }
  | { phase: 'error'; failure: ReviewFailure; text: string };

export type PanelAction =
  | { type: 'reset' }
  | { type: 'reading' }
  | { type: 'starting' }
  | { type: 'failed'; failure: ReviewFailure }
  | { type: 'message'; message: BackgroundToContent; now: number };

export const initialPanelState: PanelState = { phase: 'idle' };

/** Text streamed so far, kept across phase changes so a cancel or failure loses nothing. */
export function streamedText(state: PanelState): string {
  return 'text' in state ? state.text : '';
}

/** True while a review is under way (the Cancel button shows, the Review button is busy). */
export function isBusy(state: PanelState): boolean {
  return state.phase === 'reading' || state.phase === 'starting' || state.phase === 'loading' || state.phase === 'reviewing';
}

function reviewing(state: PanelState): Extract<PanelState, { phase: 'reviewing' }> {
  if (state.phase === 'reviewing') return state;
  return { phase: 'reviewing', progress: null, text: '', tokensPerSecond: null, findings: [], engineReused: false };
}

export function panelReducer(state: PanelState, action: PanelAction): PanelState {
  switch (action.type) {
    case 'reset':
      return initialPanelState;
    case 'reading':
      return { phase: 'reading' };
    case 'starting':
      return { phase: 'starting' };
    case 'failed':
      return { phase: 'error', failure: action.failure, text: streamedText(state) };
    case 'message':
      return onMessage(state, action.message, action.now);
  }
}

function onMessage(state: PanelState, message: BackgroundToContent, now: number): PanelState {
  // Late messages of a finished review (e.g. after Cancel) must not resurrect it.
  if (!isBusy(state)) return state;
  switch (message.kind) {
    case 'engine/progress':
      return {
        phase: 'loading',
        progress: message.progress,
        startedAt: state.phase === 'loading' ? state.startedAt : now,
      };
    case 'engine/ready':
      return { ...reviewing(state), engineReused: message.reused };
    case 'review/event': {
      const event = message.event;
      const current = reviewing(state);
      switch (event.type) {
        case 'plan':
          return current;
        case 'progress':
          return {
            ...current,
            progress: {
              step: event.step,
              steps: event.steps,
              label: event.label,
              ...(event.currentFile !== undefined ? { currentFile: event.currentFile } : {}),
            },
          };
        case 'text':
          return { ...current, text: current.text + event.delta };
        case 'speed':
          return { ...current, tokensPerSecond: event.tokensPerSecond };
        case 'finding':
          return { ...current, findings: [...current.findings, event.finding] };
        case 'done':
          return { phase: 'done', review: event.review, text: current.text };
      }
      return current;
    }
    case 'review/cancelled':
      return { phase: 'cancelled', text: streamedText(state), findings: state.phase === 'reviewing' ? state.findings : [] };
    case 'review/failed':
      return { phase: 'error', failure: message.failure, text: streamedText(state) };
  }
}

/** Coverage entries that mean the review did not read everything. */
export function incompleteCoverage(coverage: FileCoverage[]): FileCoverage[] {
  return coverage.filter((c) => c.coverage !== 'full');
}
