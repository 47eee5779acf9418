/**
 * The panel's state as a pure reducer: every message from the engine host and every user action
 * becomes an action, so the panel's behaviour is testable without a browser.
 */
import type { EnginePlacement, LoadProgress } from '../../engine/engine';
import type { BackgroundToContent, FirstRunChoice, ModelEntry, ReviewEstimate, ReviewFailure } from '../../protocol';
import type { FileCoverage, Finding, FollowUp, Review } from '../../model/review';
import type { Settings } from '../../shared/settings';
import type { ThemeName } from '../theme';
import type { ActionStatus } from './panel';
import type { AskState } from './follow-up';
import { addSample, type ByteSample } from '../../shared/download-rate';
import { TAIL_CHARS, tailOf } from './text-tail';

/** What the first-run state offers: the engine host's pick for this machine and its catalog. */
export interface FirstRunOffer {
  choice: FirstRunChoice | null;
  models: ModelEntry[];
}

/** Where a finished review shown in the panel came from, when it was not just made. */
export interface SavedReviewInfo {
  savedAt: number;
  /** New commits landed since the review was made. */
  outdated: boolean;
  headSha: string;
}

export interface ReviewProgress {
  step: number;
  steps: number;
  label: string;
  currentFile?: string;
  /** Why the step total changed since the plan. */
  reason?: string;
}

export type PanelState =
  | { phase: 'idle' }
  /** No engine or model chosen yet: the panel offers one (null while the offer loads). */
  | { phase: 'first-run'; offer: FirstRunOffer | null; error: string | null }
  | { phase: 'reading' }
  | { phase: 'starting' }
  /** Fetching and/or compiling the model; `samples` feed the speed and time-left estimate. */
  | { phase: 'loading'; progress: LoadProgress; startedAt: number; samples: ByteSample[] }
  | {
      phase: 'reviewing';
      progress: ReviewProgress | null;
      text: string;
      /**
       * The end of `text`, kept on its own: drawing it each frame must not touch the whole text
       * (slicing a long concatenated string copies all of it).
       */
      tail: string;
      tokensPerSecond: number | null;
      findings: Finding[];
      /** Per-file summary lines read from the answers so far, in the order they came. */
      fileSummaries: Array<{ path: string; summary: string }>;
      engineReused: boolean;
      /** Where the model runs ("GPU · llama.cpp", "CPU"), when the engine reports it. */
      placement?: EnginePlacement;
      /** "about 4 min", once the host has planned the review. */
      estimate: string | null;
      /** Re-estimated after every call from this review's measured speed (replaces `estimate`). */
      timeLeft: { seconds: number; callsDone: number; at: number } | null;
      /** The step total the plan announced, before the first call. */
      plannedSteps: number | null;
      /** Offered when the estimate runs beyond a few minutes: quick depth, a smaller model. */
      faster: ReviewEstimate['faster'];
      /**
       * Streamed messages, the characters after the first one, and when the first and last
       * arrived: a live speed until the engine reports its own. (Counted in characters: the
       * engine host merges many tokens into one message.)
       */
      deltas: { count: number; chars: number; first: number; last: number };
      /** Files the plan will review, and the ones the review has reached so far (in order). */
      plannedFiles: number | null;
      filesSeen: string[];
    }
  | { phase: 'done'; review: Review; text: string; saved?: SavedReviewInfo; placement?: EnginePlacement }
  | { phase: 'cancelled'; text: string; findings: Finding[] }
  | { phase: 'error'; failure: ReviewFailure; text: string };

export type PanelAction =
  | { type: 'reset' }
  | { type: 'reading' }
  | { type: 'starting' }
  | { type: 'failed'; failure: ReviewFailure }
  | { type: 'first-run'; offer: FirstRunOffer | null; error?: string }
  | { type: 'restored'; review: Review; saved: SavedReviewInfo }
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
  return { phase: 'reviewing', progress: null, text: '', tail: '', tokensPerSecond: null, findings: [], fileSummaries: [], engineReused: false, estimate: null, timeLeft: null, plannedSteps: null, faster: [], deltas: { count: 0, chars: 0, first: 0, last: 0 }, plannedFiles: null, filesSeen: [] };
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
    case 'first-run':
      return { phase: 'first-run', offer: action.offer, error: action.error ?? null };
    case 'restored':
      // A stored review never replaces one that is running or was just made.
      return isBusy(state) || state.phase === 'done' ? state : { phase: 'done', review: action.review, text: '', saved: action.saved };
    case 'message':
      return onMessage(state, action.message, action.now);
  }
}

function onMessage(state: PanelState, message: BackgroundToContent, now: number): PanelState {
  // Late messages of a finished review (e.g. after Cancel) must not resurrect it.
  if (!isBusy(state)) return state;
  switch (message.kind) {
    case 'engine/progress': {
      const previous = state.phase === 'loading' ? state.samples : [];
      const bytes = message.progress.loadedBytes;
      return {
        phase: 'loading',
        progress: message.progress,
        startedAt: state.phase === 'loading' ? state.startedAt : now,
        samples: bytes === undefined ? previous : addSample(previous, { at: now, loadedBytes: bytes }),
      };
    }
    case 'review/estimate':
      return { ...reviewing(state), estimate: message.estimate.text, faster: message.estimate.faster };
    case 'engine/ready':
      return { ...reviewing(state), engineReused: message.reused, ...(message.placement ? { placement: message.placement } : {}) };
    case 'review/event': {
      const event = message.event;
      const current = reviewing(state);
      switch (event.type) {
        case 'plan':
          return { ...current, plannedFiles: event.files, plannedSteps: event.steps };
        case 'time-left':
          return { ...current, timeLeft: { seconds: event.seconds, callsDone: event.callsDone, at: now } };
        case 'progress':
          return {
            ...current,
            filesSeen:
              event.currentFile !== undefined && !current.filesSeen.includes(event.currentFile)
                ? [...current.filesSeen, event.currentFile]
                : current.filesSeen,
            progress: {
              step: event.step,
              steps: event.steps,
              label: event.label,
              ...(event.currentFile !== undefined ? { currentFile: event.currentFile } : {}),
              ...(event.reason !== undefined ? { reason: event.reason } : {}),
            },
          };
        case 'text': {
          const d = current.deltas;
          const tail = current.tail.length + event.delta.length > 2 * TAIL_CHARS ? tailOf(current.tail + event.delta) : current.tail + event.delta;
          return { ...current, text: current.text + event.delta, tail, deltas: { count: d.count + 1, chars: d.count ? d.chars + event.delta.length : 0, first: d.count ? d.first : now, last: now } };
        }
        case 'speed':
          return { ...current, tokensPerSecond: event.tokensPerSecond };
        case 'finding':
          return { ...current, findings: [...current.findings, event.finding] };
        case 'file-summary': {
          const rest = current.fileSummaries.filter((row) => row.path !== event.path);
          const at = current.fileSummaries.findIndex((row) => row.path === event.path);
          const row = { path: event.path, summary: event.summary };
          return { ...current, fileSummaries: at < 0 ? [...rest, row] : [...rest.slice(0, at), row, ...rest.slice(at)] };
        }
        case 'done':
          return { phase: 'done', review: event.review, text: current.text, ...(current.placement ? { placement: current.placement } : {}) };
      }
      return current;
    }
    case 'review/cancelled':
      return { phase: 'cancelled', text: streamedText(state), findings: state.phase === 'reviewing' ? state.findings : [] };
    case 'review/failed':
      return { phase: 'error', failure: message.failure, text: streamedText(state) };
    case 'followup/done':
      return state; // follow-ups have their own connection and state (PanelModel.ask)
  }
}

/** What the review shown was made with (the Markdown footer, review memory, "runs on"). */
export interface MadeWith {
  /** Null for a review restored from memory. */
  settings: Settings | null;
  headSha: string;
}

/**
 * Everything the panel of one pull request shows: the review's phase (PanelState) and what sits
 * around it. The content script keeps no other panel state: each feature dispatches actions and
 * the panel, the button and the markers are drawn from the result.
 */
export interface PanelModel {
  open: boolean;
  review: PanelState;
  theme: ThemeName;
  /** Dismissed finding ids of the review shown, for its head commit. */
  dismissed: ReadonlySet<string>;
  markersVisible: boolean;
  /** The outcome of the last panel action (copy, insert, dismiss). */
  status: ActionStatus | null;
  /** A finding card the panel should scroll to and focus (a marker was clicked). */
  focus: { id: string; nonce: number } | null;
  made: MadeWith | null;
  /** The follow-up question being answered (or the last one that failed or was cancelled). */
  ask: AskState | null;
}

export type PanelModelAction =
  | Exclude<PanelAction, { type: 'restored' }>
  /** A review from memory, with the findings dismissed for its head commit. */
  | { type: 'restored'; review: Review; saved: SavedReviewInfo; dismissed: ReadonlySet<string> }
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'theme'; theme: ThemeName }
  | { type: 'status'; status: ActionStatus | null }
  /** The dismissals of the review shown changed (kept only while it is shown). */
  | { type: 'dismissed'; ids: ReadonlySet<string>; status?: ActionStatus }
  | { type: 'markers'; visible: boolean }
  /** Opens the panel at a finding's card. */
  | { type: 'focus'; id: string }
  | { type: 'made'; made: MadeWith }
  | { type: 'ask'; ask: AskState | null }
  | { type: 'ask-text'; delta: string }
  /** A follow-up was answered: kept with the review it was asked about, if that is still shown. */
  | { type: 'follow-up'; review: Review; followUp: FollowUp };

const NONE: ReadonlySet<string> = new Set();

export function initialPanelModel(theme: ThemeName): PanelModel {
  return { open: false, review: initialPanelState, theme, dismissed: NONE, markersVisible: true, status: null, focus: null, made: null, ask: null };
}

export function panelModelReducer(model: PanelModel, action: PanelModelAction): PanelModel {
  switch (action.type) {
    case 'open':
    case 'close':
      return model.open === (action.type === 'open') ? model : { ...model, open: action.type === 'open' };
    case 'theme':
      return { ...model, theme: action.theme };
    case 'status':
      return { ...model, status: action.status };
    case 'dismissed':
      return { ...model, dismissed: model.review.phase === 'done' ? action.ids : model.dismissed, status: action.status ?? model.status };
    case 'markers':
      return { ...model, markersVisible: action.visible };
    case 'focus':
      return { ...model, open: true, focus: { id: action.id, nonce: (model.focus?.nonce ?? 0) + 1 } };
    case 'made':
      return { ...model, made: action.made };
    case 'ask':
      return { ...model, ask: action.ask };
    case 'ask-text':
      return model.ask ? { ...model, ask: { ...model.ask, text: model.ask.text + action.delta } } : model;
    case 'follow-up': {
      const s = model.review;
      const { review, followUp } = action;
      const kept = s.phase === 'done' && s.review === review ? { ...s, review: { ...review, followUps: [...(review.followUps ?? []), followUp] } } : s;
      return { ...model, review: kept, ask: null };
    }
    default:
      return withReview(model, action);
  }
}

function withReview(model: PanelModel, action: Extract<PanelModelAction, PanelAction>): PanelModel {
  const review = panelReducer(model.review, action);
  if (review === model.review) return model;
  const next = { ...model, review };
  // A new review clears what was said about the last one; a stored one comes with its dismissals.
  if (action.type === 'reading') Object.assign(next, { status: null, ask: null });
  if (action.type === 'restored') Object.assign(next, { dismissed: action.dismissed, made: { settings: null, headSha: action.saved.headSha } });
  else if (review.phase !== 'done' && model.review.phase !== review.phase) next.dismissed = NONE;
  return next;
}

/** Characters per token, for a live speed from streamed text (code tokenizers: 3–4). */
const CHARS_PER_TOKEN = 4;

/**
 * Tokens per second while reviewing: the engine's measured decode speed once it reported one,
 * else streamed characters over at least a second, in tokens of about 4 characters (null before).
 */
export function reviewSpeed(state: Extract<PanelState, { phase: 'reviewing' }>): { tokensPerSecond: number; measured: boolean } | null {
  if (state.tokensPerSecond !== null) return { tokensPerSecond: state.tokensPerSecond, measured: true };
  const { count, chars, first, last } = state.deltas;
  const span = last - first;
  if (count < 2 || span < 1000) return null;
  return { tokensPerSecond: (chars / CHARS_PER_TOKEN) * (1000 / span), measured: false };
}

/** "File 2 of 5" while reviewing, once the plan said how many files there are. */
export function fileProgress(state: Extract<PanelState, { phase: 'reviewing' }>): { index: number; total: number } | null {
  const current = state.progress?.currentFile;
  if (state.plannedFiles === null || state.plannedFiles < 1 || current === undefined) return null;
  const index = state.filesSeen.indexOf(current) + 1;
  return index > 0 ? { index: Math.min(index, state.plannedFiles), total: state.plannedFiles } : null;
}

/**
 * Bytes still arriving: the Downloading view. Once every byte is in (or the engine reports no
 * bytes, e.g. reading from its cache), it is the Loading view.
 */
export function isDownloading(progress: LoadProgress): boolean {
  const { loadedBytes, totalBytes } = progress;
  return loadedBytes !== undefined && totalBytes !== undefined && totalBytes > 0 && loadedBytes < totalBytes;
}

/** Coverage entries that mean the review did not read everything. */
export function incompleteCoverage(coverage: FileCoverage[]): FileCoverage[] {
  return coverage.filter((c) => c.coverage !== 'full');
}
