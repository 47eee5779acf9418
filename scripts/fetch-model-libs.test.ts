import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCatalog } from '../src/engine/webllm-catalog';
import { fetchModelLibs, parseArgs, planDownloads, report } from './fetch-model-libs';

const prefix = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/';
const rec = (id: string, lib: string) => ({ model: `https://huggingface.co/mlc-ai/${id}`, model_id: id, model_lib: prefix + lib });
const catalog = buildCatalog([
  rec('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', 'v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm'),
  rec('Qwen2.5-1.5B-Instruct-q4f16_1-MLC', 'v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm'),
  rec('Qwen2.5-Coder-0.5B-Instruct-q4f32_1-MLC', 'v0_2_86/base/Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm'),
  rec('TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC', 'v0_2_86/base/TinyLlama-1.1B-Chat-v1.0-q4f32_1_cs1k-webgpu.wasm'),
]);

const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

describe('parseArgs', () => {
  it('reads the options', () => {
    expect(parseArgs(['--all', '--strict', '--out', 'x', '--model', 'a', '--model', 'b'])).toMatchObject({
      all: true,
      strict: true,
      out: 'x',
      models: ['a', 'b'],
    });
    expect(parseArgs([])).toMatchObject({ all: false, strict: false, out: 'public/model-libs' });
  });

  it('rejects unknown or incomplete options', () => {
    expect(parseArgs(['--bogus'])).toEqual({ error: 'Unknown option --bogus' });
    expect(parseArgs(['--out'])).toEqual({ error: '--out needs a value' });
  });
});

describe('planDownloads', () => {
  it('fetches each shared library once, featured models by default', () => {
    const plan = planDownloads(catalog, { all: false, models: [] });
    expect(plan).toEqual([
      {
        libFile: 'v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm',
        url: `${prefix}v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm`,
        modelIds: ['Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC'],
      },
      expect.objectContaining({ libFile: 'v0_2_86/base/Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm' }),
    ]);
    const all = planDownloads(catalog, { all: true, models: [] });
    expect(Array.isArray(all) && all.length).toBe(3);
    expect(Array.isArray(all) && all[0]?.modelIds).toHaveLength(2);
  });

  it('takes explicit models and rejects unknown ones', () => {
    expect(planDownloads(catalog, { all: false, models: ['TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC'] })).toHaveLength(1);
    expect(planDownloads(catalog, { all: false, models: ['nope'] })).toEqual({ error: 'Unknown model id(s): nope' });
  });
});

describe('fetchModelLibs', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'model-libs-'));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });
  const plan = () => {
    const p = planDownloads(catalog, { all: false, models: [] });
    if (!Array.isArray(p)) throw new Error(p.error);
    return p;
  };

  it('writes the libraries and an index the extension reads', async () => {
    const fetchFn = (async () => new Response(WASM)) as unknown as typeof fetch;
    const result = await fetchModelLibs(plan(), { out, force: false, timeoutMs: 1000 }, fetchFn);
    expect(result.failed).toEqual([]);
    expect(result.bundled).toEqual([
      'v0_2_86/base/Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm',
      'v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm',
    ]);
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8'))).toEqual({ files: result.bundled });
    expect((await stat(join(out, result.bundled[0]!))).size).toBe(WASM.length);
    expect(report(result, true).exitCode).toBe(0);

    // a second run keeps what is there
    const again = await fetchModelLibs(plan(), { out, force: false, timeoutMs: 1000 }, (async () => {
      throw new Error('should not fetch');
    }) as unknown as typeof fetch);
    expect(again.alreadyPresent).toHaveLength(2);
  });

  it('without network: warns, writes an empty index, exits 0 unless strict', async () => {
    const offline = (async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    }) as unknown as typeof fetch;
    const result = await fetchModelLibs(plan(), { out, force: false, timeoutMs: 1000 }, offline);
    expect(result.failed).toHaveLength(2);
    expect(result.failed[0]?.reason).toBe('fetch failed (ENOTFOUND)');
    expect(JSON.parse(await readFile(join(out, 'index.json'), 'utf8'))).toEqual({ files: [] });
    const lenient = report(result, false);
    expect(lenient.exitCode).toBe(0);
    expect(lenient.lines.join('\n')).toMatch(/development build without bundled model libraries/);
    expect(report(result, true).exitCode).toBe(1);
  });

  it('refuses a response that is not WebAssembly (an error page)', async () => {
    const html = (async () => new Response('<html>rate limited</html>')) as unknown as typeof fetch;
    const result = await fetchModelLibs(plan(), { out, force: false, timeoutMs: 1000 }, html);
    expect(result.failed[0]?.reason).toMatch(/not return a WebAssembly file/);
    expect(result.bundled).toEqual([]);
  });
});
