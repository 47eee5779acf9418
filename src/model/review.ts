/**
 * What the review pipeline produces: findings, coverage and the final review, plus the events it
 * streams while it works. Plain data: these cross from the engine host to the panel.
 */

export type Severity = 'critical' | 'major' | 'minor' | 'nit';
export type Category = 'bug' | 'security' | 'performance' | 'maintainability' | 'tests' | 'style';

export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'nit'];
export const CATEGORIES: readonly Category[] = ['bug', 'security', 'performance', 'maintainability', 'tests', 'style'];

export interface Finding {
  /** Stable id within a review (derived from file, line and title), used for dismissals. */
  id: string;
  file: string;
  /** New-side line number, re-anchored against the diff. */
  line: number;
  endLine?: number;
  severity: Severity;
  category: Category;
  title: string;
  explanation: string;
  /** Replacement code, when the model offered one. */
  suggestion?: string;
  /** The exact diff line the finding is about. */
  quote: string;
}

export type Coverage = 'full' | 'partial' | 'skipped' | 'not-loaded';

export interface FileCoverage {
  path: string;
  coverage: Coverage;
  /** Why a file was skipped, only partly reviewed, or not loaded. */
  reason?: string;
  /** The head commit this file was reviewed at (set by an incremental review's merge). */
  commit?: string;
}

export interface ReviewStats {
  modelCalls: number;
  promptTokens: number;
  completionTokens: number;
  /** Findings the validator threw away, by reason. */
  dropped: { notInDiff: number; ambiguous: number; duplicate: number; overCap: number; belowThreshold: number; unparseable: number };
  elapsedMs: number;
  /** The verify pass, when it ran: findings checked, rejected (dropped), unchecked, and its cost. */
  verify?: { checked: number; rejected: number; unchecked: number; calls: number; promptTokens: number; completionTokens: number };
}

export interface WalkthroughRow {
  path: string;
  summary: string;
}

export interface Review {
  /** A short summary of the whole PR. */
  summary: string;
  /** Potential issues and risks, most important first (Markdown bullets as plain strings). */
  risks: string[];
  /** The major changes (plain strings). */
  changes: string[];
  walkthrough: WalkthroughRow[];
  findings: Finding[];
  coverage: FileCoverage[];
  /** True when the call limit or a failure cut the review short. */
  truncated: boolean;
  /**
   * Things the user should know about how this review was made (parts GitHub did not load,
   * a summary assembled without the model, a call limit). Optional: older reviews lack it.
   */
  notes?: string[];
  stats: ReviewStats;
  /** Set when this review merged an earlier one with a review of the new commits (src/review/incremental.ts). */
  incremental?: IncrementalInfo;
  /** Follow-up questions asked about this review, with their answers (kept with the review, per head). */
  followUps?: FollowUp[];
}

/** What an incremental review was, kept with the merged review. */
export interface IncrementalInfo {
  /** The head the earlier review was made at. */
  baseSha: string;
  /** The head the new commits end at. */
  headSha: string;
  /** Findings of the earlier review kept (re-anchored) and dropped (their lines changed). */
  kept: number;
  dropped: number;
  /** Files the new commits changed (reviewed at `headSha`). */
  files: string[];
}

/** A question asked in the panel after the review, and the model's answer. */
export interface FollowUp {
  question: string;
  /** The finding the question was about, when it was about one. */
  findingId?: string;
  answer: string;
  /** Milliseconds since the epoch. */
  askedAt: number;
}

/** Streamed while a review runs. */
export type ReviewEvent =
  /** `steps`: the model calls the review will make, known before the first one. */
  | { type: 'plan'; chunks: number; files: number; promptTokens: number; steps: number }
  /** `reason`: why `steps` changed since the plan (a part split to fit, a longer summary). */
  | { type: 'progress'; step: number; steps: number; label: string; currentFile?: string; reason?: string }
  /** Re-estimated after every call from this review's measured speed. */
  | { type: 'time-left'; seconds: number; callsDone: number }
  | { type: 'text'; delta: string }
  | { type: 'speed'; tokensPerSecond: number }
  | { type: 'finding'; finding: Finding }
  /** A file's summary line, read from the answer while it streams (a later one replaces it). */
  | { type: 'file-summary'; path: string; summary: string }
  | { type: 'done'; review: Review };
