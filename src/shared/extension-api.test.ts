import { afterEach, describe, expect, it, vi } from 'vitest';
import { extensionApi } from './extension-api';

const chromeApi = { runtime: { sendMessage: async () => 'chrome' } };
const firefoxApi = { runtime: { sendMessage: async () => 'firefox' } };

afterEach(() => vi.unstubAllGlobals());

describe('extensionApi', () => {
  it("is Firefox's browser where it exists, Chrome's chrome elsewhere", () => {
    vi.stubGlobal('chrome', chromeApi);
    expect(extensionApi()).toBe(chromeApi);
    vi.stubGlobal('browser', firefoxApi);
    expect(extensionApi()).toBe(firefoxApi);
  });

  it('ignores a "browser" global that is not the extension API (say, an element named browser)', () => {
    vi.stubGlobal('chrome', chromeApi);
    vi.stubGlobal('browser', { id: 'browser', runtime: 'no' });
    expect(extensionApi()).toBe(chromeApi);
  });
});
