// The network is the only double here: `fetch` answers from a table of GitHub URLs (a unit test
// cannot reach github.com); parsing, merging and the notes are the real code.
import { describe, expect, it } from 'vitest';
import type { PullRequestDiff } from '../model/diff';
import type { DiffCompletion, PageDiff } from '../protocol';
import { parseUnifiedDiff } from '../github/diff-text';
import { completionNeed } from '../github/diff-completion';
import { createDiffCompleter, type FetchLike } from './diff-completer';

const ENDPOINT = `diff --git a/a.ts b/a.ts
--- a/a.ts
+++ b/a.ts
@@ -1,2 +1,2 @@
 keep
-old
+new
diff --git a/big.json b/big.json
new file mode 100644
--- /dev/null
+++ b/big.json
@@ -0,0 +1,2 @@
+{
+}
diff --git a/later.ts b/later.ts
--- a/later.ts
+++ b/later.ts
@@ -3 +3 @@
-x
+y
`;

const PR_DIFF = 'https://github.com/o/r/pull/5.diff';
const REST = (page: number) => `https://api.github.com/repos/o/r/pulls/5/files?per_page=100&page=${page}`;

type Answer = { status?: number; body?: string; link?: string } | Error;

/** A fake network: each URL gets its answer; every request is recorded with its credentials mode. */
function network(table: Record<string, Answer>) {
  const asked: Array<{ url: string; credentials: RequestCredentials | undefined }> = [];
  const fetchFn: FetchLike = async (url, init) => {
    asked.push({ url, credentials: init.credentials });
    const answer = table[url] ?? { status: 404, body: 'not found' };
    if (answer instanceof Error) throw answer;
    return new Response(answer.body ?? '', { status: answer.status ?? 200, headers: answer.link ? { link: answer.link } : {} });
  };
  return { fetchFn, asked };
}

/** What the content script sends for the Files tab of PR 5: one file shown, one behind "Load diff", more still loading. */
function pageDiff(scope: DiffCompletion['scope'] = { kind: 'pr-files' }): PageDiff {
  const [a] = parseUnifiedDiff(ENDPOINT, 'classic-dom');
  const diff: PullRequestDiff = {
    ref: { owner: 'o', repo: 'r', number: 5 },
    files: [a!, { path: 'big.json', status: 'not-loaded', hunks: [], source: 'classic-dom' }],
    missing: [
      { path: 'big.json', reason: 'GitHub did not load this diff ("Load diff")' },
      { path: null, reason: 'more files were still loading on the page' },
    ],
  };
  return { ...diff, completion: { scope, need: completionNeed(diff) } };
}

/** What the Conversation tab sends: no diff on the page, everything to fetch. */
const conversation: PageDiff = {
  ref: { owner: 'o', repo: 'r', number: 5 },
  files: [],
  missing: [],
  completion: { scope: { kind: 'pr-conversation' }, need: { complete: false, paths: [], unlistedFiles: true }, pageReason: 'This tab shows no diff.' },
};

const lines = (diff: PullRequestDiff, path: string) => diff.files.find((f) => f.path === path)?.hunks.flatMap((h) => h.lines.map((l) => `${l.kind[0]}${l.text}`));

function mustDiff(result: Awaited<ReturnType<ReturnType<typeof createDiffCompleter>['complete']>>): PullRequestDiff {
  if (!result.ok) throw new Error(`expected a diff, got "${result.failure.message}"`);
  return result.diff;
}

describe('completing a page diff in the background', () => {
  it("fills the files the page did not load from the PR's .diff, fetched with the user's session", async () => {
    const net = network({ [PR_DIFF]: { body: ENDPOINT } });
    const diff = mustDiff(await createDiffCompleter(net.fetchFn).complete(pageDiff()));
    expect(net.asked).toEqual([{ url: PR_DIFF, credentials: 'include' }]);
    expect(diff.files.map((f) => f.path)).toEqual(['a.ts', 'big.json', 'later.ts']);
    expect(lines(diff, 'big.json')).toEqual(['a{', 'a}']);
    expect(diff.missing).toEqual([]);
    // The host gets a plain diff: the completion request stays in the background.
    expect('completion' in diff).toBe(false);
  });

  it('leaves a complete page diff alone and fetches nothing', async () => {
    const net = network({});
    const { completion: _, ...complete } = pageDiff();
    const diff = mustDiff(await createDiffCompleter(net.fetchFn).complete(complete));
    expect(diff).toEqual(complete);
    expect(net.asked).toEqual([]);
  });

  it('falls back to the REST file list, every page of it, when GitHub refuses a .diff this large', async () => {
    const restPage1 = [{ filename: 'a.ts', status: 'modified', additions: 1, deletions: 1, patch: '@@ -1,2 +1,2 @@\n keep\n-old\n+new' }, { filename: 'big.json', status: 'added', additions: 2, deletions: 0, patch: '@@ -0,0 +1,2 @@\n+{\n+}' }];
    const restPage2 = [{ filename: 'huge.sql', status: 'modified', additions: 90000, deletions: 0 }];
    const net = network({
      [PR_DIFF]: { status: 406, body: 'too large' },
      [REST(1)]: { body: JSON.stringify(restPage1), link: `<${REST(2)}>; rel="next"` },
      [REST(2)]: { body: JSON.stringify(restPage2) },
    });
    const diff = mustDiff(await createDiffCompleter(net.fetchFn).complete(pageDiff()));
    expect(net.asked.map((a) => a.url)).toEqual([PR_DIFF, REST(1), REST(2)]);
    // No cookies for the API: it does not use the web session.
    expect(net.asked[1]?.credentials).toBeUndefined();
    expect(lines(diff, 'big.json')).toEqual(['a{', 'a}']);
    expect(diff.files.find((f) => f.path === 'huge.sql')?.status).toBe('too-large');
    expect(diff.missing).toEqual([{ path: 'huge.sql', reason: 'the REST API gives no patch for this file (too large)' }]);
  });

  it('keeps the REST pages it got and says where the list stopped', async () => {
    const net = network({
      [PR_DIFF]: { status: 406 },
      [REST(1)]: { body: JSON.stringify([{ filename: 'big.json', status: 'added', additions: 1, deletions: 0, patch: '@@ -0,0 +1 @@\n+{}' }]), link: 'rel="next"' },
      [REST(2)]: { status: 403 },
    });
    const diff = mustDiff(await createDiffCompleter(net.fetchFn).complete(pageDiff()));
    expect(lines(diff, 'big.json')).toEqual(['a{}']);
    expect(diff.missing).toContainEqual({ path: null, reason: "file list stopped at page 2: GitHub's API answered 403." });
  });

  it('reviews what the page showed, with a note, when neither the .diff nor the REST list can be had', async () => {
    const net = network({ [PR_DIFF]: { status: 503 }, [REST(1)]: new TypeError('Failed to fetch') });
    const diff = mustDiff(await createDiffCompleter(net.fetchFn).complete(pageDiff()));
    expect(diff.files.map((f) => [f.path, f.status])).toEqual([['a.ts', 'modified'], ['big.json', 'not-loaded']]);
    expect(diff.missing).toEqual([...pageDiff().missing, { path: null, reason: 'the rest could not be fetched: GitHub answered 503 for the diff.' }]);
  });

  it('completes a range view from its compare .diff only (the REST list would bring in the whole PR)', async () => {
    const range = '0123abc..89defab';
    const net = network({ [`https://github.com/o/r/compare/${range}.diff`]: { status: 500 } });
    const diff = mustDiff(await createDiffCompleter(net.fetchFn).complete(pageDiff({ kind: 'pr-files', range })));
    expect(net.asked.map((a) => a.url)).toEqual([`https://github.com/o/r/compare/${range}.diff`]);
    expect(diff.missing.at(-1)).toEqual({ path: null, reason: 'the rest could not be fetched: GitHub answered 500 for the diff.' });
  });

  it('reads a tab that shows no diff from the .diff alone, and says why when it cannot', async () => {
    const served = mustDiff(await createDiffCompleter(network({ [PR_DIFF]: { body: ENDPOINT } }).fetchFn).complete(conversation));
    expect(served.files.map((f) => f.path)).toEqual(['a.ts', 'big.json', 'later.ts']);

    const refused = await createDiffCompleter(network({ [PR_DIFF]: { status: 500 }, [REST(1)]: { status: 500 } }).fetchFn).complete(conversation);
    expect(refused).toEqual({
      ok: false,
      failure: {
        code: 'no-diff',
        message: 'Could not read the diff. This tab shows no diff. GitHub answered 500 for the diff.',
        nextStep: 'Open the "Files changed" tab and try again.',
        retryable: true,
      },
    });

    const empty = await createDiffCompleter(network({ [PR_DIFF]: { body: '' } }).fetchFn).complete(conversation);
    expect(empty).toEqual({ ok: false, failure: { code: 'no-diff', message: 'This pull request has no changes to review.', retryable: false } });
  });

  it('lets a follow-up question reuse what the review fetched minutes ago; a review always fetches afresh', async () => {
    let clock = 0;
    const net = network({ [PR_DIFF]: { body: ENDPOINT } });
    const completer = createDiffCompleter(net.fetchFn, () => clock);
    await completer.complete(pageDiff());
    clock += 60_000;
    const followUp = mustDiff(await completer.complete(pageDiff(), { reuse: true }));
    expect(lines(followUp, 'big.json')).toEqual(['a{', 'a}']);
    expect(net.asked).toHaveLength(1);
    await completer.complete(pageDiff());
    expect(net.asked).toHaveLength(2);
    // The review's request named its head commit; the tab's own copy of the diff may not.
    const atHead = (headSha: string): PageDiff => ({ ...pageDiff(), ref: { ...pageDiff().ref, headSha } });
    await completer.complete(atHead('abc1234'));
    expect(net.asked).toHaveLength(3);
    await completer.complete(pageDiff(), { reuse: true });
    await completer.complete(atHead('abc1234'), { reuse: true });
    expect(net.asked).toHaveLength(3);
    // New commits since: fetched again.
    await completer.complete(atHead('fff9999'), { reuse: true });
    expect(net.asked).toHaveLength(4);
    clock += 11 * 60_000;
    await completer.complete(pageDiff(), { reuse: true });
    expect(net.asked).toHaveLength(5);
  });
});
