import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRange, startModelServer, type ModelServer } from './model-server';

const dir = mkdtempSync(join(tmpdir(), 'model-server-'));
const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
let server: ModelServer;
let isolated: ModelServer;

beforeAll(async () => {
  writeFileSync(join(dir, 'm.gguf'), body);
  writeFileSync(join(dir, 'index.html'), '<p>hi</p>');
  server = await startModelServer({ root: dir });
  isolated = await startModelServer({ root: dir, crossOriginIsolated: true });
});
afterAll(async () => {
  await server.close();
  await isolated.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('model server', () => {
  it('serves whole files with the headers a cross-origin model fetch needs', async () => {
    const r = await fetch(server.url + 'm.gguf');
    expect(r.status).toBe(200);
    expect(Buffer.from(await r.arrayBuffer()).equals(body)).toBe(true);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(r.headers.get('content-length')).toBe('1000');
    expect(r.headers.get('etag')).toBeTruthy();
    expect(r.headers.get('cross-origin-embedder-policy')).toBeNull();
  });

  it('answers Range requests with 206 and the right bytes', async () => {
    const r = await fetch(server.url + 'm.gguf', { headers: { Range: 'bytes=10-19' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect(Buffer.from(await r.arrayBuffer()).equals(body.subarray(10, 20))).toBe(true);
    const tail = await fetch(server.url + 'm.gguf', { headers: { Range: 'bytes=-5' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(body.subarray(995))).toBe(true);
    const bad = await fetch(server.url + 'm.gguf', { headers: { Range: 'bytes=2000-' } });
    expect(bad.status).toBe(416);
  });

  it('answers HEAD with the size, 404 for missing files, and refuses paths outside the root', async () => {
    const head = await fetch(server.url + 'm.gguf', { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('1000');
    expect((await fetch(server.url + 'nope.gguf')).status).toBe(404);
    expect((await fetch(server.url + '%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(200);
    expect(server.requests).toContain('HEAD /m.gguf');
  });

  it('sends COOP/COEP when asked, so pages can use wasm threads', async () => {
    const r = await fetch(isolated.url);
    expect(await r.text()).toContain('hi');
    expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  });

  it('breaks the next matching download part way, then serves normally again', async () => {
    server.failNext('m.gguf', 300);
    const broken = await fetch(server.url + 'm.gguf');
    await expect(broken.arrayBuffer()).rejects.toThrow();
    const ok = await fetch(server.url + 'm.gguf');
    expect((await ok.arrayBuffer()).byteLength).toBe(1000);
  });

  it('slows a file down when asked: the whole body arrives, no sooner than the time asked', async () => {
    const slowServer = await startModelServer({ root: dir });
    try {
      slowServer.slowDown('m.gguf', 400);
      const started = Date.now();
      const r = await fetch(slowServer.url + 'm.gguf');
      expect(Buffer.from(await r.arrayBuffer()).equals(body)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(380); // a lower bound only: never flaky on a busy machine
      const part = await fetch(slowServer.url + 'm.gguf', { headers: { Range: 'bytes=100-199' } });
      expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(100, 200))).toBe(true);
    } finally {
      await slowServer.close();
    }
  });
});

describe('parseRange', () => {
  it('handles open, closed, suffix and invalid ranges', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=5-500', 100)).toEqual({ start: 5, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-40', 100)).toBe('invalid');
    expect(parseRange('items=1-2', 100)).toBe('invalid');
  });
});
