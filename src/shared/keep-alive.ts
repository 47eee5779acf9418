/**
 * Keeps the extension's background awake while work the user waits on is in flight.
 *
 * Firefox runs the MV3 background as an event page and stops it after 30 s
 * (`extensions.background.idle.timeout`) without an incoming event; an open runtime Port does
 * not count. In Firefox that page is also the engine host, so stopping it would cut a model
 * download, a load or a review off. While at least one piece of work holds the keep-alive, it
 * sends a cheap runtime event every few seconds; when the last hold is released it stops, so
 * the page may stop when idle. Tiny on purpose: the content script carries it.
 */

/** Well under Firefox's 30 s idle timeout, so one late tick (a busy or throttled tab) is harmless. */
export const KEEPALIVE_INTERVAL_MS = 5_000;

export interface KeepAliveTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

export class KeepAlive {
  private holds = 0;
  private timer: unknown = null;

  constructor(
    private readonly ping: () => void,
    private readonly intervalMs: number = KEEPALIVE_INTERVAL_MS,
    private readonly timers: KeepAliveTimers = globalThis,
  ) {}

  /** Starts pinging (at once, then every interval) until every hold is released. Returns the release. */
  hold(): () => void {
    let released = false;
    if (this.holds++ === 0) {
      this.ping();
      this.timer = this.timers.setInterval(() => this.ping(), this.intervalMs);
    }
    return () => {
      if (released) return; // releasing twice must not drop someone else's hold
      released = true;
      if (--this.holds === 0) {
        this.timers.clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  get active(): boolean {
    return this.holds > 0;
  }
}
