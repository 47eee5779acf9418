/**
 * Builds DiffFile values for tests from readable line lists ("+added", "-removed", " context").
 */
import type { DiffFile, DiffHunk, DiffLine, FileStatus, PullRequestDiff } from '../../model/diff';

export interface HunkSpec {
  /** First old-side and new-side line numbers (1-based). */
  oldStart?: number;
  newStart?: number;
  section?: string;
  lines: string[];
}

export function makeHunk(spec: HunkSpec): DiffHunk {
  let o = spec.oldStart ?? 1;
  let n = spec.newStart ?? 1;
  const lines: DiffLine[] = spec.lines.map((raw) => {
    const mark = raw[0];
    const text = raw.slice(1);
    if (mark === '+') return { kind: 'addition', oldNumber: null, newNumber: n++, text };
    if (mark === '-') return { kind: 'deletion', oldNumber: o++, newNumber: null, text };
    return { kind: 'context', oldNumber: o++, newNumber: n++, text };
  });
  const oldLines = lines.filter((l) => l.kind !== 'addition').length;
  const newLines = lines.filter((l) => l.kind !== 'deletion').length;
  const oldStart = spec.oldStart ?? 1;
  const newStart = spec.newStart ?? 1;
  return {
    header: `@@ -${oldStart},${oldLines} +${newStart},${newLines} @@${spec.section ? ` ${spec.section}` : ''}`,
    oldStart,
    oldLines,
    newStart,
    newLines,
    lines,
  };
}

export function makeFile(path: string, hunks: (HunkSpec | string[])[], status: FileStatus = 'modified'): DiffFile {
  return {
    path,
    status,
    source: 'diff-text',
    hunks: hunks.map((h) => makeHunk(Array.isArray(h) ? { lines: h } : h)),
  };
}

export function makeDiff(files: DiffFile[], missing: PullRequestDiff['missing'] = []): PullRequestDiff {
  return { ref: { owner: 'octo', repo: 'demo', number: 1 }, files, missing };
}

/** A file of hunks laid one after another, `gap` unchanged lines apart (random diffs in property tests). */
export function makeSpacedFile(path: string, hunks: string[][], gap: number): DiffFile {
  let start = 1;
  return makeFile(
    path,
    hunks.map((lines) => {
      const h = { oldStart: start, newStart: start, lines };
      start += lines.length + gap;
      return h;
    }),
  );
}
