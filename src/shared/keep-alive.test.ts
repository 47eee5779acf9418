import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEEPALIVE_INTERVAL_MS, KeepAlive } from './keep-alive';

describe('KeepAlive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is silent while nothing holds it', () => {
    const ping = vi.fn();
    new KeepAlive(ping);
    vi.advanceTimersByTime(60_000);
    expect(ping).not.toHaveBeenCalled();
  });

  it('pings at once, then every interval, and stops when released', () => {
    const ping = vi.fn();
    const keepAlive = new KeepAlive(ping, 5_000);
    const release = keepAlive.hold();
    expect(ping).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(4_999);
    expect(ping).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(ping).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(40_000);
    expect(ping).toHaveBeenCalledTimes(10);
    release();
    expect(keepAlive.active).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(ping).toHaveBeenCalledTimes(10);
  });

  it('keeps one timer for overlapping work and runs until the last hold is released', () => {
    const ping = vi.fn();
    const keepAlive = new KeepAlive(ping, 5_000);
    const download = keepAlive.hold();
    const review = keepAlive.hold();
    expect(ping).toHaveBeenCalledTimes(1); // the second hold does not start a second timer
    vi.advanceTimersByTime(10_000);
    expect(ping).toHaveBeenCalledTimes(3);
    download();
    download(); // a second release of the same hold must not end the review's
    vi.advanceTimersByTime(10_000);
    expect(ping).toHaveBeenCalledTimes(5);
    expect(keepAlive.active).toBe(true);
    review();
    vi.advanceTimersByTime(10_000);
    expect(ping).toHaveBeenCalledTimes(5);
  });

  it('starts again for new work after going idle', () => {
    const ping = vi.fn();
    const keepAlive = new KeepAlive(ping, 5_000);
    keepAlive.hold()();
    vi.advanceTimersByTime(30_000);
    expect(ping).toHaveBeenCalledTimes(1);
    const release = keepAlive.hold();
    vi.advanceTimersByTime(5_000);
    expect(ping).toHaveBeenCalledTimes(3);
    release();
  });

  it('pings well inside Firefox\'s 30 s idle timeout, with room for a late tick', () => {
    expect(KEEPALIVE_INTERVAL_MS * 2).toBeLessThan(30_000);
  });
});
