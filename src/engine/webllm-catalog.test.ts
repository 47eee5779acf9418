import { beforeAll, describe, expect, it } from 'vitest';
import { loadWebLlmCatalog } from './webllm-engine';
import {
  buildCatalog,
  checkMirrorBase,
  estimateDownloadMB,
  modelLibFile,
  modelsForGpu,
  parseBundledIndex,
  parseParamsB,
  parseQuantization,
  recommendWebLlmModel,
  resolveModelLib,
  withMirror,
  type CatalogModel,
  type WebLlmModelRecord,
} from './webllm-catalog';

// The catalog is built from web-llm 0.2.86's real prebuilt model list.
let catalog: CatalogModel[];
beforeAll(async () => {
  catalog = await loadWebLlmCatalog();
});

const byId = (id: string) => {
  const m = catalog.find((x) => x.id === id);
  if (!m) throw new Error(`missing ${id}`);
  return m;
};

describe('catalog from web-llm list', () => {
  it('keeps chat and code models and drops embedding, vision and base checkpoints', () => {
    expect(catalog.length).toBeGreaterThan(50);
    expect(catalog.some((m) => /embed/i.test(m.id))).toBe(false);
    expect(catalog.some((m) => /vision/i.test(m.id))).toBe(false);
    expect(catalog.some((m) => /-Base-/.test(m.id))).toBe(false);
    expect(catalog.some((m) => m.id === 'Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe(true);
  });

  it('lists code models first, featured ones before the rest', () => {
    expect(catalog[0]?.code).toBe(true);
    expect(catalog[0]?.featured).toBe(true);
    const firstNonCode = catalog.findIndex((m) => !m.code);
    expect(catalog.slice(firstNonCode).some((m) => m.code)).toBe(false);
  });

  it('describes Qwen2.5-Coder 1.5B with its size, memory, context and format', () => {
    const m = byId('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC');
    expect(m.label).toBe('Qwen2.5-Coder 1.5B');
    expect(m.paramsB).toBe(1.5);
    expect(m.quantization).toBe('q4f16_1');
    expect(m.needsShaderF16).toBe(true); // the record does not declare it; the kernels need it
    expect(m.vramMB).toBe(1630);
    expect(m.contextWindow).toBe(4096);
    expect(m.downloadEstimate).toBe('params');
    expect(m.downloadMB).toBeGreaterThan(700);
    expect(m.downloadMB).toBeLessThan(1000);
    expect(m.libFile).toBe('v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm');
    expect(byId('Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC').needsShaderF16).toBe(false);
  });

  it('reports the 1k context of -1k variants', () => {
    expect(byId('Llama-3.1-8B-Instruct-q4f16_1-MLC-1k').contextWindow).toBe(1024);
  });

  it('without shader-f16 offers only f32 variants', () => {
    const noF16 = modelsForGpu(catalog, { shaderF16: false });
    expect(noF16.length).toBeGreaterThan(10);
    expect(noF16.every((m) => !/f16/.test(m.quantization))).toBe(true);
    expect(modelsForGpu(catalog, { shaderF16: true })).toHaveLength(catalog.length);
  });
});

describe('recommendWebLlmModel', () => {
  it('picks the largest Qwen2.5-Coder that fits memory and download cap', () => {
    expect(recommendWebLlmModel(catalog, { vramBudgetMB: 2048, shaderF16: true })?.id).toBe('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC');
    expect(recommendWebLlmModel(catalog, { vramBudgetMB: 4096, shaderF16: true })?.id).toBe('Qwen2.5-Coder-3B-Instruct-q4f16_1-MLC');
    expect(recommendWebLlmModel(catalog, { vramBudgetMB: 8192, shaderF16: true, maxDownloadMB: 10000 })?.id).toBe(
      'Qwen2.5-Coder-7B-Instruct-q4f16_1-MLC',
    );
    expect(recommendWebLlmModel(catalog, { vramBudgetMB: 8192, shaderF16: true, maxDownloadMB: 1000 })?.id).toBe(
      'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC',
    );
  });

  it('offers the q4f32_1 variant when shader-f16 is missing', () => {
    expect(recommendWebLlmModel(catalog, { vramBudgetMB: 2048, shaderF16: false })?.id).toBe('Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC');
    // 1.5B f32 needs 1889 MB: with 1.5 GB only 0.5B fits.
    expect(recommendWebLlmModel(catalog, { vramBudgetMB: 1500, shaderF16: false })?.id).toBe('Qwen2.5-Coder-0.5B-Instruct-q4f32_1-MLC');
  });

  it('returns null when nothing fits, and honours the bundled set', () => {
    expect(recommendWebLlmModel(catalog, { vramBudgetMB: 300, shaderF16: true })).toBeNull();
    const only05 = new Set([byId('Qwen2.5-Coder-0.5B-Instruct-q4f16_1-MLC').libFile]);
    expect(recommendWebLlmModel(catalog, { vramBudgetMB: 4096, shaderF16: true, bundledLibs: only05 })?.id).toBe(
      'Qwen2.5-Coder-0.5B-Instruct-q4f16_1-MLC',
    );
    expect(recommendWebLlmModel(catalog, { vramBudgetMB: 4096, shaderF16: true, bundledLibs: new Set() })).toBeNull();
  });
});

describe('parsing model ids', () => {
  it.each([
    ['Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', 1.5],
    ['SmolLM2-360M-Instruct-q4f16_1-MLC', 0.36],
    ['stablelm-2-zephyr-1_6b-q4f16_1-MLC', 1.6],
    ['gemma-4-E2B-it-q4f16_1-MLC', 2],
    ['Hermes-2-Pro-Llama-3-8B-q4f16_1-MLC', 8],
    ['phi-2-q4f16_1-MLC', 2.7],
    ['Mystery-Model-q4f16_1-MLC', null],
  ])('%s has %s billion parameters', (id, b) => {
    expect(parseParamsB(id)).toBe(b);
  });

  it('reads the quantisation', () => {
    expect(parseQuantization('Llama-3.2-1B-Instruct-q0f32-MLC')).toBe('q0f32');
    expect(parseQuantization('Llama-3.1-70B-Instruct-q3f16_1-MLC')).toBe('q3f16_1');
  });

  it('estimates downloads from VRAM when the id has no size', () => {
    expect(estimateDownloadMB(null, 'q4f16_1', 1000)).toEqual({ mb: 600, source: 'vram' });
    expect(estimateDownloadMB(null, 'q4f16_1', undefined)).toEqual({ mb: null, source: 'none' });
  });
});

const record: WebLlmModelRecord = {
  model: 'https://huggingface.co/mlc-ai/Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC',
  model_id: 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC',
  model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm',
};

describe('mirror', () => {
  it('rewrites weight URLs onto the mirror, keeping the repository path', () => {
    expect(withMirror(record, 'https://models.example.org/hf/').model).toBe(
      'https://models.example.org/hf/mlc-ai/Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC',
    );
    expect(withMirror(record, '').model).toBe(record.model);
  });

  it('ignores an invalid mirror and says why', () => {
    expect(withMirror(record, 'not a url').model).toBe(record.model);
    expect(checkMirrorBase('not a url')).toEqual({ ok: false, reason: expect.stringContaining('not a URL') });
    expect(checkMirrorBase('ftp://x.org')).toMatchObject({ ok: false });
    expect(checkMirrorBase(' https://x.org/a/ ')).toEqual({ ok: true, base: 'https://x.org/a' });
  });
});

describe('resolveModelLib (store policy)', () => {
  const url = (p: string) => `chrome-extension://abc/${p}`;

  it('points model_lib at the bundled copy', () => {
    const r = resolveModelLib(record, new Set(['v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm']), url);
    expect(r).toEqual({
      ok: true,
      record: { ...record, model_lib: 'chrome-extension://abc/model-libs/v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm' },
    });
  });

  it('reports a development build when the library is not bundled', () => {
    const r = resolveModelLib(record, new Set(), url);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('development build without bundled model libraries');
  });

  it('derives the bundled file name from the library URL', () => {
    expect(modelLibFile('https://cdn.example/x/y/lib.wasm')).toBe('lib.wasm');
  });

  it('reads the bundled index defensively', () => {
    expect([...parseBundledIndex({ files: ['a/b.wasm', '../evil.wasm', 3, 'x.txt'] })]).toEqual(['a/b.wasm']);
    expect(parseBundledIndex(null).size).toBe(0);
    expect(parseBundledIndex({ files: 'nope' }).size).toBe(0);
  });

  it('builds a catalog even from a malformed list', () => {
    expect(buildCatalog([{ model: '', model_id: 'x-q4f16_1-MLC', model_lib: '' }, null as unknown as WebLlmModelRecord])).toHaveLength(1);
  });
});
