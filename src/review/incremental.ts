/**
 * Incremental review: merging a review made at an older head with a review of only the new
 * commits (GitHub's compare diff `old...new`). Pure: no fetch, no browser API.
 *
 * A finding of the older review is kept when the new commits did not touch its lines; its line
 * numbers (new-side numbers at the old head, i.e. old-side numbers of the compare diff) are
 * mapped through the compare diff's hunks to the new head. A finding on a line the new commits
 * changed or removed is dropped: the review of the new commits looks at those lines again.
 */
import type { DiffFile } from '../model/diff';
import type { FileCoverage, Finding, IncrementalInfo, Review } from '../model/review';


/**
 * Where old line `line` of `file` is after the compare diff, or null when the new commits
 * removed or changed it (or deleted the file).
 */
export function mapOldLine(file: DiffFile | undefined, line: number): number | null {
  if (!file) return line; // the new commits did not touch this file
  if (file.status === 'deleted') return null;
  let delta = 0;
  for (const hunk of file.hunks) {
    // A pure insertion (`-5,0`) goes after old line oldStart; otherwise the hunk starts at it.
    const before = hunk.oldLines === 0 ? line <= hunk.oldStart : line < hunk.oldStart;
    if (before) return line + delta;
    if (line < hunk.oldStart + hunk.oldLines) {
      const row = hunk.lines.find((l) => l.oldNumber === line);
      return row && row.kind === 'context' ? row.newNumber : null;
    }
    delta += hunk.newLines - hunk.oldLines;
  }
  return line + delta;
}

/** True when the new commits removed, changed, or inserted lines within old lines [start, end]. */
export function touchesRange(file: DiffFile | undefined, start: number, end: number): boolean {
  if (!file) return false;
  if (file.status === 'deleted') return true;
  for (const hunk of file.hunks) {
    let lastOld = hunk.oldStart - 1;
    for (const row of hunk.lines) {
      if (row.kind === 'deletion' && row.oldNumber !== null && row.oldNumber >= start && row.oldNumber <= end) return true;
      // An added line between two old lines of the range changes what the finding is about.
      if (row.kind === 'addition' && lastOld >= start && lastOld < end) return true;
      if (row.oldNumber !== null) lastOld = row.oldNumber;
    }
  }
  return false;
}

/** The compare diff's files by their old path (renames included). */
function byOldPath(compare: readonly DiffFile[]): Map<string, DiffFile> {
  const map = new Map<string, DiffFile>();
  for (const f of compare) map.set(f.oldPath ?? f.path, f);
  return map;
}

/** A finding of the older review at the new head, or null when its lines changed. */
export function reanchorFinding(finding: Finding, compare: ReadonlyMap<string, DiffFile>): Finding | null {
  const file = compare.get(finding.file);
  const end = finding.endLine ?? finding.line;
  if (touchesRange(file, finding.line, end)) return null;
  const line = mapOldLine(file, finding.line);
  const endLine = finding.endLine === undefined ? undefined : mapOldLine(file, finding.endLine);
  if (line === null || endLine === null) return null;
  const moved: Finding = { ...finding, file: file?.path ?? finding.file, line };
  if (endLine !== undefined) moved.endLine = endLine;
  return moved;
}

const short = (sha: string) => sha.slice(0, 7);

/** Lists paths for a note, the first few by name. */
function namePaths(paths: readonly string[]): string {
  const shown = paths.slice(0, 8).join(', ');
  return paths.length > 8 ? `${shown} and ${paths.length - 8} more` : shown;
}

export interface MergeInput {
  previous: Review;
  previousHead: string;
  /** The review of the compare diff alone. */
  increment: Review;
  headSha: string;
  /** The compare diff's files (old head → new head). */
  compare: readonly DiffFile[];
}

/**
 * The merged review at the new head: kept findings (re-anchored) and the new commits' findings;
 * coverage per file with the commit it was reviewed at; the summary of both.
 */
export function mergeIncremental(input: MergeInput): Review & { incremental: IncrementalInfo } {
  const { previous, previousHead, increment, headSha } = input;
  const compare = byOldPath(input.compare);
  const changedNew = new Set(input.compare.map((f) => f.path));
  const changedOld = new Set(compare.keys());

  const kept: Finding[] = [];
  let dropped = 0;
  for (const f of previous.findings) {
    const moved = reanchorFinding(f, compare);
    if (moved) kept.push(moved);
    else dropped++;
  }
  const ids = new Set(increment.findings.map((f) => f.id));
  const findings = [...increment.findings, ...kept.filter((f) => !ids.has(f.id))];

  // Coverage: files of the new commits as the increment saw them (at the new head); the rest as
  // the earlier review saw them, at the commit it saw them at.
  const coverage: FileCoverage[] = increment.coverage.map((c) => ({ ...c, commit: headSha }));
  const covered = new Set(coverage.map((c) => c.path));
  for (const c of previous.coverage) {
    if (changedOld.has(c.path) || changedNew.has(c.path) || covered.has(c.path)) continue;
    coverage.push({ ...c, commit: c.commit ?? previousHead });
  }

  const walkthrough = [
    ...increment.walkthrough,
    ...previous.walkthrough.filter((row) => !changedOld.has(row.path) && !changedNew.has(row.path)),
  ];
  const unique = (items: string[]) => [...new Set(items)];
  const reviewedNow = coverage.filter((c) => c.commit === headSha).map((c) => c.path);
  const keptFrom = coverage.filter((c) => c.commit !== headSha);
  const notes = [
    `Incremental review of the new commits ${short(previousHead)}…${short(headSha)}: ${reviewedNow.length} file${reviewedNow.length === 1 ? '' : 's'} reviewed at ${short(headSha)} (${namePaths(reviewedNow)}); ${keptFrom.length} kept from the review at ${short(previousHead)}.`,
    `${kept.length} earlier finding${kept.length === 1 ? '' : 's'} kept and moved to the new lines; ${dropped} dropped because the new commits changed their lines.`,
    ...(increment.notes ?? []),
  ];
  return {
    summary: `${previous.summary}\n\n**New commits (${short(previousHead)}…${short(headSha)}):** ${increment.summary}`.trim(),
    risks: unique([...increment.risks, ...previous.risks]),
    changes: unique([...increment.changes, ...previous.changes]),
    walkthrough,
    findings,
    coverage,
    truncated: increment.truncated || previous.truncated,
    notes,
    stats: increment.stats,
    incremental: { baseSha: previousHead, headSha, kept: kept.length, dropped, files: input.compare.map((f) => f.path) },
  };
}

/**
 * The review the panel gets for a request: merged with the earlier review when the request was
 * incremental (and its compare diff was fetched), with the request's notes in front.
 */
export function completeReview(
  review: Review,
  request: { incremental?: { baseSha: string; previous: Review; compare?: DiffFile[] }; notes?: string[]; diff: { ref: { headSha?: string } } },
): Review {
  const inc = request.incremental;
  const head = request.diff.ref.headSha;
  const merged = inc?.compare && head ? mergeIncremental({ previous: inc.previous, previousHead: inc.baseSha, increment: review, headSha: head, compare: inc.compare }) : review;
  return request.notes?.length ? { ...merged, notes: [...request.notes, ...(merged.notes ?? [])] } : merged;
}
