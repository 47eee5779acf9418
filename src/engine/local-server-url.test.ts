import { describe, expect, it } from 'vitest';
import { createEngine } from './engine-factory';
import { localServerBase, localServerOrigin } from './local-server-url';
import { validateSettings } from '../shared/settings-store';

describe('local server addresses', () => {
  it('allows http://localhost and http://127.0.0.1 on any port, normalised', () => {
    expect(localServerBase(' http://127.0.0.1:11434/v1/ ')).toEqual({ ok: true, url: 'http://127.0.0.1:11434/v1' });
    expect(localServerBase('http://localhost:1234/v1')).toEqual({ ok: true, url: 'http://localhost:1234/v1' });
    expect(localServerBase('http://localhost/v1')).toEqual({ ok: true, url: 'http://localhost/v1' });
    expect(localServerOrigin('http://localhost:1234/v1')).toBe('http://localhost/*');
  });

  it('refuses every other host, https, and credentials in the URL', () => {
    for (const bad of ['http://192.168.1.2:11434/v1', 'http://localhost.evil.com/v1', 'https://127.0.0.1/v1', 'http://user:pw@localhost/v1', 'http://[::1]:8080/v1', 'ftp://localhost/', 'localhost:11434'])
      expect(localServerBase(bad).ok, bad).toBe(false);
  });

  it('the engine factory and the settings refuse a non-local address even if storage holds one', async () => {
    await expect(createEngine({ kind: 'localserver', modelId: 'm', modelHost: 'http://example.com/v1' })).rejects.toThrow('must be on this machine');
    expect(validateSettings({ localServerUrl: 'http://example.com/v1' }).dropped).toEqual(['localServerUrl']);
    expect(validateSettings({ localServerUrl: 'http://localhost:8080/v1/', engine: 'localserver' }).settings).toMatchObject({ localServerUrl: 'http://localhost:8080/v1', engine: 'localserver' });
  });
});
