/**
 * Every message that crosses a context boundary in local-pr-review, in one place.
 *
 *   content script ──Port "review"──▶ background ──Port "engine-host"──▶ engine host (offscreen document)
 *   content script ──runtime.sendMessage──▶ background (one-shot requests such as fetching a PR's .diff)
 *
 * Each union is discriminated by `kind`, so a `switch (msg.kind)` narrows the payload with no casts.
 * Payloads are plain, structured-clone-safe data.
 */
import type { PullRequestDiff, PullRequestRef } from './github/diff-model';
import type { ViewScope } from './github/diff-completion';
import type { LoadProgress, EngineError } from './engine/engine';
import type { ReviewEvent } from './review/review-types';
import type { Settings } from './shared/settings';

export const REVIEW_PORT = 'review';
export const ENGINE_HOST_PORT = 'engine-host';

/** What the content script asks the engine host to review. */
export interface ReviewRequest {
  diff: PullRequestDiff;
  /** Settings travel with the request: the offscreen document cannot read extension storage. */
  settings: Settings;
}

/** A failure the panel can explain and, where `retryable`, offer to retry. */
export interface ReviewFailure {
  code: EngineError['code'] | 'host-unavailable' | 'host-crashed' | 'no-diff' | 'internal' | 'no-engine';
  message: string;
  nextStep?: string;
  retryable: boolean;
}

// ── content script → background (Port "review") ────────────────────────────────────────────────
export type ContentToBackground =
  | { kind: 'review/start'; request: ReviewRequest }
  | { kind: 'review/cancel' };

// ── background → content script (Port "review") ────────────────────────────────────────────────
export type BackgroundToContent =
  | { kind: 'engine/progress'; progress: LoadProgress }
  | { kind: 'engine/ready'; engine: string; modelId: string; reused: boolean }
  | { kind: 'review/event'; event: ReviewEvent }
  | { kind: 'review/cancelled' }
  | { kind: 'review/failed'; failure: ReviewFailure };

// ── background ↔ engine host (Port "engine-host"), one multiplexed link for every tab ───────────
export type BackgroundToHost =
  | { kind: 'session/start'; session: string; request: ReviewRequest }
  | { kind: 'session/cancel'; session: string };

export type HostToBackground =
  | { kind: 'host/ready' }
  /** Sent while sessions run, so a long prefill with no tokens does not let the service worker idle out. */
  | { kind: 'host/heartbeat' }
  | { kind: 'session/message'; session: string; message: BackgroundToContent };

/** Broadcast by the background (runtime.sendMessage) to an offscreen host that lost its Port. */
export type HostWakeUp = { kind: 'host/reconnect' };

/** Asked of the engine host by extension pages (options page, diagnostics): what is it doing? */
export type HostStatusRequest = { kind: 'host/status' };
export interface HostStatus {
  activeSessions: number;
  engine: { kind: string; modelId: string; loaded: boolean } | null;
}

// ── one-shot requests: content script → background (runtime.sendMessage) ───────────────────────
export type DiffFetchResult =
  | { ok: true; text: string; source: 'diff-endpoint' }
  | { ok: false; status: number; message: string };

export type OneShotRequest =
  /** `scope` narrows the diff to what the page shows (one commit, a range); see diffEndpointUrl. */
  | { kind: 'diff/fetch'; ref: PullRequestRef; scope?: ViewScope }
  | { kind: 'rest/files'; ref: PullRequestRef; page: number }
  | { kind: 'options/open' };

/** The response type each one-shot request kind gets back. */
export interface OneShotResponse {
  'diff/fetch': DiffFetchResult;
  'rest/files': { ok: true; json: unknown; hasNext: boolean } | { ok: false; status: number; message: string };
  'options/open': { ok: true };
}

// ── background → content script, broadcast to a tab (tabs.sendMessage) ────────────────────────
export type BackgroundToTab = { kind: 'command/start-review' };

/** Narrowing guard for messages arriving from another context (their type is unknown there). */
export function hasKind<T extends { kind: string }>(value: unknown, kinds: readonly T['kind'][]): value is T {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    typeof (value as { kind: unknown }).kind === 'string' &&
    kinds.includes((value as { kind: string }).kind)
  );
}

export const CONTENT_TO_BACKGROUND_KINDS: readonly ContentToBackground['kind'][] = ['review/start', 'review/cancel'];
export const BACKGROUND_TO_CONTENT_KINDS: readonly BackgroundToContent['kind'][] = [
  'engine/progress',
  'engine/ready',
  'review/event',
  'review/cancelled',
  'review/failed',
];
export const BACKGROUND_TO_HOST_KINDS: readonly BackgroundToHost['kind'][] = ['session/start', 'session/cancel'];
export const HOST_TO_BACKGROUND_KINDS: readonly HostToBackground['kind'][] = ['host/ready', 'host/heartbeat', 'session/message'];
export const BACKGROUND_TO_TAB_KINDS: readonly BackgroundToTab['kind'][] = ['command/start-review'];
export const ONE_SHOT_KINDS: readonly OneShotRequest['kind'][] = ['diff/fetch', 'rest/files', 'options/open'];
