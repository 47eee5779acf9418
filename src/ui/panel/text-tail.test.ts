import { describe, expect, it } from 'vitest';
import { initialPanelState, panelReducer } from './panel-state';
import { TAIL_CHARS, tailOf } from './text-tail';

describe('tail of the streamed text', () => {
  it('keeps short text whole and cuts long text at a line start near the cut', () => {
    expect(tailOf('short')).toBe('short');
    // The cut falls 99 characters before a line break: the tail starts on the next line.
    const long = `${'a'.repeat(TAIL_CHARS)}\n${'b'.repeat(TAIL_CHARS - 100)}`;
    expect(tailOf(long)).toBe('b'.repeat(TAIL_CHARS - 100));
    expect(tailOf('x'.repeat(TAIL_CHARS * 2))).toHaveLength(TAIL_CHARS);
  });

  it('while reviewing, the panel keeps the whole text and a bounded tail that ends the same way', () => {
    let s = panelReducer(initialPanelState, { type: 'starting' });
    let all = '';
    for (let i = 0; i < 3000; i++) {
      const delta = `piece ${i} `;
      all += delta;
      s = panelReducer(s, { type: 'message', now: i, message: { kind: 'review/event', event: { type: 'text', delta } } });
    }
    if (s.phase !== 'reviewing') throw new Error(s.phase);
    expect(s.text).toBe(all);
    expect(s.tail.length).toBeLessThanOrEqual(2 * TAIL_CHARS);
    expect(all.endsWith(s.tail)).toBe(true);
    expect(s.tail.length).toBeGreaterThanOrEqual(TAIL_CHARS - 200);
  });
});
