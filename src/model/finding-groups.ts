/**
 * Findings as the panel and the Markdown export show them: grouped by severity, most severe
 * first, in file order within a group, without the ones the user dismissed.
 */
import { SEVERITIES, type Finding, type Severity } from './review';

export interface FindingGroup {
  severity: Severity;
  findings: Finding[];
  count: number;
}

export interface GroupedFindings {
  /** Only severities that have findings, in the order critical, major, minor, nit. */
  groups: FindingGroup[];
  /** Findings shown (after dismissals). */
  total: number;
  /** Findings hidden because they were dismissed. */
  dismissed: number;
}

const RANK = new Map<Severity, number>(SEVERITIES.map((s, i) => [s, i]));

function severityOf(finding: Finding): Severity {
  // Stored reviews may come from an older build; an unknown severity is shown, as the least one.
  return RANK.has(finding.severity) ? finding.severity : 'nit';
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** File, then line, then end line, then title and id so the order never depends on input order. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(String(a.file), String(b.file)) ||
    (a.line || 0) - (b.line || 0) ||
    (a.endLine ?? a.line ?? 0) - (b.endLine ?? b.line ?? 0) ||
    compareText(String(a.title), String(b.title)) ||
    compareText(String(a.id), String(b.id))
  );
}

export function groupFindings(
  findings: readonly Finding[],
  dismissedIds: ReadonlySet<string> | readonly string[] = [],
): GroupedFindings {
  const dismissedSet: ReadonlySet<string> = new Set(dismissedIds);
  const buckets = new Map<Severity, Finding[]>();
  let dismissed = 0;
  for (const finding of findings) {
    if (dismissedSet.has(finding.id)) {
      dismissed++;
      continue;
    }
    const severity = severityOf(finding);
    const bucket = buckets.get(severity);
    if (bucket) bucket.push(finding);
    else buckets.set(severity, [finding]);
  }
  const groups: FindingGroup[] = [];
  for (const severity of SEVERITIES) {
    const bucket = buckets.get(severity);
    if (!bucket) continue;
    bucket.sort(compareFindings);
    groups.push({ severity, findings: bucket, count: bucket.length });
  }
  return { groups, total: findings.length - dismissed, dismissed };
}

/** Count per severity (zeros included) of the findings still shown. */
export function countBySeverity(
  findings: readonly Finding[],
  dismissedIds: ReadonlySet<string> | readonly string[] = [],
): Record<Severity, number> {
  // Every severity listed (a Record literal: a severity added to the type without its zero does not compile).
  const counts: Record<Severity, number> = { critical: 0, major: 0, minor: 0, nit: 0 };
  for (const group of groupFindings(findings, dismissedIds).groups) counts[group.severity] = group.count;
  return counts;
}

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  major: 'Major',
  minor: 'Minor',
  nit: 'Nit',
};
