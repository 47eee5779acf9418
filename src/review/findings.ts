/**
 * Keeps the findings worth showing: anchored to a diff line, at or above the depth's severity
 * threshold, not repeated, and at most a few per file. Every finding thrown away is counted by
 * reason (ReviewStats.dropped).
 */
import type { Depth } from '../shared/settings';
import type { Finding, ReviewStats, Severity } from '../model/review';
import { SEVERITIES } from '../model/review';
import { anchorFinding, normalize, type FileIndex } from './anchor';
import type { RawFinding } from './finding-parser';
import { FINDINGS_PER_FILE } from './prompts';

export type DropCounts = ReviewStats['dropped'];

export function emptyDrops(): DropCounts {
  return { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 };
}

const RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, nit: 3 };

export function severityAllowed(depth: Depth, s: Severity): boolean {
  return depth === 'quick' ? RANK[s] <= RANK.major : SEVERITIES.includes(s);
}

/** FNV-1a: a short, stable id from file, line and title (dismissals survive a re-run). */
function hashId(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export function bySeverity(a: { severity: Severity; file: string; line: number }, b: { severity: Severity; file: string; line: number }): number {
  return RANK[a.severity] - RANK[b.severity] || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line;
}

export class FindingCollector {
  readonly dropped: DropCounts = emptyDrops();
  private readonly kept: Finding[] = [];
  private readonly perFile = new Map<string, number>();
  private readonly ids = new Set<string>();

  constructor(private readonly depth: Depth) {}

  /** Validates one call's findings; returns those accepted, most severe first. */
  add(raws: readonly RawFinding[], chunkFiles: readonly FileIndex[], allFiles: readonly FileIndex[]): Finding[] {
    const accepted: Finding[] = [];
    const sorted = [...raws].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
    for (const raw of sorted) {
      if (!severityAllowed(this.depth, raw.severity)) {
        this.dropped.belowThreshold++;
        continue;
      }
      const a = anchorFinding(raw, chunkFiles, allFiles);
      if (!a.ok) {
        this.dropped[a.reason]++;
        continue;
      }
      const title = normalize(raw.title).toLowerCase();
      const dup = this.kept.some(
        (k) =>
          k.file === a.file &&
          ((k.line === a.line && (k.category === raw.category || normalize(k.title).toLowerCase() === title)) ||
            (Math.abs(k.line - a.line) <= 3 && normalize(k.title).toLowerCase() === title)),
      );
      if (dup) {
        this.dropped.duplicate++;
        continue;
      }
      const n = this.perFile.get(a.file) ?? 0;
      if (n >= FINDINGS_PER_FILE[this.depth]) {
        this.dropped.overCap++;
        continue;
      }
      this.perFile.set(a.file, n + 1);
      let id = `f${hashId(`${a.file}\n${a.line}\n${title}`)}`;
      for (let k = 2; this.ids.has(id); k++) id = `${id.replace(/-\d+$/, '')}-${k}`;
      this.ids.add(id);
      const finding: Finding = {
        id,
        file: a.file,
        line: a.line,
        ...(a.endLine !== undefined ? { endLine: a.endLine } : {}),
        severity: raw.severity,
        category: raw.category,
        title: raw.title,
        explanation: raw.explanation,
        ...(raw.suggestion ? { suggestion: raw.suggestion } : {}),
        quote: a.quote,
      };
      this.kept.push(finding);
      accepted.push(finding);
    }
    return accepted;
  }

  countUnparseable(n: number): void {
    this.dropped.unparseable += n;
  }

  all(): Finding[] {
    return [...this.kept].sort(bySeverity);
  }
}
