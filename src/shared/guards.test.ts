import { describe, expect, it } from 'vitest';
import { fieldOf, hasKey, isOneOf, isRecord, isStringArray } from './guards';

describe('type guards', () => {
  it('tells plain objects from arrays, null and primitives', () => {
    expect(isRecord({ a: 1 })).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord('x')).toBe(false);
  });

  it('checks list membership and string lists item by item', () => {
    expect(isOneOf(['a', 'b'], 'b')).toBe(true);
    expect(isOneOf(['a', 'b'], 'c')).toBe(false);
    expect(isStringArray(['a', 'b'])).toBe(true);
    expect(isStringArray(['a', 1])).toBe(false);
    expect(hasKey({ a: 1 }, 'a')).toBe(true);
    expect(hasKey({ a: 1 }, 'toString')).toBe(false);
  });

  it('reads a field of anything without throwing, undefined where there is none', () => {
    class WithGetter {
      get size(): number {
        return 3;
      }
    }
    expect(fieldOf({ deviceMemory: 8 }, 'deviceMemory')).toBe(8);
    expect(fieldOf(new WithGetter(), 'size')).toBe(3);
    const fn = Object.assign(() => undefined, { extra: 'yes' });
    expect(fieldOf(fn, 'extra')).toBe('yes');
    expect(fieldOf(null, 'x')).toBeUndefined();
    expect(fieldOf(undefined, 'x')).toBeUndefined();
    expect(fieldOf(42, 'toFixed')).toBeUndefined();
    expect(fieldOf({}, Symbol.asyncIterator)).toBeUndefined();
  });
});
