/** The markers of the review shown, kept in line with the panel, on a saved GitHub page. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { finding, HEAD_SHA, openPullRequest, review } from './testing/pull-request';
import { press, until } from './testing/github-page';

afterEach(() => vi.unstubAllGlobals());

const markersOn = (document: Document) => [...document.querySelectorAll('[data-testid="finding-marker"]')];

describe('the review markers', () => {
  it('mark the findings of a finished review, leave dismissed ones out, and hide on request', async () => {
    const pr = await openPullRequest();
    await pr.reviewed(review([finding(), finding({ id: 'f2', line: 4, title: 'Second' })]));
    expect(markersOn(pr.page.document).map((m) => m.getAttribute('data-line'))).toEqual(['3', '4']);
    press(pr.panel()?.querySelectorAll('[data-testid="dismiss-finding"]')[1]);
    await until(() => expect(markersOn(pr.page.document)).toHaveLength(1));
    press(pr.find('markers-toggle'));
    await until(() => expect(markersOn(pr.page.document)).toHaveLength(0));
    expect(pr.find('markers-toggle')?.textContent).toBe('Show markers');
    press(pr.find('markers-toggle'));
    await until(() => expect(markersOn(pr.page.document)).toHaveLength(1));
  });

  it('show none for an outdated stored review (its lines may have moved)', async () => {
    const pr = await openPullRequest((ext) =>
      ext.answer('reviews/latest', () => ({ ok: true, value: { owner: 'OctoLinker', repo: 'testrepo', number: 1, headSha: HEAD_SHA, modelId: 'm', settingsHash: 'h', id: 'id', savedAt: 1, review: review(), outdated: true } })),
    );
    press(pr.button());
    await until(() => expect(pr.find('review-outdated')).not.toBeNull());
    expect(markersOn(pr.page.document)).toHaveLength(0);
  });

  it('a marker opens the closed panel at its finding', async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    press(pr.find('panel-close'));
    await until(() => expect(pr.panel()).toBeNull());
    press(markersOn(pr.page.document)[0]?.shadowRoot?.querySelector('[data-testid="marker-button"]'));
    await until(() => expect(pr.panel()?.querySelector('[data-finding-id="f1"]')?.getAttribute('data-scrolled-into-view')).toBe('true'));
  });

  it("come back when GitHub re-renders the diff's rows", async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    markersOn(pr.page.document)[0]?.remove();
    expect(markersOn(pr.page.document)).toHaveLength(0);
    await until(() => expect(markersOn(pr.page.document)).toHaveLength(1));
  });
});
