import { describe, expect, it } from 'vitest';
import {
  clearDismissals,
  dismissalKey,
  dismissFinding,
  listDismissed,
  onDismissalsChanged,
  pruneDismissals,
  undoDismissal,
  type DismissalTarget,
} from './dismissals';
import { createMemoryArea } from './storage-area';

const pr: DismissalTarget = { owner: 'Octo', repo: 'Hello-World', number: 12, headSha: 'abc123' };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('dismissals', () => {
  it('remembers dismissed findings for the same PR and commit', async () => {
    const area = createMemoryArea();
    await dismissFinding(area, pr, 'f1');
    await dismissFinding(area, pr, 'f2');
    expect(await listDismissed(area, pr)).toEqual(new Set(['f1', 'f2']));
    // GitHub owner/repo names are case-insensitive.
    expect(await listDismissed(area, { ...pr, owner: 'octo', repo: 'hello-world' })).toEqual(new Set(['f1', 'f2']));
  });

  it('does not carry dismissals to a new head commit or another PR', async () => {
    const area = createMemoryArea();
    await dismissFinding(area, pr, 'f1');
    expect(await listDismissed(area, { ...pr, headSha: 'def456' })).toEqual(new Set());
    expect(await listDismissed(area, { ...pr, number: 13 })).toEqual(new Set());
  });

  it('undoes one dismissal, and clears the item when none are left', async () => {
    const area = createMemoryArea();
    await dismissFinding(area, pr, 'f1');
    await dismissFinding(area, pr, 'f2');
    expect(await undoDismissal(area, pr, 'f1')).toEqual(new Set(['f2']));
    await clearDismissals(area, pr);
    expect(await listDismissed(area, pr)).toEqual(new Set());
    expect(area.snapshot()).toEqual({});
  });

  it('keeps every dismissal when several are made at once', async () => {
    const area = createMemoryArea();
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => dismissFinding(area, pr, id)));
    expect(await listDismissed(area, pr)).toEqual(new Set(['a', 'b', 'c', 'd']));
  });

  it('reads a corrupted item as no dismissals', async () => {
    const area = createMemoryArea({ [dismissalKey(pr)]: { ids: 'f1', updatedAt: 'x' } });
    expect(await listDismissed(area, pr)).toEqual(new Set());
    expect(await dismissFinding(area, pr, 'f2')).toEqual(new Set(['f2']));
  });

  it('notifies about changes to this target only', async () => {
    const area = createMemoryArea();
    const seen: string[][] = [];
    const stop = onDismissalsChanged(area, pr, (ids) => seen.push([...ids]));
    await dismissFinding(area, pr, 'f1');
    await dismissFinding(area, { ...pr, number: 99 }, 'other');
    await tick();
    expect(seen).toEqual([['f1']]);
    stop();
  });

  it('prunes entries not touched for the given age', async () => {
    const area = createMemoryArea({ keep: 1 });
    const day = 86_400_000;
    await dismissFinding(area, pr, 'old', 0);
    await dismissFinding(area, { ...pr, number: 2 }, 'new', 100 * day);
    expect(await pruneDismissals(area, 30 * day, 101 * day)).toBe(1);
    expect(await listDismissed(area, pr)).toEqual(new Set());
    expect(await listDismissed(area, { ...pr, number: 2 })).toEqual(new Set(['new']));
    expect(area.snapshot()).toHaveProperty('keep');
  });
});
