// The network is the only double: `fetch` answers from a table of GitHub URLs (no github.com here).
import { describe, expect, it } from 'vitest';
import type { FollowUpRequest, PageDiff, ReviewRequest } from '../protocol';
import type { Review } from '../model/review';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { createDiffCompleter } from './diff-completer';
import { createPreparation } from './request-preparation';
import type { FetchedText } from '../github/compare-diff';
import { makeReview } from '../model/testing/reviews';

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
const PR_DIFF = 'https://github.com/o/r/pull/1.diff';
const COMPARE = 'diff --git a/x.ts b/x.ts\n--- a/x.ts\n+++ b/x.ts\n@@ -1 +1,2 @@\n one\n+two\n';
const FULL = `${COMPARE}diff --git a/late.ts b/late.ts\nnew file mode 100644\n--- /dev/null\n+++ b/late.ts\n@@ -0,0 +1 @@\n+export const late = 1;\n`;
const previous: Review = makeReview({ summary: 'old' });

/** The Conversation tab's diff: nothing on the page, everything to fetch. */
const pageDiff: PageDiff = {
  ref: { owner: 'o', repo: 'r', number: 1, headSha: NEW },
  files: [],
  missing: [],
  completion: { scope: { kind: 'pr-conversation' }, need: { complete: false, paths: [], unlistedFiles: true }, pageReason: 'This tab shows no diff.' },
};
const settings = { ...DEFAULT_SETTINGS, engine: 'scripted' as const, modelId: 'scripted' };

function network(table: Record<string, string>) {
  const asked: string[] = [];
  const fetchFn = async (url: string) => {
    asked.push(url);
    return url in table ? new Response(table[url]) : new Response('not found', { status: 404 });
  };
  const fetchText = async (url: string): Promise<FetchedText> => {
    const response = await fetchFn(url);
    return response.ok ? { status: response.status, text: await response.text() } : { status: response.status };
  };
  return { asked, fetchFn, fetchText };
}

const paths = (request: { diff: PageDiff }) => request.diff.files.map((f) => f.path);

describe('preparing requests for the engine host', () => {
  it('an incremental review takes the compare diff of the new commits and fetches nothing else', async () => {
    const net = network({ [`https://github.com/o/r/compare/${OLD}...${NEW}.diff`]: COMPARE, [`https://github.com/o/r/compare/${OLD}..${NEW}.diff`]: COMPARE });
    const request: ReviewRequest = { diff: pageDiff, settings, incremental: { baseSha: OLD, previous } };
    const prepared = await createPreparation(createDiffCompleter(net.fetchFn), net.fetchText).review(request);
    if (!prepared.ok) throw new Error(prepared.failure.message);
    expect(paths(prepared.request)).toEqual(['x.ts']);
    expect(net.asked).not.toContain(PR_DIFF);
  });

  it('an incremental review that falls back to a full one reviews the whole PR, completed from its .diff, and says why', async () => {
    const net = network({ [PR_DIFF]: FULL });
    const request: ReviewRequest = { diff: pageDiff, settings, incremental: { baseSha: OLD, previous } };
    const prepared = await createPreparation(createDiffCompleter(net.fetchFn), net.fetchText).review(request);
    if (!prepared.ok) throw new Error(prepared.failure.message);
    expect(paths(prepared.request)).toEqual(['x.ts', 'late.ts']);
    expect(prepared.request.incremental).toBeUndefined();
    expect(prepared.request.notes?.[0]).toMatch(/^Reviewed the whole pull request: /);
  });

  it("a follow-up question gets the whole diff too, reusing the review's fetch", async () => {
    const net = network({ [PR_DIFF]: FULL });
    const preparation = createPreparation(createDiffCompleter(net.fetchFn), net.fetchText);
    await preparation.review({ diff: pageDiff, settings });
    const question: FollowUpRequest = { question: 'What does late.ts export?', review: { summary: 's' }, diff: pageDiff, settings };
    const prepared = await preparation.followUp(question);
    if (!prepared.ok) throw new Error(prepared.failure.message);
    expect(paths(prepared.request)).toEqual(['x.ts', 'late.ts']);
    expect(net.asked).toEqual([PR_DIFF]);
  });

  it('a review whose diff cannot be had anywhere fails with the reason, and is not sent on', async () => {
    const net = network({});
    const prepared = await createPreparation(createDiffCompleter(net.fetchFn), net.fetchText).review({ diff: pageDiff, settings });
    expect(prepared).toMatchObject({ ok: false, failure: { code: 'no-diff', message: expect.stringContaining('This tab shows no diff. GitHub answered 404 for the diff.') } });
  });
});
