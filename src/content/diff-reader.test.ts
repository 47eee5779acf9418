import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { detectPage } from '../github/page-detect';
import { parseUnifiedDiff } from '../github/diff-text';
import { REASONS } from '../github/extract';
import { readPullRequestDiff } from './diff-reader';

// Saved GitHub pages (e2e/fixtures/github, see SOURCES.md), read with linkedom: no browser needed.
const FIXTURES = new URL('../../e2e/fixtures/github/', import.meta.url);
const text = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const page = (html: string) => parseHTML(html).document;

async function read(html: string, url: string) {
  const info = detectPage(url);
  if (!info) throw new Error(`not a PR page: ${url}`);
  return readPullRequestDiff(page(html), url, info);
}

function mustDiff(result: Awaited<ReturnType<typeof readPullRequestDiff>>) {
  if ('failure' in result) throw new Error(result.failure.message);
  return result.diff;
}

describe('reading the diff a review starts from', () => {
  it('a page that shows the whole diff is sent as it is, with nothing left to fetch', async () => {
    const diff = mustDiff(await read(text('OctoLinker__pull-diff_testrepo-1.html'), 'https://github.com/OctoLinker/testrepo/pull/1/files'));
    expect(diff.files.map((f) => f.path)).toEqual(parseUnifiedDiff(text('OctoLinker__pull-diff_testrepo-1.expected.diff')).map((f) => f.path));
    expect(diff.completion).toBeUndefined();
  });

  it("a page with files behind \"Load diff\" and a loader says what the background must fetch, once, on the diff", async () => {
    const url = 'https://github.com/octo/constructed/pull/7/files';
    const diff = mustDiff(await read(text('constructed/classic-statuses_unified.html'), url));
    // What the page shows is kept as shown.
    const shown = parseUnifiedDiff(text('constructed/classic-statuses_unified.expected.diff')).filter((f) => f.hunks.length > 0).map((f) => f.path);
    expect(diff.files.filter((f) => f.hunks.length > 0).map((f) => f.path)).toEqual(shown);
    expect(diff.completion).toEqual({ scope: { kind: 'pr-files' }, need: { complete: false, paths: ['data/huge.json'], unlistedFiles: true } });
    // A range view asks for that range only.
    const range = mustDiff(await read(text('constructed/classic-statuses_unified.html'), `${url}/0123abc..89defab`));
    expect(range.completion?.scope).toEqual({ kind: 'pr-files', range: '0123abc..89defab' });
  });

  it('the Conversation tab sends no review-thread snippets: the whole diff is to be fetched, and why', async () => {
    const diff = mustDiff(await read(text('OctoLinker__pull-comments_testrepo-1.html'), 'https://github.com/OctoLinker/testrepo/pull/1'));
    expect(diff).toEqual({
      ref: { owner: 'OctoLinker', repo: 'testrepo', number: 1 },
      files: [],
      missing: [],
      completion: { scope: { kind: 'pr-conversation' }, need: { complete: false, paths: [], unlistedFiles: true }, pageReason: 'This tab shows no diff.' },
    });
  });

  it('a Files page whose markup cannot be read hands the reason on, for the message shown if the fetch fails too', async () => {
    const garbage = '<html><body><div id="files"><table class="diff-table"><tr><td>garbage</td></tr></table></div></body></html>';
    const diff = mustDiff(await read(garbage, 'https://github.com/OctoLinker/testrepo/pull/9/files'));
    expect(diff.files).toEqual([]);
    expect(diff.completion?.pageReason).toBe(REASONS.unreadable);
  });
});
