import { describe, expect, it } from 'vitest';
import { fileProgress, initialPanelModel, initialPanelState, isBusy, isDownloading, panelModelReducer, panelReducer, reviewSpeed, type PanelModelAction, type PanelState } from './panel-state';
import { estimateDownload } from '../../shared/download-rate';
import type { BackgroundToContent } from '../../protocol';
import type { Finding, Review } from '../../model/review';
import { makeReview } from '../../model/testing/reviews';

const msg = (message: BackgroundToContent) => ({ type: 'message' as const, message, now: 1000 });
const text = (delta: string) => msg({ kind: 'review/event', event: { type: 'text', delta } });

function run(...actions: Parameters<typeof panelReducer>[1][]): PanelState {
  return actions.reduce(panelReducer, initialPanelState);
}

const review: Review = makeReview({ summary: 'ok' });

describe('panel state', () => {
  it('accumulates streamed text while reviewing', () => {
    const s = run({ type: 'starting' }, msg({ kind: 'engine/ready', engine: 'scripted', modelId: 'm', reused: false }), text('Hel'), text('lo'));
    expect(s.phase).toBe('reviewing');
    expect('text' in s && s.text).toBe('Hello');
    expect(isBusy(s)).toBe(true);
  });

  it('keeps where the model runs from engine/ready through to the finished review', () => {
    const placement = { device: 'gpu' as const, layersOffloaded: 3, layersTotal: 3, label: 'GPU · llama.cpp' };
    const reviewing = run({ type: 'starting' }, msg({ kind: 'engine/ready', engine: 'wllama', modelId: 'm', reused: false, placement }), text('x'));
    expect(reviewing).toMatchObject({ phase: 'reviewing', placement });
    expect(panelReducer(reviewing, msg({ kind: 'review/event', event: { type: 'done', review } }))).toMatchObject({ phase: 'done', placement });
    // Engines that do not report it leave it out rather than guess.
    const plain = run({ type: 'starting' }, msg({ kind: 'engine/ready', engine: 'scripted', modelId: 'm', reused: false }));
    expect('placement' in plain).toBe(false);
  });

  it('keeps the text written so far when the review is cancelled or fails', () => {
    const cancelled = run({ type: 'starting' }, text('partial'), msg({ kind: 'review/cancelled' }));
    expect(cancelled).toMatchObject({ phase: 'cancelled', text: 'partial' });
    const failed = run({ type: 'starting' }, text('partial'), msg({ kind: 'review/failed', failure: { code: 'crashed', message: 'x', retryable: true } }));
    expect(failed).toMatchObject({ phase: 'error', text: 'partial' });
  });

  it('ignores late messages once a review has ended, so Cancel is final', () => {
    const s = run({ type: 'starting' }, text('a'), msg({ kind: 'review/cancelled' }), text('b'));
    expect(s).toMatchObject({ phase: 'cancelled', text: 'a' });
  });

  it('shows model loading progress, then the review, then the result', () => {
    const loading = run({ type: 'starting' }, msg({ kind: 'engine/progress', progress: { fraction: 0.5, text: 'Downloading' } }));
    expect(loading).toMatchObject({ phase: 'loading', progress: { fraction: 0.5 } });
    const done = panelReducer(loading, msg({ kind: 'review/event', event: { type: 'done', review } }));
    expect(done.phase).toBe('done');
    expect(isBusy(done)).toBe(false);
  });

  it('reset returns to idle from any state', () => {
    expect(panelReducer(run({ type: 'starting' }, text('x')), { type: 'reset' })).toEqual(initialPanelState);
  });

  it('tells downloading from loading by the bytes still to come, and estimates time left from successive messages', () => {
    const progress = (loadedBytes: number, now: number) => ({
      type: 'message' as const,
      message: { kind: 'engine/progress' as const, progress: { fraction: loadedBytes / 8e6, loadedBytes, totalBytes: 8e6, text: '' } },
      now,
    });
    const s = run({ type: 'starting' }, progress(0, 0), progress(1e6, 1000), progress(2e6, 2000));
    if (s.phase !== 'loading') throw new Error(s.phase);
    expect(isDownloading(s.progress)).toBe(true);
    // 1 MB/s, 6 MB to go.
    expect(estimateDownload(s.samples, s.progress.totalBytes)).toEqual({ bytesPerSecond: 1e6, secondsLeft: 6 });
    const all = panelReducer(s, progress(8e6, 3000));
    expect(all.phase === 'loading' && isDownloading(all.progress)).toBe(false);
  });

  it('shows a live speed from the stream until the engine reports its own', () => {
    const at = (delta: string, now: number) => ({ type: 'message' as const, message: { kind: 'review/event' as const, event: { type: 'text' as const, delta } }, now });
    const early = run({ type: 'starting' }, at('a', 0), at('b', 400));
    expect(early.phase === 'reviewing' && reviewSpeed(early)).toBeNull();
    // Two tokens of four characters after the first piece, over two seconds (the engine host merges pieces).
    const live = run({ type: 'starting' }, at('a', 0), at('bbbb', 1000), at('cccc', 2000));
    expect(live.phase === 'reviewing' && reviewSpeed(live)).toEqual({ tokensPerSecond: 1, measured: false });
    const measured = panelReducer(live, msg({ kind: 'review/event', event: { type: 'speed', tokensPerSecond: 12.5 } }));
    expect(measured.phase === 'reviewing' && reviewSpeed(measured)).toEqual({ tokensPerSecond: 12.5, measured: true });
  });

  it('offers the first run, and a stored review never replaces a running or fresh one', () => {
    const first = panelReducer(initialPanelState, { type: 'first-run', offer: null });
    expect(first).toEqual({ phase: 'first-run', offer: null, error: null });
    expect(isBusy(first)).toBe(false);
    const saved = { savedAt: 1, outdated: true, headSha: 'abc' };
    expect(panelReducer(initialPanelState, { type: 'restored', review, saved })).toMatchObject({ phase: 'done', saved });
    const running = run({ type: 'starting' }, text('x'));
    expect(panelReducer(running, { type: 'restored', review, saved })).toBe(running);
  });

  it('keeps the host estimate while reviewing', () => {
    const estimate = { seconds: 240, text: 'about 4 min', measured: false, promptTokens: 10, calls: 2, faster: [] };
    const s = run({ type: 'starting' }, msg({ kind: 'review/estimate', estimate }));
    expect(s).toMatchObject({ phase: 'reviewing', estimate: 'about 4 min', faster: [] });
  });

  it('counts files as the review reaches them: file i of n', () => {
    const ev = (event: Extract<BackgroundToContent, { kind: 'review/event' }>['event']) => msg({ kind: 'review/event', event });
    const s = run(
      { type: 'starting' },
      ev({ type: 'plan', chunks: 3, files: 3, promptTokens: 100, steps: 3 }),
      ev({ type: 'progress', step: 1, steps: 3, label: 'a', currentFile: 'a.ts' }),
      ev({ type: 'progress', step: 2, steps: 3, label: 'b', currentFile: 'b.ts' }),
    );
    expect(s.phase === 'reviewing' && fileProgress(s)).toEqual({ index: 2, total: 3 });
    // The summary step names no file: no count.
    const summary = panelReducer(s, ev({ type: 'progress', step: 3, steps: 3, label: 'Summary' }));
    expect(summary.phase === 'reviewing' && fileProgress(summary)).toBeNull();
  });
});

describe('per-file summary lines while streaming', () => {
  it('keeps one line per file, in the order files first appeared, the newest line winning', () => {
    const ev = (path: string, summary: string) => ({ type: 'message' as const, now: 0, message: { kind: 'review/event' as const, event: { type: 'file-summary' as const, path, summary } } });
    let s = panelReducer({ phase: 'starting' }, ev('a.ts', 'first'));
    s = panelReducer(s, ev('b.ts', 'second'));
    s = panelReducer(s, ev('a.ts', 'first, revised'));
    expect(s.phase === 'reviewing' && s.fileSummaries).toEqual([
      { path: 'a.ts', summary: 'first, revised' },
      { path: 'b.ts', summary: 'second' },
    ]);
  });
});

describe('panelModelReducer (everything around the review phase)', () => {
  const finding = (id: string): Finding => ({ id, file: 'a.ts', line: 1, severity: 'minor', category: 'bug', title: id, explanation: '', quote: '' });
  const review = (ids: string[]): Review => ({
    summary: 's',
    risks: [],
    changes: [],
    walkthrough: [],
    findings: ids.map(finding),
    coverage: [],
    truncated: false,
    stats: { modelCalls: 1, promptTokens: 1, completionTokens: 1, dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 }, elapsedMs: 1 },
  });
  const run = (...actions: PanelModelAction[]) => actions.reduce(panelModelReducer, initialPanelModel('light'));
  const done = (r: Review): PanelModelAction => ({ type: 'message', message: { kind: 'review/event', event: { type: 'done', review: r } }, now: 2 });
  const saved = { savedAt: 1, outdated: false, headSha: 'abc' };

  it('a stored review comes with its dismissals and head, but never replaces a running review', () => {
    const r = review(['a', 'b']);
    const restored = run({ type: 'restored', review: r, saved, dismissed: new Set(['a']) });
    expect(restored.review.phase).toBe('done');
    expect([...restored.dismissed]).toEqual(['a']);
    expect(restored.made).toEqual({ settings: null, headSha: 'abc' });
    const running = run({ type: 'reading' }, { type: 'restored', review: r, saved, dismissed: new Set(['a']) });
    expect(running.review.phase).toBe('reading');
    expect(running.dismissed.size).toBe(0);
  });

  it('a new review clears the last status, question and dismissals', () => {
    const model = run(
      { type: 'restored', review: review(['a']), saved, dismissed: new Set(['a']) },
      { type: 'status', status: { tone: 'ok', message: 'Copied.' } },
      { type: 'ask', ask: { question: 'q', text: 'half', busy: false, error: 'Cancelled.' } },
      { type: 'reading' },
    );
    expect(model.status).toBeNull();
    expect(model.ask).toBeNull();
    expect(model.dismissed.size).toBe(0);
  });

  it('keeps dismissals only for the review on show', () => {
    expect(run({ type: 'dismissed', ids: new Set(['a']) }).dismissed.size).toBe(0);
    const model = run({ type: 'reading' }, { type: 'starting' }, done(review(['a'])), { type: 'dismissed', ids: new Set(['a']), status: { tone: 'ok', message: 'Dismissed: a' } });
    expect([...model.dismissed]).toEqual(['a']);
    expect(model.status?.message).toBe('Dismissed: a');
  });

  it('streams a follow-up answer and keeps it with the review it was asked about only', () => {
    const r = review(['a']);
    const asked = run(done(r), { type: 'reading' }, { type: 'starting' }, done(r), { type: 'ask', ask: { question: 'Why?', text: '', busy: true } }, { type: 'ask-text', delta: 'Be' }, { type: 'ask-text', delta: 'cause' });
    expect(asked.ask?.text).toBe('Because');
    const followUp = { question: 'Why?', answer: 'Because', askedAt: 3 };
    const kept = panelModelReducer(asked, { type: 'follow-up', review: r, followUp });
    expect(kept.ask).toBeNull();
    expect(kept.review.phase === 'done' && kept.review.review.followUps).toEqual([followUp]);
    const other = panelModelReducer(asked, { type: 'follow-up', review: review(['b']), followUp });
    expect(other.review.phase === 'done' && other.review.review.followUps).toBeUndefined();
  });

  it('a marker opens the panel at its finding, each time anew', () => {
    const once = run({ type: 'focus', id: 'a' });
    const twice = panelModelReducer(once, { type: 'focus', id: 'a' });
    expect(once.open).toBe(true);
    expect(twice.focus).toEqual({ id: 'a', nonce: once.focus!.nonce + 1 });
  });

  it('changes nothing (same object) for an action that changes nothing, so nothing redraws', () => {
    const closed = run();
    expect(panelModelReducer(closed, { type: 'close' })).toBe(closed);
    expect(panelModelReducer(closed, { type: 'message', message: { kind: 'review/cancelled' }, now: 1 })).toBe(closed);
  });
});
