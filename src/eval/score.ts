/**
 * Scores a review's findings against a case's ground truth.
 *
 * Matching rule (docs/evaluation.md):
 * - the file must match: the same path, or a path that is a unique suffix of (or ends with) one
 *   of the case's files on a `/` boundary;
 * - the lines must overlap: the finding's range [line, endLine] touches the truth's range
 *   [lineStart, lineEnd] widened by TOLERANCE (3) lines on each side;
 * - pairs are made one-to-one, greedily: closest pairs first (line gap, then order), so a second
 *   finding on an issue already matched is a false positive, never a second hit.
 *
 * Per case: precision = matched findings / findings, recall = matched issues / issues.
 * - A case with issues and no findings scores precision 0, recall 0, F1 0.
 * - A clean case (no issues) is there to catch false positives: with findings it scores
 *   precision 0 and F1 0; without, there is nothing to score (precision, recall, F1 null).
 *   Its recall is always null: there was nothing to find.
 * Overall: the mean over the cases where each value is defined (as the published anchors, a mean
 * over cases). So clean cases can only lower precision and F1, a reviewer that answers nothing
 * scores 0 everywhere, and the ground truth itself scores 1.
 */
import type { Severity } from '../model/review';
import { SEVERITIES } from '../model/review';

export const TOLERANCE = 3;

export interface TruthIssue {
  id: string;
  file: string;
  lineStart: number;
  lineEnd: number;
  severity: Severity;
  category: string;
  title: string;
}

export interface ScoredFinding {
  file: string;
  line: number;
  endLine?: number;
  severity: Severity;
  title?: string;
}

export interface CaseScore {
  id: string;
  /** null for a clean case without findings: nothing to score. */
  precision: number | null;
  /** null for a clean case: nothing to find. */
  recall: number | null;
  f1: number | null;
  findings: number;
  issues: number;
  matched: number;
  /** Pairs made, as [finding index, issue index]. */
  pairs: [number, number][];
}

/** The case file a finding names, or null: exact path, else a unique suffix match. */
export function resolvePath(name: string, paths: readonly string[]): string | null {
  const clean = name.trim().replace(/^\.?\//, '').replace(/^[ab]\//, '');
  if (paths.includes(clean)) return clean;
  if (!clean) return null;
  const tail = [...new Set(paths)].filter((p) => p.endsWith(`/${clean}`) || clean.endsWith(`/${p}`));
  return tail.length === 1 ? tail[0]! : null;
}

/** Lines between the two ranges (0 when they overlap). */
export function lineGap(f: { line: number; endLine?: number }, t: { lineStart: number; lineEnd: number }): number {
  const a = f.line;
  const b = Math.max(f.line, f.endLine ?? f.line);
  return Math.max(0, t.lineStart - b, a - t.lineEnd);
}

/**
 * @param paths the case's file paths (from its diff); truth files are always included
 */
export function matchFindings(findings: readonly ScoredFinding[], truth: readonly TruthIssue[], paths: readonly string[] = []): [number, number][] {
  const all = [...new Set([...paths, ...truth.map((t) => t.file)])];
  const candidates: { f: number; t: number; gap: number }[] = [];
  findings.forEach((f, fi) => {
    const file = resolvePath(f.file, all);
    if (file === null) return;
    truth.forEach((t, ti) => {
      if (t.file !== file) return;
      const gap = lineGap(f, t);
      if (gap <= TOLERANCE) candidates.push({ f: fi, t: ti, gap });
    });
  });
  candidates.sort((x, y) => x.gap - y.gap || x.f - y.f || x.t - y.t);
  const usedF = new Set<number>();
  const usedT = new Set<number>();
  const pairs: [number, number][] = [];
  for (const c of candidates) {
    if (usedF.has(c.f) || usedT.has(c.t)) continue;
    usedF.add(c.f);
    usedT.add(c.t);
    pairs.push([c.f, c.t]);
  }
  return pairs;
}

export function scoreCase(id: string, findings: readonly ScoredFinding[], truth: readonly TruthIssue[], paths: readonly string[] = []): CaseScore {
  const pairs = matchFindings(findings, truth, paths);
  const matched = pairs.length;
  const base = { id, findings: findings.length, issues: truth.length, matched, pairs };
  if (truth.length === 0) {
    const score = findings.length === 0 ? null : 0;
    return { ...base, precision: score, recall: null, f1: score };
  }
  const precision = findings.length === 0 ? 0 : matched / findings.length;
  const recall = matched / truth.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...base, precision, recall, f1 };
}

export interface Overall {
  precision: number;
  recall: number;
  f1: number;
  cases: number;
  /** Cases with at least one issue (the recall's denominator). */
  casesWithIssues: number;
  /** Clean cases where the reviewer reported nothing, out of all clean cases. */
  cleanPassed: number;
  cleanCases: number;
}

/** Mean of the defined values; 0 when none is (no case to score). */
export function meanDefined(xs: readonly (number | null)[]): number {
  const d = xs.filter((x): x is number => x !== null);
  return d.length === 0 ? 0 : d.reduce((a, b) => a + b, 0) / d.length;
}

export function overallScore(scores: readonly CaseScore[]): Overall {
  const withIssues = scores.filter((s) => s.issues > 0);
  const clean = scores.filter((s) => s.issues === 0);
  return {
    precision: meanDefined(scores.map((s) => s.precision)),
    recall: meanDefined(withIssues.map((s) => s.recall ?? 0)),
    f1: meanDefined(scores.map((s) => s.f1)),
    cases: scores.length,
    casesWithIssues: withIssues.length,
    cleanPassed: clean.filter((s) => s.findings === 0).length,
    cleanCases: clean.length,
  };
}

export interface SeverityScore {
  /** Issues of this severity, and how many were found. */
  issues: number;
  found: number;
  /** Findings the reviewer gave this severity, and how many matched an issue. */
  findings: number;
  correct: number;
  precision: number | null;
  recall: number | null;
}

/** Pooled over all cases: recall by the truth's severity, precision by the finding's. */
export function severityScores(results: readonly { findings: readonly ScoredFinding[]; truth: readonly TruthIssue[]; score: CaseScore }[]): Record<Severity, SeverityScore> {
  const empty = (): SeverityScore => ({ issues: 0, found: 0, findings: 0, correct: 0, precision: null, recall: null });
  const out: Record<Severity, SeverityScore> = { critical: empty(), major: empty(), minor: empty(), nit: empty() };
  for (const r of results) {
    const matchedF = new Set(r.score.pairs.map(([f]) => f));
    const matchedT = new Set(r.score.pairs.map(([, t]) => t));
    r.truth.forEach((t, i) => {
      out[t.severity].issues++;
      if (matchedT.has(i)) out[t.severity].found++;
    });
    r.findings.forEach((f, i) => {
      out[f.severity].findings++;
      if (matchedF.has(i)) out[f.severity].correct++;
    });
  }
  for (const s of SEVERITIES) {
    const v = out[s];
    v.recall = v.issues > 0 ? v.found / v.issues : null;
    v.precision = v.findings > 0 ? v.correct / v.findings : null;
  }
  return out;
}
