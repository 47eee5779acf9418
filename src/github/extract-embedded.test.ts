/**
 * The React pages' embedded JSON is GitHub's internal business: these check that odd shapes are
 * skipped (never thrown on) and that what is readable is still read.
 */
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { readEmbedded } from './extract-embedded';

const script = (data: unknown): string => `<script type="application/json" data-target="react-app.embeddedData">${JSON.stringify(data)}</script>`;
const page = (...scripts: string[]): Document => parseHTML(`<!DOCTYPE html><html><body>${scripts.join('')}</body></html>`).document;

const HEAD = 'a'.repeat(40);

describe('readEmbedded', () => {
  it('skips lists that are not lists and entries that are not objects, and reads the rest', () => {
    const doc = page(
      script({
        payload: {
          pullRequestsChangesRoute: {
            diffSummaries: 'not a list',
            diffEntryData: { path: 'an object, not a list' },
            diffContents: [null, 7, 'x', { path: 'src/a.ts', pathDigest: 'd1', linesAdded: 2, linesDeleted: 1 }],
            comparison: { fullDiff: { headOid: HEAD } },
          },
        },
      }),
    );
    const out = readEmbedded(doc);
    expect(out.files.map((f) => [f.path, f.digest, f.additions, f.deletions])).toEqual([['src/a.ts', 'd1', 2, 1]]);
    expect(out.headSha).toBe(HEAD);
  });

  it('merges what two scripts say about the same file into one entry', () => {
    const doc = page(
      script({ payload: { route: { diffSummaries: [{ path: 'src/a.ts', pathDigest: 'd1', linesAdded: 3 }] } } }),
      script({ payload: { route: { diffContents: [{ path: 'src/a.ts', pathDigest: 'd1', status: 'MODIFIED', linesDeleted: 4 }] } } }),
    );
    expect(readEmbedded(doc).files).toEqual([
      { path: 'src/a.ts', digest: 'd1', status: 'modified', hunks: null, binary: false, tooLarge: false, additions: 3, deletions: 4 },
    ]);
  });

  it('reads a root without getElementsByTagName (a DocumentFragment in browsers) through its selector', () => {
    const doc = page();
    const fragment = doc.createDocumentFragment();
    // linkedom's fragments have the method; browsers' do not.
    Object.defineProperty(fragment, 'getElementsByTagName', { value: undefined });
    const holder = doc.createElement('div');
    holder.innerHTML = script({ payload: { route: { diffSummaries: [{ path: 'b.txt' }] } } });
    fragment.append(holder);
    expect(readEmbedded(fragment).files.map((f) => f.path)).toEqual(['b.txt']);
  });

  it('gives an empty result for data that is not JSON or not an object', () => {
    const doc = parseHTML(
      '<html><body><script data-target="react-app.embeddedData">{not json</script><script data-target="react-app.embeddedData">[1,2]</script></body></html>',
    ).document;
    expect(readEmbedded(doc)).toEqual({ files: [], moreToLoad: false });
  });
});
