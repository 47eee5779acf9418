import { describe, expect, it } from 'vitest';
import { formatBytes } from './model-format';

describe('one size unit', () => {
  it('panel and model manager show the same decimal size for the same bytes', async () => {
    const panel = await import('../panel/format');
    for (const bytes of [676_000_000, 3_999_999, 4_000_000, 1_500_000_000]) expect(panel.formatBytes(bytes)).toBe(formatBytes(bytes));
    expect(formatBytes(676_000_000)).toBe('676 MB');
    expect(formatBytes(4_000_000)).toBe('4.0 MB');
  });
});
