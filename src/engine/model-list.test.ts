import { describe, expect, it } from 'vitest';
import { buildModelList, cacheKey } from './model-list';
import { buildCatalog, type WebLlmModelRecord } from './webllm-catalog';
import { chooseEngine } from './engine-choice';
import { GGUF_CATALOG } from './gguf-catalog';
import type { EngineCapabilitiesReport } from '../protocol';

const record = (id: string, vram: number): WebLlmModelRecord => ({
  model: `https://huggingface.co/mlc-ai/${id}`,
  model_id: id,
  model_lib: `https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_80/${id}-ctx4k_cs1k-webgpu.wasm`,
  vram_required_MB: vram,
});
const catalog = buildCatalog([
  record('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', 1600),
  record('Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC', 1900),
  record('Qwen2.5-Coder-7B-Instruct-q4f32_1-MLC', 6000),
]);

function caps(webgpu: EngineCapabilitiesReport['webgpu']): EngineCapabilitiesReport {
  return { webgpu, builtin: 'unavailable', crossOriginIsolated: true, cores: 2, bundledModelLibs: 0, engines: [] };
}

const noGpu = caps({ available: false, reason: 'No adapter.' });
const softGpu = caps({ available: true, fallbackAdapter: true, shaderF16: false, vendor: 'google', architecture: 'swiftshader', maxBufferSize: 1 << 30 });

function list(c: EngineCapabilitiesReport, extra: Partial<Parameters<typeof buildModelList>[0]> = {}) {
  const webgpu =
    c.webgpu.available
      ? { available: true as const, fallbackAdapter: c.webgpu.fallbackAdapter, shaderF16: c.webgpu.shaderF16, maxBufferSize: 1, maxStorageBufferBindingSize: 1, vendor: '', architecture: '' }
      : c.webgpu;
  const recommendation = chooseEngine({ webgpu, builtin: 'unavailable', webllmCatalog: catalog, cpuModels: GGUF_CATALOG });
  return buildModelList({
    capabilities: c,
    webllmCatalog: catalog,
    bundledLibs: new Set(),
    cachedBytes: new Map(),
    current: { engine: null, modelId: null },
    recommendation,
    ...extra,
  });
}

describe('buildModelList', () => {
  it('without WebGPU lists only the CPU models, the recommended one marked', () => {
    const models = list(noGpu);
    expect(models.every((m) => m.engine === 'wllama')).toBe(true);
    expect(models.map((m) => m.id)).toEqual(GGUF_CATALOG.map((m) => m.id));
    expect(models.filter((m) => m.recommended).map((m) => m.id)).toEqual([GGUF_CATALOG[0]!.id]);
  });

  it('on a GPU without shader-f16 offers only f32 variants, and says when this build cannot run them', () => {
    const gpu = list(softGpu).filter((m) => m.engine === 'webllm');
    expect(gpu.map((m) => m.id)).toEqual(['Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC', 'Qwen2.5-Coder-7B-Instruct-q4f32_1-MLC']);
    expect(gpu.every((m) => !m.runnable && /development build/.test(m.note ?? ''))).toBe(true);
    // 6 GB of VRAM does not fit the 2 GB budget assumed when the device memory is unknown.
    expect(gpu.find((m) => m.id.includes('7B'))?.fits).toBe(false);
  });

  it('shows the exact size of downloaded models, and lists a custom URL the settings point at', () => {
    const url = 'http://127.0.0.1:9/tiny.gguf';
    const models = list(noGpu, {
      cachedBytes: new Map([
        [cacheKey('wllama', GGUF_CATALOG[0]!.id), 123],
        [cacheKey('wllama', url), 456],
      ]),
      current: { engine: 'wllama', modelId: url },
    });
    expect(models.find((m) => m.id === GGUF_CATALOG[0]!.id)).toMatchObject({ cached: true, sizeBytes: 123 });
    expect(models.find((m) => m.id === GGUF_CATALOG[1]!.id)).toMatchObject({ cached: false, sizeBytes: GGUF_CATALOG[1]!.approxBytes });
    expect(models.find((m) => m.id === url)).toMatchObject({ cached: true, sizeBytes: 456, label: 'tiny.gguf', note: 'custom model URL' });
  });
});
