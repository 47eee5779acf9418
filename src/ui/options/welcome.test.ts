import { describe, expect, it } from 'vitest';
import { isWelcome, welcomePath } from '../../shared/welcome-route';

describe('welcome on install', () => {
  it('opens once, on a fresh install only', () => {
    expect(welcomePath('install')).toBe('extension/options.html#welcome');
    for (const reason of ['update', 'chrome_update', 'shared_module_update', 'browser_update']) expect(welcomePath(reason)).toBeNull();
    expect(isWelcome('#welcome')).toBe(true);
    expect(isWelcome('')).toBe(false);
  });
});
