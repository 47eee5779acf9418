import { describe, expect, it } from 'vitest';
import { StepTotal } from './step-total';

describe('StepTotal', () => {
  it('changes before the plan is announced need no reason', () => {
    const t = new StepTotal(10, 50);
    t.set(8, 0, 'fewer');
    expect(t.announce()).toBe(8);
    expect(t.forProgress(0)).toEqual({ steps: 8 });
  });

  it('says by how much the total moved since it was last shown, and every reason for it', () => {
    const t = new StepTotal(10, 50);
    t.announce();
    t.set(14, 1, 'cut smaller');
    t.need(15, 1, 'split');
    expect(t.forProgress(1)).toEqual({ steps: 15, reason: '5 more steps: cut smaller; split' });
    // The reason stays with later steps until the total changes again.
    expect(t.forProgress(2)).toEqual({ steps: 15, reason: '5 more steps: cut smaller; split' });
    t.set(14, 3, 'fuller calls');
    expect(t.forProgress(3)).toEqual({ steps: 14, reason: 'One step fewer: fuller calls' });
  });

  it('never goes below the calls made plus the current one, nor above the call limit', () => {
    const t = new StepTotal(10, 12);
    t.announce();
    t.set(2, 5, 'fewer');
    expect(t.value).toBe(6);
    t.need(40, 5, 'more');
    expect(t.value).toBe(12);
    t.need(3, 5, 'lower');
    expect(t.value).toBe(12);
  });

  it('a call past the total is never shown as an unexplained jump', () => {
    const t = new StepTotal(2, 50);
    t.announce();
    expect(t.forProgress(2)).toEqual({ steps: 3, reason: 'One more step: the review needed more calls than planned' });
  });
});
