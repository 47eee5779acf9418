import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, launchExtension } from './support/extension';
import { writeTinyGguf } from './support/tiny-gguf';
import { startModelServer } from './support/model-server';

test('debug load', async () => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'dbg-'));
  await writeTinyGguf(join(dir, 'tiny.gguf'), { nCtx: 4096, type: (process.env.TYPE as any) ?? 'q8_0' });
  const server = await startModelServer({ root: dir });
  const ext = await launchExtension({ dist: process.env.DIST ?? 'dist/e2e', extraArgs: (process.env.ARGS ?? '').split(' ').filter(Boolean) });
  const page = await ext.context.newPage();
  page.on('console', (m) => console.log('[page]', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  page.on('worker', (w) => { console.log('[worker]', w.url().slice(0, 120)); });
  await page.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  const chunk = (await import('node:fs')).readdirSync(join(process.env.DIST ?? 'dist/e2e', 'assets')).find((f) => f.startsWith('wllama-engine'));
  const result = await page.evaluate(async ({ chunk, url, threads, SHIM, words }) => {
    const m = await import(`/assets/${chunk}`);
    const Engine = Object.values(m).find((v: any) => typeof v === 'function' && v.prototype && 'chat' in v.prototype) as any;
    const e = new Engine({ modelUrl: url, nThreads: threads, useCache: false, f16ShimAvailable: SHIM });
    const t0 = performance.now();
    try { await e.load((p: any) => console.log('progress', JSON.stringify(p))); } catch (err) { return 'ERR ' + String(err) + ' ' + (err as any)?.nextStep; }
    const tl = performance.now();
    const out: string[] = [];
    let tf = 0;
    const content = Array.from({ length: words }, (_, i) => 'change line ' + i).join(' ');
    for await (const c of e.chat({ messages: [{ role: 'user', content }], maxTokens: 6, temperature: 0 }, new AbortController().signal)) { tf ||= performance.now(); out.push(JSON.stringify(c)); }
    return `load ${Math.round(tl - t0)} ms, first token ${Math.round(tf - tl)} ms, all ${Math.round(performance.now() - tl)} ms , isolated=${crossOriginIsolated} ` + out.join(' ') + ' ' + JSON.stringify((e as any).placement?.() ?? null);
  }, { chunk, url: server.url + 'tiny.gguf', threads: Number(process.env.THREADS ?? 1), SHIM: !!process.env.SHIM, words: Number(process.env.WORDS ?? 5) });
  console.log('RESULT', result);
  await ext.close();
  await server.close();
});
