import { beforeAll, describe, expect, it } from 'vitest';
import { chooseEngine, estimateVramBudgetMB, type ChoiceInputs } from './engine-choice';
import type { WebGpuCheck } from './webgpu-check';
import type { CatalogModel } from './webllm-catalog';
import { loadWebLlmCatalog } from './webllm-engine';

let catalog: CatalogModel[];
beforeAll(async () => {
  catalog = await loadWebLlmCatalog();
});

const gpu = (over: Partial<Extract<WebGpuCheck, { available: true }>> = {}): WebGpuCheck => ({
  available: true,
  fallbackAdapter: false,
  shaderF16: true,
  maxBufferSize: 2 ** 31,
  maxStorageBufferBindingSize: 2 ** 31,
  vendor: 'nvidia',
  architecture: 'ampere',
  ...over,
});
const noGpu: WebGpuCheck = { available: false, reason: 'No available adapters.' };
const cpuModels = [{ id: 'qwen2.5-coder-0.5b-q8_0', label: 'Qwen2.5-Coder 0.5B' }];

function inputs(over: Partial<ChoiceInputs>): ChoiceInputs {
  return { webgpu: noGpu, builtin: 'unavailable', webllmCatalog: catalog, cpuModels, ...over };
}

describe('chooseEngine', () => {
  it('a GPU with shader-f16 gets Qwen2.5-Coder 1.5B in f16, explained in one sentence', () => {
    const r = chooseEngine(inputs({ webgpu: gpu(), deviceMemoryGB: 8, cores: 8 }));
    expect(r.choice).toMatchObject({ engine: 'webllm', modelId: 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC' });
    expect(r.sentence).toBe('Your browser has WebGPU with shader-f16: Qwen2.5-Coder 1.5B runs on your GPU.');
    // bigger coder models and the CPU engine remain selectable
    expect(r.alternatives.map((a) => a.modelId)).toContain('Qwen2.5-Coder-3B-Instruct-q4f16_1-MLC');
    expect(r.alternatives.at(-1)).toMatchObject({ engine: 'wllama', modelId: 'qwen2.5-coder-0.5b-q8_0' });
    expect(r.alternatives.some((a) => a.modelId === r.choice.modelId)).toBe(false);
  });

  it('a GPU without shader-f16 gets the q4f32_1 build and only f32 alternatives', () => {
    const r = chooseEngine(inputs({ webgpu: gpu({ shaderF16: false }), deviceMemoryGB: 8 }));
    expect(r.choice.modelId).toBe('Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC');
    expect(r.sentence).toContain('without shader-f16');
    const gpuAlts = r.alternatives.filter((a) => a.engine === 'webllm');
    expect(gpuAlts.length).toBeGreaterThan(0);
    expect(gpuAlts.every((a) => a.modelId?.includes('q4f32_1'))).toBe(true);
  });

  it('a device with little memory gets the 0.5B model', () => {
    const r = chooseEngine(inputs({ webgpu: gpu(), deviceMemoryGB: 2 }));
    expect(r.choice.modelId).toBe('Qwen2.5-Coder-0.5B-Instruct-q4f16_1-MLC');
  });

  it('no WebGPU and no built-in model: the CPU engine, saying reviews are slower', () => {
    const r = chooseEngine(inputs({ cores: 2 }));
    expect(r.choice).toMatchObject({ engine: 'wllama', modelId: 'qwen2.5-coder-0.5b-q8_0' });
    expect(r.sentence).toBe('No WebGPU here: the CPU engine runs a small model on your 2 cores; reviews are slower.');
    expect(r.alternatives).toEqual([]);
  });

  it('a software fallback adapter is not treated as a GPU', () => {
    const r = chooseEngine(inputs({ webgpu: gpu({ fallbackAdapter: true, shaderF16: false, vendor: 'google', architecture: 'swiftshader' }) }));
    expect(r.choice.engine).toBe('wllama');
    expect(r.sentence).toMatch(/^WebGPU here is only a software fallback on the CPU: /);
  });

  it('no WebGPU but a ready built-in model: the built-in model, CPU as the alternative', () => {
    const r = chooseEngine(inputs({ builtin: 'available' }));
    expect(r.choice).toMatchObject({ engine: 'builtin', modelId: null });
    expect(r.sentence).toBe("No WebGPU here, but the browser's built-in model is ready: it reviews without a download.");
    expect(r.alternatives.map((a) => a.engine)).toEqual(['wllama']);
  });

  it('a built-in model that needs downloading says so', () => {
    expect(chooseEngine(inputs({ builtin: 'downloadable' })).sentence).toMatch(/download its built-in model once/);
  });

  it('a GPU still wins over the built-in model, which becomes an alternative', () => {
    const r = chooseEngine(inputs({ webgpu: gpu(), builtin: 'available', deviceMemoryGB: 8 }));
    expect(r.choice.engine).toBe('webllm');
    expect(r.alternatives.some((a) => a.engine === 'builtin')).toBe(true);
  });

  it('a build without model libraries falls back and says why', () => {
    const r = chooseEngine(inputs({ webgpu: gpu(), bundledLibs: new Set(), cores: 4 }));
    expect(r.choice.engine).toBe('wllama');
    expect(r.sentence).toMatch(/^This build has no GPU model libraries: /);
  });

  it('works without a CPU model list', () => {
    const r = chooseEngine({ webgpu: noGpu, builtin: 'unavailable', webllmCatalog: catalog });
    expect(r.choice).toMatchObject({ engine: 'wllama', modelId: null });
    expect(r.sentence).toBe('No WebGPU here: the CPU engine runs a small model; reviews are slower.');
  });
});

describe('estimateVramBudgetMB', () => {
  it('plans with half the system memory within 1–8 GB, 2 GB when unknown', () => {
    expect(estimateVramBudgetMB(8)).toBe(4096);
    expect(estimateVramBudgetMB(0.5)).toBe(1024);
    expect(estimateVramBudgetMB(64)).toBe(8192);
    expect(estimateVramBudgetMB(undefined)).toBe(2048);
    expect(estimateVramBudgetMB(NaN)).toBe(2048);
  });
});
