/**
 * The conductor on a saved GitHub page: one Local review button on PR pages, the keyboard
 * command, soft navigation between PRs and away, and nothing left behind when it stops.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPullRequest, PR_URL } from './testing/pull-request';
import { ours, press, settle, until } from './testing/github-page';

afterEach(() => vi.unstubAllGlobals());

/** Our elements on the page (the markers' page style stays: it is inert without markers). */
const hosts = (document: Document) => [...document.querySelectorAll('[data-local-pr-review]:not(style)')].map((el) => el.getAttribute('data-local-pr-review'));

describe('the page controller', () => {
  it('puts one Local review button in the PR header, and it opens and closes the panel', async () => {
    const pr = await openPullRequest();
    expect(hosts(pr.page.document)).toEqual(['button']);
    expect(pr.page.document.querySelector('[data-local-pr-review="button"]')?.closest('.gh-header-actions, .pr-review-tools')).not.toBeNull();
    expect(pr.button()?.textContent).toBe('Local review');
    pr.page.navigate(PR_URL); // a soft navigation to the same PR: still one button
    await settle();
    expect(hosts(pr.page.document)).toEqual(['button']);
    await pr.reviewed();
    expect(hosts(pr.page.document)).toEqual(['button', 'marker', 'panel']);
    press(pr.button());
    await until(() => expect(pr.panel()).toBeNull());
    expect(hosts(pr.page.document)).toEqual(['button', 'marker']);
  });

  it('opens the panel and reviews on the keyboard command from the background', async () => {
    const pr = await openPullRequest();
    pr.ext.sendToTab({ kind: 'command/start-review' });
    await until(() => expect(pr.ext.ports).toHaveLength(1));
    expect(pr.panel()).not.toBeNull();
    pr.ext.sendToTab({ kind: 'something/else' });
    await settle();
    expect(pr.ext.ports).toHaveLength(1);
  });

  it('leaving the PR removes the button, the panel and the markers', async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    pr.page.navigate('https://github.com/OctoLinker/testrepo/issues/2');
    await settle();
    expect(hosts(pr.page.document)).toEqual([]);
  });

  it('leaving the PR during a review cancels it (its Port closes)', async () => {
    const pr = await openPullRequest();
    const port = await pr.startReview();
    pr.page.navigate('https://github.com/OctoLinker/testrepo/pulls');
    await settle();
    expect(port.disconnected).toBe(true);
    expect(hosts(pr.page.document)).toEqual([]);
  });

  it('another PR gets a fresh panel', async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    pr.page.navigate('https://github.com/OctoLinker/testrepo/pull/2/files');
    await settle();
    expect(hosts(pr.page.document)).toEqual(['button']);
    press(pr.button());
    await until(() => expect(pr.phase()).not.toBeNull());
    expect(pr.phase()).not.toBe('done');
    expect(pr.panel()?.textContent).toContain('Review of #2');
  });

  it('stopping removes every trace and stops listening', async () => {
    const pr = await openPullRequest();
    press(pr.button());
    await until(() => expect(pr.panel()).not.toBeNull());
    pr.stop.abort();
    expect(hosts(pr.page.document)).toEqual([]);
    pr.ext.sendToTab({ kind: 'command/start-review' });
    pr.page.navigate(PR_URL);
    await settle(450); // one URL poll
    expect(hosts(pr.page.document)).toEqual([]);
    expect(ours(pr.page.document, 'panel')).toBeNull();
  });
});
