import { afterEach, describe, expect, it, vi } from 'vitest';
import { lostFailure, ReviewConnection } from './review-connection';
import { REVIEW_PORT } from '../protocol';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { installFakeExtension } from './testing/fake-extension';

describe('a lost review connection', () => {
  it('while the extension still runs (its background was stopped) says Retry, never reload', () => {
    const failure = lostFailure('abcdefghijklmnop');
    expect(failure.retryable).toBe(true);
    expect(failure.nextStep).toBe('Retry to review again.');
    expect(`${failure.message} ${failure.nextStep}`).not.toMatch(/reload/i);
  });

  it('after the extension was reloaded or updated (no runtime id) says to reload the page', () => {
    expect(lostFailure(undefined).nextStep).toMatch(/^Reload this page/);
  });
});

describe('a review connection', () => {
  const messages: unknown[] = [];
  const lost: string[] = [];
  const connection = () => {
    messages.length = 0;
    lost.length = 0;
    return new ReviewConnection(
      (message) => messages.push(message),
      (failure) => lost.push(failure.nextStep ?? failure.message),
    );
  };
  const request = { diff: { ref: { owner: 'o', repo: 'r', number: 1 }, files: [], missing: [] }, settings: DEFAULT_SETTINGS };

  afterEach(() => vi.unstubAllGlobals());

  it('opens a review Port, sends the request, passes the answers on and closes after the last', () => {
    const ext = installFakeExtension();
    const c = connection();
    c.start(request);
    const port = ext.lastPort();
    expect(port.name).toBe(REVIEW_PORT);
    expect(port.posted).toEqual([{ kind: 'review/start', request }]);
    port.send({ kind: 'engine/ready', engine: 'wllama', modelId: 'm', reused: false });
    port.send({ kind: 'not/ours' });
    port.send({ kind: 'review/cancelled' });
    expect(messages).toEqual([{ kind: 'engine/ready', engine: 'wllama', modelId: 'm', reused: false }, { kind: 'review/cancelled' }]);
    expect(port.disconnected).toBe(true);
    expect(lost).toEqual([]);
  });

  it('keeps the background awake while the Port is open (Firefox stops an idle one)', () => {
    const ext = installFakeExtension();
    const c = connection();
    c.start(request);
    expect(ext.sent('keepalive')).toHaveLength(1);
    c.close();
  });

  it('asks the engine host to cancel, and a second review replaces the first Port', () => {
    const ext = installFakeExtension();
    const c = connection();
    c.start(request);
    const first = ext.lastPort();
    c.cancel();
    expect(first.posted.at(-1)).toEqual({ kind: 'review/cancel' });
    c.ask({ question: 'Why?', review: { summary: 's' }, diff: request.diff, settings: DEFAULT_SETTINGS });
    expect(first.disconnected).toBe(true);
    expect(ext.lastPort().posted[0]).toMatchObject({ kind: 'followup/start', request: { question: 'Why?' } });
    first.send({ kind: 'review/cancelled' }); // late answer on the old Port
    expect(messages).toEqual([]);
  });

  it('reports a background that stopped (Retry), and an extension reloaded under the page (reload)', () => {
    const ext = installFakeExtension();
    const c = connection();
    c.start(request);
    ext.lastPort().drop();
    expect(lost).toEqual(['Retry to review again.']);
    ext.invalidate();
    c.start(request);
    expect(lost).toEqual(['Retry to review again.', 'Reload this page, then review again.']);
  });
});
