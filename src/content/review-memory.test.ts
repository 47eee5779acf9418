/**
 * Review memory and dismissals, as the user meets them: a stored review is on show when the panel
 * opens, a finished review is kept, dismissing a finding is remembered (storage.local) and undone.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dismissalKey } from '../shared/dismissals';
import { finding, HEAD_SHA, openPullRequest, review, SETTINGS } from './testing/pull-request';
import { press, settle, until } from './testing/github-page';
import type { FakeExtension } from './testing/fake-extension';

afterEach(() => vi.unstubAllGlobals());

const TARGET = { owner: 'OctoLinker', repo: 'testrepo', number: 1, headSha: HEAD_SHA };
const stored = (outdated = false) => (ext: FakeExtension) =>
  ext.answer('reviews/latest', () => ({
    ok: true,
    value: { owner: 'OctoLinker', repo: 'testrepo', number: 1, headSha: HEAD_SHA, modelId: 'tiny-coder', settingsHash: 'h', id: 'id', savedAt: 1_700_000_000_000, review: review([finding(), finding({ id: 'f2', title: 'Second', line: 4 })]), outdated },
  }));

describe('review memory', () => {
  it('shows the stored review with its dismissals when the panel opens, without reviewing again', async () => {
    const pr = await openPullRequest((ext) => {
      stored()(ext);
      ext.storage.set(dismissalKey(TARGET), { ids: ['f2'], updatedAt: 1 });
    });
    press(pr.button());
    await until(() => expect(pr.phase()).toBe('done'));
    expect(pr.find('review-saved')).not.toBeNull();
    expect(pr.find('toggle-dismissed')?.textContent).toContain('1 dismissed');
    expect(pr.panel()?.querySelectorAll('[data-testid="dismiss-finding"]')).toHaveLength(1);
    expect(pr.ext.ports).toHaveLength(0);
    expect(pr.ext.sent('reviews/save')).toHaveLength(0);
  });

  it('keeps a finished review for later, under the head commit and model it was made with', async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    await until(() => expect(pr.ext.sent('reviews/save')).toHaveLength(1));
    const [save] = pr.ext.sent('reviews/save');
    expect(save?.key).toMatchObject({ owner: 'OctoLinker', repo: 'testrepo', number: 1, modelId: SETTINGS.modelId });
    expect(save?.key.headSha).toMatch(/^[0-9a-f]{40}$/);
    expect(save?.review.summary).toBe('Renames a cat.');
  });

  it('says when a finished review could not be kept', async () => {
    const pr = await openPullRequest((ext) => ext.answer('reviews/save', () => ({ ok: false, message: 'storage is full' })));
    await pr.reviewed();
    await until(() => expect(pr.find('action-status')?.textContent).toBe('The review could not be kept for later: storage is full'));
    expect(pr.phase()).toBe('done');
  });

  it('remembers a dismissal for the head commit, and Undo brings the finding back', async () => {
    const pr = await openPullRequest(stored());
    press(pr.button());
    await until(() => expect(pr.phase()).toBe('done'));
    press(pr.find('dismiss-finding'));
    await until(() => expect(pr.find('action-status')?.textContent).toBe('Dismissed: Kitt is not a cat name'));
    expect(pr.ext.storage.get(dismissalKey(TARGET))).toMatchObject({ ids: ['f1'] });
    press(pr.find('toggle-dismissed'));
    await settle();
    press(pr.find('undo-dismiss'));
    await until(() => expect(pr.find('action-status')?.textContent).toBe('Restored: Kitt is not a cat name'));
    expect(pr.ext.storage.has(dismissalKey(TARGET))).toBe(false);
  });

  it('says why a dismissal could not be saved, and keeps the finding', async () => {
    const pr = await openPullRequest(stored());
    press(pr.button());
    await until(() => expect(pr.phase()).toBe('done'));
    pr.ext.failStorage('QUOTA_BYTES quota exceeded');
    press(pr.find('dismiss-finding'));
    await until(() => expect(pr.find('action-status')?.textContent).toBe('Could not save the dismissal: QUOTA_BYTES quota exceeded'));
    expect(pr.find('toggle-dismissed')).toBeNull();
  });
});
