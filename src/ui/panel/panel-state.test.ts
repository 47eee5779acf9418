import { describe, expect, it } from 'vitest';
import { initialPanelState, isBusy, panelReducer, type PanelState } from './panel-state';
import type { BackgroundToContent } from '../../protocol';
import type { Review } from '../../review/review-types';

const msg = (message: BackgroundToContent) => ({ type: 'message' as const, message, now: 1000 });
const text = (delta: string) => msg({ kind: 'review/event', event: { type: 'text', delta } });

function run(...actions: Parameters<typeof panelReducer>[1][]): PanelState {
  return actions.reduce(panelReducer, initialPanelState);
}

const review: Review = {
  summary: 'ok',
  risks: [],
  changes: [],
  walkthrough: [],
  findings: [],
  coverage: [],
  truncated: false,
  stats: { modelCalls: 1, promptTokens: 1, completionTokens: 1, elapsedMs: 1, dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 } },
};

describe('panel state', () => {
  it('accumulates streamed text while reviewing', () => {
    const s = run({ type: 'starting' }, msg({ kind: 'engine/ready', engine: 'scripted', modelId: 'm', reused: false }), text('Hel'), text('lo'));
    expect(s.phase).toBe('reviewing');
    expect('text' in s && s.text).toBe('Hello');
    expect(isBusy(s)).toBe(true);
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
});
