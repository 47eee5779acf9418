/** Follow-up questions under a finished review, as asked in the panel. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { finding, openPullRequest, type OpenPullRequest } from './testing/pull-request';
import { press, settle, until } from './testing/github-page';

afterEach(() => vi.unstubAllGlobals());

/** Types a question in the panel's box, about a finding or the whole PR, and sends it. */
async function ask(pr: OpenPullRequest, question: string, findingId = ''): Promise<void> {
  const view = pr.page.window;
  const about = pr.find('follow-up-about');
  const box = pr.find('follow-up-question');
  if (!about || !box || !('value' in box)) throw new Error('no question box');
  for (const option of about.querySelectorAll('option')) option.toggleAttribute('selected', option.getAttribute('value') === findingId);
  about.dispatchEvent(new view.Event('change', { bubbles: true }));
  box.value = question;
  box.dispatchEvent(new view.Event('input', { bubbles: true }));
  await settle(); // the panel takes the typed text in on its next render
  pr.find('follow-up-ask')?.closest('form')?.dispatchEvent(new view.Event('submit', { bubbles: true, cancelable: true }));
}

describe('follow-up questions', () => {
  it('asks about a finding on its own Port, streams the answer and keeps it with the review', async () => {
    const pr = await openPullRequest((ext) => ext.answer('reviews/follow-up', () => ({ ok: true, value: null })));
    const reviewPort = await pr.reviewed();
    await ask(pr, 'Why is this a bug?', 'f1');
    await until(() => expect(pr.ext.ports).toHaveLength(2));
    const port = pr.ext.lastPort();
    expect(port).not.toBe(reviewPort);
    expect(port.posted[0]).toMatchObject({ kind: 'followup/start', request: { question: 'Why is this a bug?', finding: finding(), review: { summary: 'Renames a cat.' } } });
    pr.send(port, { kind: 'review/event', event: { type: 'text', delta: 'Because ' } }, { kind: 'review/event', event: { type: 'text', delta: 'Kitt is a car.' } });
    await until(() => expect(pr.find('follow-up-stream')?.textContent).toBe('Because Kitt is a car.'));
    pr.send(port, { kind: 'followup/done', answer: 'Because Kitt is a car.' });
    await until(() => expect(pr.find('follow-up')?.textContent).toContain('Because Kitt is a car.'));
    expect(pr.find('follow-up-pending')).toBeNull();
    await until(() => expect(pr.ext.sent('reviews/follow-up')).toHaveLength(1));
    expect(pr.ext.sent('reviews/follow-up')[0]?.followUp).toMatchObject({ question: 'Why is this a bug?', findingId: 'f1', answer: 'Because Kitt is a car.' });
  });

  it('shows why an answer failed, keeping what streamed', async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    await ask(pr, 'Suggest a fix');
    await until(() => expect(pr.ext.ports).toHaveLength(2));
    const port = pr.ext.lastPort();
    expect(port.posted[0]).not.toHaveProperty('request.finding');
    pr.send(port, { kind: 'review/event', event: { type: 'text', delta: 'Rename it' } }, { kind: 'review/failed', failure: { code: 'load-failed', message: 'The model stopped.', retryable: true } });
    await until(() => expect(pr.find('follow-up-error')?.textContent).toBe('The model stopped.'));
    expect(pr.find('follow-up-stream')?.textContent).toBe('Rename it');
  });

  it('Cancel asks the engine host to stop the answer', async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    await ask(pr, 'Suggest a fix');
    await until(() => expect(pr.ext.ports).toHaveLength(2));
    const port = pr.ext.lastPort();
    press(pr.find('follow-up-cancel'));
    expect(port.posted.at(-1)).toEqual({ kind: 'review/cancel' });
    pr.send(port, { kind: 'review/cancelled' });
    await until(() => expect(pr.find('follow-up-error')?.textContent).toBe('Cancelled.'));
  });

  it('a new review drops the question being answered', async () => {
    const pr = await openPullRequest();
    await pr.reviewed();
    await ask(pr, 'Suggest a fix');
    await until(() => expect(pr.ext.ports).toHaveLength(2));
    const port = pr.ext.lastPort();
    press(pr.find('review-start')); // Re-run
    await until(() => expect(pr.ext.ports).toHaveLength(3));
    expect(port.disconnected).toBe(true);
    expect(pr.find('follow-up-pending')).toBeNull();
  });
});
