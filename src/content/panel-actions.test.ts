/** The panel's actions on GitHub's page: copy, Markdown, insert into comment, jump to a finding. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { finding, openPullRequest, review } from './testing/pull-request';
import { press, until } from './testing/github-page';

afterEach(() => vi.unstubAllGlobals());

const MARKDOWN = '## Review\n\nRenames a cat.';

describe('panel actions', () => {
  it('makes the Markdown as soon as the review is done, so Copy needs no round trip', async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    await until(() => expect(pr.ext.sent('reviews/markdown')).toHaveLength(1));
    expect(pr.ext.sent('reviews/markdown')[0]).toMatchObject({ dismissedIds: [], modelName: 'tiny-coder' });
    press(pr.find('copy-markdown'));
    await until(() => expect(pr.find('action-status')?.textContent).toBe('The review (Markdown) copied.'));
    expect(pr.page.clipboard).toEqual([MARKDOWN]);
    expect(pr.ext.sent('reviews/markdown')).toHaveLength(1);
  });

  it('says when the review could not be turned into Markdown', async () => {
    const pr = await openPullRequest((ext) => ext.answer('reviews/markdown', () => Promise.reject(new Error('background restarted'))));
    await pr.reviewed();
    await until(() => expect(pr.find('action-status')?.textContent).toBe('The review could not be turned into Markdown: background restarted'));
    expect(pr.page.clipboard).toEqual([]);
  });

  it('inserts the review into the comment box, never posting it', async () => {
    const pr = await openPullRequest();
    pr.page.document.body.insertAdjacentHTML('beforeend', '<form><textarea id="new_comment_field" name="comment[body]"></textarea></form>');
    await pr.reviewed();
    press(pr.find('insert-comment'));
    await until(() => expect(pr.find('action-status')?.textContent).toBe('Inserted into the comment box. Nothing is posted until you press Comment.'));
    expect(pr.page.document.querySelector('textarea')?.value).toBe(MARKDOWN);
  });

  it('without a comment box on the page, says where to find one and offers Copy instead', async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    press(pr.find('insert-comment'));
    await until(() => expect(pr.find('action-status')?.textContent).toContain('There is no comment box on this page.'));
    press(pr.find('insert-copy-instead'));
    await until(() => expect(pr.page.clipboard).toEqual([MARKDOWN]));
  });

  it("jumps to a finding's line on the page", async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    press(pr.find('finding-link'));
    await until(() => expect(pr.page.document.querySelector('tr[data-lpr-flash]')).not.toBeNull());
    expect(pr.page.document.querySelector('tr[data-lpr-flash]')?.getAttribute('data-scrolled-into-view')).toBe('true');
  });

  it('opens a file the page does not show in the Files tab, at its anchor', async () => {
    const pr = await openPullRequest();
    await pr.reviewed(review([finding({ file: 'src/elsewhere.js', line: 10 })]));
    press(pr.find('finding-link'));
    await until(() => expect(pr.find('action-status')?.textContent).toBe('Opening src/elsewhere.js in the Files changed tab; its marker shows once GitHub renders it.'));
    expect(pr.page.assigned).toHaveLength(1);
    expect(pr.page.assigned[0]).toMatch(/^https:\/\/github\.com\/OctoLinker\/testrepo\/pull\/1\/files#diff-[0-9a-f]{64}$/);
  });
});
