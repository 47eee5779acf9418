import { describe, expect, it } from 'vitest';
import { prepareReviewRequest, type FetchText } from './incremental-request';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { makeDiff, makeFile } from '../review/testing/diff-builder';
import type { ReviewRequest } from '../protocol';
import type { Review } from '../model/review';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
const COMPARE = 'diff --git a/x.ts b/x.ts\n--- a/x.ts\n+++ b/x.ts\n@@ -1 +1,2 @@\n one\n+two\n';
const previous = { summary: 'old', findings: [] } as unknown as Review;
const pageDiff = makeDiff([makeFile('x.ts', [['+two'], ['+three']])]);
const request = (headSha?: string): ReviewRequest => ({
  diff: { ...pageDiff, ref: { owner: 'o', repo: 'r', number: 1, ...(headSha ? { headSha } : {}) } },
  settings: { ...DEFAULT_SETTINGS, engine: 'scripted', modelId: 'scripted' },
  incremental: { baseSha: OLD, previous },
});
const serve =
  (table: Record<string, { status: number; text?: string }>): FetchText & { asked: string[] } => {
    const asked: string[] = [];
    const fn = async (url: string) => {
      asked.push(url);
      return table[url] ?? { status: 404 };
    };
    return Object.assign(fn, { asked });
  };

describe('prepareReviewRequest', () => {
  it('swaps in the compare diff of the new commits when the old head is an ancestor', async () => {
    const fetchText = serve({
      [`https://github.com/o/r/compare/${OLD}...${NEW}.diff`]: { status: 200, text: COMPARE },
      [`https://github.com/o/r/compare/${OLD}..${NEW}.diff`]: { status: 200, text: COMPARE },
    });
    const prepared = await prepareReviewRequest(request(NEW), fetchText);
    expect(prepared.diff.files.map((f) => f.hunks.flatMap((h) => h.lines.map((l) => l.text)))).toEqual([['one', 'two']]);
    expect(prepared.diff.ref).toMatchObject({ headSha: NEW, baseSha: OLD });
    expect(prepared.incremental?.compare).toHaveLength(1);
    expect(prepared.notes).toBeUndefined();
  });

  it('falls back to the page diff and a note when the old head is gone, or the head is unknown', async () => {
    const gone = await prepareReviewRequest(request(NEW), serve({}));
    expect(gone.incremental).toBeUndefined();
    expect(gone.diff).toEqual(request(NEW).diff);
    expect(gone.notes?.[0]).toMatch(/^Reviewed the whole pull request: the reviewed commit aaaaaaa is no longer part of this pull request \(force-push or rebase\): GitHub answered 404/);
    const noHead = serve({});
    const unknown = await prepareReviewRequest(request(), noHead);
    expect(unknown.incremental).toBeUndefined();
    expect(noHead.asked).toEqual([]);
    expect(unknown.notes?.[0]).toContain('head commit is not known');
  });

  it('leaves a full review alone', async () => {
    const fetchText = serve({});
    const { incremental: _, ...full } = request(NEW);
    expect(await prepareReviewRequest(full, fetchText)).toBe(full);
    expect(fetchText.asked).toEqual([]);
  });
});
