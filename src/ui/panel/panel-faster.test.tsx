/**
 * A review estimated to run for minutes offers something faster in the panel, and a click asks
 * for exactly that setting.
 */
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { parseHTML } from 'linkedom';
import { Panel } from './panel';
import { initialPanelState, panelReducer } from './panel-state';
import type { ReviewEstimate } from '../../protocol';

function mount(estimate: ReviewEstimate, onSwitchFaster = vi.fn()) {
  const { document, window } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
  vi.stubGlobal('document', document);
  vi.stubGlobal('window', window);
  const state = [{ type: 'starting' as const }, { type: 'message' as const, message: { kind: 'review/estimate' as const, estimate }, now: 1 }].reduce(
    panelReducer,
    initialPanelState,
  );
  const root = document.getElementById('root') as unknown as HTMLElement;
  render(
    <Panel state={state} title="Review of #1" onStart={vi.fn()} onCancel={vi.fn()} onClose={vi.fn()} onOpenOptions={vi.fn()} onSwitchFaster={onSwitchFaster} />,
    root,
  );
  return { root, onSwitchFaster };
}

describe('the panel offers a faster review when the estimate is long', () => {
  const long: ReviewEstimate = {
    seconds: 900,
    text: 'about 15 min',
    measured: true,
    promptTokens: 9000,
    calls: 6,
    faster: [
      { kind: 'quick-depth', text: 'Quick review (about 6 min)' },
      { kind: 'smaller-model', engine: 'wllama', modelId: 'qwen2.5-coder-0.5b-instruct-q8_0', text: 'Qwen2.5-Coder 0.5B (about 5 min)' },
    ],
  };

  it('shows both offers and asks for the chosen setting', () => {
    const { root, onSwitchFaster } = mount(long);
    const quick = root.querySelector('[data-testid="faster-quick-depth"]') as unknown as HTMLButtonElement;
    const smaller = root.querySelector('[data-testid="faster-smaller-model"]') as unknown as HTMLButtonElement;
    expect(quick.textContent).toBe('Quick review (about 6 min)');
    expect(smaller.textContent).toBe('Qwen2.5-Coder 0.5B (about 5 min)');
    quick.click();
    smaller.click();
    expect(onSwitchFaster.mock.calls).toEqual([[{ depth: 'quick' }], [{ engine: 'wllama', modelId: 'qwen2.5-coder-0.5b-instruct-q8_0' }]]);
    vi.unstubAllGlobals();
  });

  it('offers nothing when the review is short', () => {
    const { root } = mount({ ...long, seconds: 40, text: 'under a minute', faster: [] });
    expect(root.querySelector('[data-testid="review-faster"]')).toBeNull();
    vi.unstubAllGlobals();
  });
});
