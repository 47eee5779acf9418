import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../github/diff-text';
import { mapOldLine, mergeIncremental, reanchorFinding, touchesRange } from './incremental';
import type { Finding, Review } from '../model/review';
import { makeReview } from '../model/testing/reviews';

// Old head → new head of one file: a line inserted at the top, line 4 changed, line 10 removed.
const COMPARE = parseUnifiedDiff(
  [
    'diff --git a/src/a.ts b/src/a.ts',
    '--- a/src/a.ts',
    '+++ b/src/a.ts',
    '@@ -1,5 +1,6 @@',
    ' one',
    '+inserted',
    ' two',
    ' three',
    '-four',
    '+FOUR',
    ' five',
    '@@ -9,3 +10,2 @@',
    ' nine',
    '-ten',
    ' eleven',
    'diff --git a/old/name.ts b/new/name.ts',
    'similarity index 90%',
    'rename from old/name.ts',
    'rename to new/name.ts',
    '--- a/old/name.ts',
    '+++ b/new/name.ts',
    '@@ -0,0 +1,2 @@',
    '+header',
    '+header2',
    'diff --git a/gone.ts b/gone.ts',
    'deleted file mode 100644',
    '--- a/gone.ts',
    '+++ /dev/null',
    '@@ -1,1 +0,0 @@',
    '-bye',
    '',
  ].join('\n'),
  'diff-endpoint',
);
const file = (path: string) => COMPARE.find((f) => f.path === path);

const finding = (id: string, path: string, line: number, endLine?: number): Finding => ({
  id,
  file: path,
  line,
  ...(endLine !== undefined ? { endLine } : {}),
  severity: 'minor',
  category: 'bug',
  title: id,
  explanation: 'x',
  quote: '',
});

const review = (over: Partial<Review>): Review => makeReview(over);

describe('mapOldLine', () => {
  const a = file('src/a.ts');
  it('moves lines below an insertion, keeps lines above it', () => {
    expect(mapOldLine(a, 1)).toBe(1);
    expect(mapOldLine(a, 2)).toBe(3);
    expect(mapOldLine(a, 5)).toBe(6);
  });
  it('returns null for a changed or removed line', () => {
    expect(mapOldLine(a, 4)).toBeNull();
    expect(mapOldLine(a, 10)).toBeNull();
  });
  it('applies the offset of every hunk before a line, between and after hunks', () => {
    expect(mapOldLine(a, 7)).toBe(8);
    expect(mapOldLine(a, 11)).toBe(11);
    expect(mapOldLine(a, 40)).toBe(40);
  });
  it('leaves files the new commits did not touch alone, drops deleted files', () => {
    expect(mapOldLine(undefined, 12)).toBe(12);
    expect(mapOldLine(file('gone.ts'), 1)).toBeNull();
  });
  it('shifts every line of a file whose new commits only added lines at the top', () => {
    expect(mapOldLine(file('new/name.ts'), 1)).toBe(3);
  });
});

describe('touchesRange', () => {
  it('sees a removed line inside the range, and an insertion between two of its lines', () => {
    const a = file('src/a.ts');
    expect(touchesRange(a, 3, 5)).toBe(true);
    expect(touchesRange(a, 1, 2)).toBe(true); // "inserted" went between old lines 1 and 2
    expect(touchesRange(a, 2, 3)).toBe(false);
    expect(touchesRange(a, 5, 9)).toBe(false);
  });
});

describe('mergeIncremental', () => {
  const previous = review({
    summary: 'Earlier summary.',
    findings: [
      finding('kept-moved', 'src/a.ts', 5),
      finding('dropped-changed', 'src/a.ts', 4),
      finding('renamed', 'old/name.ts', 1),
      finding('deleted', 'gone.ts', 1),
      finding('untouched', 'lib/other.ts', 7, 9),
    ],
    coverage: [
      { path: 'src/a.ts', coverage: 'full' },
      { path: 'lib/other.ts', coverage: 'full' },
      { path: 'gone.ts', coverage: 'full' },
    ],
    walkthrough: [
      { path: 'src/a.ts', summary: 'old a' },
      { path: 'lib/other.ts', summary: 'other' },
    ],
    risks: ['old risk'],
  });
  const increment = review({
    summary: 'New summary.',
    findings: [finding('new', 'src/a.ts', 2)],
    coverage: [
      { path: 'src/a.ts', coverage: 'full' },
      { path: 'new/name.ts', coverage: 'full' },
      { path: 'gone.ts', coverage: 'skipped', reason: 'deleted file: no new lines to review' },
    ],
    walkthrough: [{ path: 'src/a.ts', summary: 'new a' }],
    risks: ['new risk'],
  });
  const merged = mergeIncremental({ previous, previousHead: 'a'.repeat(40), increment, headSha: 'b'.repeat(40), compare: COMPARE });

  it('keeps untouched findings re-anchored, drops findings on changed lines and deleted files', () => {
    const byId = new Map(merged.findings.map((f) => [f.id, f]));
    expect([...byId.keys()].sort()).toEqual(['kept-moved', 'new', 'renamed', 'untouched']);
    expect(byId.get('kept-moved')!.line).toBe(6);
    expect(byId.get('renamed')).toMatchObject({ file: 'new/name.ts', line: 3 });
    expect(byId.get('untouched')).toMatchObject({ file: 'lib/other.ts', line: 7, endLine: 9 });
    expect(merged.incremental).toMatchObject({ kept: 3, dropped: 2, baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40) });
  });

  it('says per file at which commit it was reviewed', () => {
    const at = Object.fromEntries(merged.coverage.map((c) => [c.path, c.commit]));
    expect(at).toEqual({ 'src/a.ts': 'b'.repeat(40), 'new/name.ts': 'b'.repeat(40), 'gone.ts': 'b'.repeat(40), 'lib/other.ts': 'a'.repeat(40) });
    expect(merged.notes?.[0]).toContain('3 files reviewed at bbbbbbb');
    expect(merged.notes?.[0]).toContain('1 kept from the review at aaaaaaa');
    expect(merged.notes?.[1]).toContain('3 earlier findings kept');
  });

  it('replaces the walkthrough rows of changed files and keeps both summaries and risks', () => {
    expect(merged.walkthrough).toEqual([
      { path: 'src/a.ts', summary: 'new a' },
      { path: 'lib/other.ts', summary: 'other' },
    ]);
    expect(merged.summary).toContain('Earlier summary.');
    expect(merged.summary).toContain('New summary.');
    expect(merged.risks).toEqual(['new risk', 'old risk']);
  });

  it('a finding spanning a changed line is dropped, one beside it moves', () => {
    const map = new Map(COMPARE.map((f) => [f.oldPath ?? f.path, f]));
    expect(reanchorFinding(finding('span', 'src/a.ts', 3, 5), map)).toBeNull();
    expect(reanchorFinding(finding('beside', 'src/a.ts', 7, 8), map)).toMatchObject({ line: 8, endLine: 9 });
  });
});

describe('completeReview', () => {
  it('merges only when the compare diff came, and puts the request notes first', async () => {
    const { completeReview } = await import('./incremental');
    const previous = review({ findings: [finding('old', 'lib/x.ts', 1)] });
    const increment = review({ findings: [finding('new', 'src/a.ts', 2)], notes: ['from the run'] });
    const diff = { ref: { headSha: 'b'.repeat(40) } };
    expect(completeReview(increment, { diff, incremental: { baseSha: 'a'.repeat(40), previous, compare: COMPARE } }).findings.map((f) => f.id)).toEqual(['new', 'old']);
    const fellBack = completeReview(increment, { diff, notes: ['Reviewed the whole pull request: gone.'] });
    expect(fellBack.findings.map((f) => f.id)).toEqual(['new']);
    expect(fellBack.notes).toEqual(['Reviewed the whole pull request: gone.', 'from the run']);
  });
});
