import { describe, expect, it } from 'vitest';
import { lostFailure } from './review-connection';

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
