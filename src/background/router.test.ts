import { describe, expect, it } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { Router, HostUnavailableError, type HostLink } from './router';
import type { BackgroundToHost, HostToBackground, ReviewRequest } from '../protocol';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { createPreparation } from './request-preparation';
import { createDiffCompleter } from './diff-completer';

/** A Port double: the real one only exists inside a browser. */
function fakePort(tabId: number) {
  const sent: unknown[] = [];
  const messageListeners: Array<(m: unknown) => void> = [];
  const disconnectListeners: Array<() => void> = [];
  const port = {
    name: 'review',
    sender: { tab: { id: tabId } },
    postMessage: (m: unknown) => sent.push(m),
    disconnect: () => undefined,
    onMessage: { addListener: (l: (m: unknown) => void) => messageListeners.push(l) },
    onDisconnect: { addListener: (l: () => void) => disconnectListeners.push(l) },
  };
  return {
    port: port as unknown as Runtime.Port,
    sent,
    receive: (m: unknown) => messageListeners.forEach((l) => l(m)),
    close: () => disconnectListeners.forEach((l) => l()),
  };
}

function fakeHost(options: { failEnsure?: boolean } = {}) {
  const received: BackgroundToHost[] = [];
  let onMessage: (m: HostToBackground) => void = () => undefined;
  let onDisconnect: () => void = () => undefined;
  const link: HostLink = {
    ensure: async () => {
      if (options.failEnsure)
        throw new HostUnavailableError({ code: 'host-unavailable', message: 'The engine did not start in time.', retryable: true });
    },
    send: (m) => void received.push(m),
    onMessage: (l) => (onMessage = l),
    onDisconnect: (l) => (onDisconnect = l),
  };
  return { link, received, say: (m: HostToBackground) => onMessage(m), crash: () => onDisconnect() };
}

// A well-formed request: the router checks every message's shape (src/protocol-schema.ts).
const request: ReviewRequest = { diff: { ref: { owner: 'o', repo: 'r', number: 1 }, files: [], missing: [] }, settings: { ...DEFAULT_SETTINGS } };
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('router', () => {
  it('@adversarial answers a malformed message with a clear failure and starts nothing', async () => {
    const host = fakeHost();
    const router = new Router(host.link);
    const a = fakePort(1);
    router.acceptContentPort(a.port);
    a.receive({ kind: 'review/start', request: { diff: { ref: { owner: 'o', repo: 'r', number: 1 }, files: {}, missing: [] }, settings: DEFAULT_SETTINGS } });
    a.receive({ kind: 'review/explode' });
    await flush();
    expect(host.received).toEqual([]);
    expect(a.sent).toEqual([
      { kind: 'review/failed', failure: { code: 'bad-message', message: 'local-pr-review refused a malformed message (review/start: request.diff.files must be a list).', retryable: false } },
      { kind: 'review/failed', failure: { code: 'bad-message', message: 'local-pr-review refused a malformed message (unknown message kind "review/explode").', retryable: false } },
    ]);
  });

  it('sends each session only its own messages', async () => {
    const host = fakeHost();
    const router = new Router(host.link);
    const a = fakePort(1);
    const b = fakePort(2);
    router.acceptContentPort(a.port);
    router.acceptContentPort(b.port);
    a.receive({ kind: 'review/start', request });
    b.receive({ kind: 'review/start', request });
    await flush();
    const [startA, startB] = host.received;
    expect(startA?.kind).toBe('session/start');
    expect(startB?.kind).toBe('session/start');
    const sessionA = startA && 'session' in startA ? startA.session : '';
    host.say({ kind: 'session/message', session: sessionA, message: { kind: 'review/event', event: { type: 'text', delta: 'for A' } } });
    expect(a.sent).toEqual([{ kind: 'review/event', event: { type: 'text', delta: 'for A' } }]);
    expect(b.sent).toEqual([]);
  });

  it('cancels the session when its tab goes away', async () => {
    const host = fakeHost();
    const router = new Router(host.link);
    const a = fakePort(1);
    router.acceptContentPort(a.port);
    a.receive({ kind: 'review/start', request });
    await flush();
    a.close();
    expect(host.received.at(-1)).toMatchObject({ kind: 'session/cancel' });
  });

  it('tells running sessions, and only those, that the host crashed', async () => {
    const host = fakeHost();
    const router = new Router(host.link);
    const running = fakePort(1);
    const idle = fakePort(2);
    router.acceptContentPort(running.port);
    router.acceptContentPort(idle.port);
    running.receive({ kind: 'review/start', request });
    await flush();
    host.crash();
    expect(running.sent).toEqual([expect.objectContaining({ kind: 'review/failed', failure: expect.objectContaining({ code: 'host-crashed', retryable: true }) })]);
    expect(idle.sent).toEqual([]);
  });

  it('reports a host that cannot start as a retryable failure instead of hanging', async () => {
    const host = fakeHost({ failEnsure: true });
    const router = new Router(host.link);
    const a = fakePort(1);
    router.acceptContentPort(a.port);
    a.receive({ kind: 'review/start', request });
    await flush();
    expect(a.sent).toEqual([expect.objectContaining({ kind: 'review/failed', failure: expect.objectContaining({ code: 'host-unavailable', retryable: true }) })]);
    expect(host.received).toEqual([]);
  });

  it('ignores messages that are not part of the protocol', async () => {
    const host = fakeHost();
    const router = new Router(host.link);
    const a = fakePort(1);
    router.acceptContentPort(a.port);
    a.receive({ kind: 'evil/run', code: 'x' });
    a.receive('not even an object');
    await flush();
    expect(host.received).toEqual([]);
  });

  it('hands a review request to the background\'s preparation first, and routes a follow-up question as its own session kind', async () => {
    const host = fakeHost();
    const router = new Router(host.link, {
      review: async (r) => ({ ok: true, request: { ...r, notes: ['prepared'] } }),
      followUp: async (r) => ({ ok: true, request: r }),
    });
    const a = fakePort(1);
    router.acceptContentPort(a.port);
    a.receive({ kind: 'review/start', request });
    const b = fakePort(2);
    router.acceptContentPort(b.port);
    b.receive({ kind: 'followup/start', request: { question: 'why?', review: { summary: 's' }, diff: request.diff, settings: request.settings } });
    await flush();
    await flush();
    expect(host.received.map((m) => m.kind).sort()).toEqual(['session/followup', 'session/start']);
    const start = host.received.find((m) => m.kind === 'session/start');
    expect(start?.kind === 'session/start' && start.request.notes).toEqual(['prepared']);
    const followSession = host.received.find((m) => m.kind === 'session/followup')!.session;
    host.say({ kind: 'session/message', session: followSession, message: { kind: 'followup/done', answer: 'Because.' } });
    expect(b.sent).toEqual([{ kind: 'followup/done', answer: 'Because.' }]);
    expect(a.sent).toEqual([]);
  });

  it('tells the tab, and not the host, when its request cannot be prepared (no diff to be had)', async () => {
    const host = fakeHost();
    const failure = { code: 'no-diff' as const, message: 'Could not read the diff. This tab shows no diff. GitHub answered 404 for the diff.', retryable: true };
    const router = new Router(host.link, { review: async () => ({ ok: false, failure }), followUp: async () => ({ ok: false, failure }) });
    const a = fakePort(1);
    router.acceptContentPort(a.port);
    a.receive({ kind: 'review/start', request });
    await flush();
    await flush();
    expect(a.sent).toEqual([{ kind: 'review/failed', failure }]);
    expect(host.received).toEqual([]);
    // The session is not running: a host crash later tells this tab nothing more.
    host.crash();
    expect(a.sent).toHaveLength(1);
  });

  it("completes the page's diff on its way: the host gets the whole diff, the tab sent it once and gets nothing back but the review", async () => {
    const host = fakeHost();
    // The network is the double (no github.com here); the completion is the background's real code.
    const asked: string[] = [];
    const fetchFn = async (url: string) => {
      asked.push(url);
      return new Response('diff --git a/late.ts b/late.ts\nnew file mode 100644\n--- /dev/null\n+++ b/late.ts\n@@ -0,0 +1 @@\n+export const late = 1;\n');
    };
    const router = new Router(host.link, createPreparation(createDiffCompleter(fetchFn)));
    const a = fakePort(1);
    router.acceptContentPort(a.port);
    const missing = [{ path: null, reason: 'more files were still loading on the page' }];
    const pageDiff = { ...request.diff, missing, completion: { scope: { kind: 'pr-files' as const }, need: { complete: false, paths: [], unlistedFiles: true } } };
    a.receive({ kind: 'review/start', request: { ...request, diff: pageDiff } });
    for (let i = 0; i < 5 && host.received.length === 0; i++) await flush();
    expect(asked).toEqual(['https://github.com/o/r/pull/1.diff']);
    const start = host.received[0];
    expect(start?.kind === 'session/start' && start.request.diff).toEqual({
      ref: request.diff.ref,
      files: [expect.objectContaining({ path: 'late.ts', status: 'added', source: 'diff-endpoint' })],
      missing: [],
    });
    expect(a.sent).toEqual([]);
  });
});
