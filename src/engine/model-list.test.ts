import { describe, expect, it } from 'vitest';
import { buildModelList, cacheKey, unrunnableWebllm } from './model-list';
import { buildCatalog, distinctLabels, type WebLlmModelRecord } from './webllm-catalog';
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

  it('on a GPU without shader-f16 offers only f32 variants; without their libraries, one explanation instead of rows', () => {
    expect(list(softGpu).filter((m) => m.engine === 'webllm')).toEqual([]);
    expect(unrunnableWebllm(catalog, softGpu, new Set())).toEqual({
      engine: 'webllm',
      count: 2,
      reason: "This is a development build without bundled model libraries: web-llm's 2 GPU models here cannot run. Run npm run fetch-model-libs before building to bundle them.",
    });
    const libs = new Set(catalog.filter((m) => m.quantization === 'q4f32_1').map((m) => m.libFile));
    const gpu = list(softGpu, { bundledLibs: libs }).filter((m) => m.engine === 'webllm');
    expect(gpu.map((m) => m.id)).toEqual(['Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC', 'Qwen2.5-Coder-7B-Instruct-q4f32_1-MLC']);
    expect(gpu.every((m) => m.runnable)).toBe(true);
    expect(unrunnableWebllm(catalog, softGpu, libs)).toBeNull();
    // 6 GB of VRAM does not fit the 2 GB budget assumed when the device memory is unknown.
    expect(gpu.find((m) => m.id.includes('7B'))?.fits).toBe(false);
    // The model the settings point at stays listed even when it cannot run, so the choice is visible.
    const current = list(softGpu, { current: { engine: 'webllm', modelId: 'Qwen2.5-Coder-7B-Instruct-q4f32_1-MLC' } }).filter((m) => m.engine === 'webllm');
    expect(current).toMatchObject([{ id: 'Qwen2.5-Coder-7B-Instruct-q4f32_1-MLC', runnable: false }]);
  });

  it('on a GPU with shader-f16 lists the GPU-sized GGUF models first, with the memory estimate, context and fit', () => {
    const f16 = caps({ available: true, fallbackAdapter: false, shaderF16: true, vendor: 'nvidia', architecture: 'ampere', maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31 });
    const gguf = list(f16, { deviceMemoryGB: 8 }).filter((m) => m.engine === 'wllama');
    expect(gguf.map((m) => m.id).slice(0, 3)).toEqual(['qwen2.5-coder-1.5b-instruct-q8_0', 'qwen2.5-coder-3b-instruct-q4_k_m', 'qwen2.5-coder-7b-instruct-q4_k_m']);
    const threeB = gguf.find((m) => m.id === 'qwen2.5-coder-3b-instruct-q4_k_m')!;
    expect(threeB).toMatchObject({ runnable: true, fits: true, contextWindow: 32_768, sizeBytes: 1_930_000_000 });
    expect(threeB.vramMB).toBeGreaterThan(3000);
    expect(threeB.note).toContain('GPU · needs ~');
    const sevenB = gguf.find((m) => m.id === 'qwen2.5-coder-7b-instruct-q4_k_m')!;
    expect(sevenB).toMatchObject({ runnable: false, fits: false });
    expect(sevenB.note).toMatch(/^cannot run: .*single 4\.7 GB file/);
  });

  it('gives models that share a name labels that tell them apart', () => {
    const twins = buildCatalog([
      record('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', 1630),
      record('Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC', 1889),
      { ...record('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC-1k', 1100), overrides: { context_window_size: 1024 } },
      record('Qwen2.5-Coder-3B-Instruct-q4f16_1-MLC', 2505),
    ]);
    const labels = distinctLabels(twins);
    expect([...labels.values()]).toEqual([
      'Qwen2.5-Coder 1.5B (q4f16_1, 4k context, 1.6 GB VRAM)',
      'Qwen2.5-Coder 1.5B (q4f32_1, 4k context, 1.9 GB VRAM)',
      'Qwen2.5-Coder 1.5B (q4f16_1, 1k context, 1.1 GB VRAM)',
      'Qwen2.5-Coder 3B',
    ]);
    expect(new Set(labels.values()).size).toBe(labels.size);
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
