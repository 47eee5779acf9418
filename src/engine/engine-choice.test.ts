import { PRIOR_SPEEDS } from './speed-estimate';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseEngine, estimateVramBudgetMB, type ChoiceInputs } from './engine-choice';
import { browserFacts } from './browser-facts';
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

describe('the CPU option', () => {
  it('tells the time a typical pull request takes at the measured CPU speeds', () => {
    const r = chooseEngine(inputs({}));
    expect(r.choice.engine).toBe('wllama');
    // 10,000 prompt tokens at the measured prefill speed dominate: minutes, not seconds.
    const minutes = 10_000 / PRIOR_SPEEDS.wllama.prefillTps / 60;
    expect(r.choice.note).toMatch(/^works everywhere; about \d+ min for a 470-line pull request on 2 cores$/);
    expect(Number(/about (\d+) min/.exec(r.choice.note)![1])).toBeGreaterThanOrEqual(Math.floor(minutes));
  });
});

describe('chooseEngine: the capability table', () => {
  it('WebGPU with shader-f16: llama.cpp on the GPU with a GPU-sized GGUF model, the reason in one sentence with the figures', () => {
    const r = chooseEngine(inputs({ webgpu: gpu(), deviceMemoryGB: 8, cores: 8 }));
    expect(r.choice.engine).toBe('wllama');
    expect(r.choice.modelId).toBe('qwen2.5-coder-3b-instruct-q4_k_m');
    expect(r.choice.label).toContain('on the GPU (llama.cpp)');
    expect(r.sentence).toBe(
      'Your browser has WebGPU with shader-f16: Qwen2.5-Coder 3B runs on your GPU with llama.cpp, which decodes 45–69% faster than web-llm with 29–33% less memory and reads 32,768 tokens at once.',
    );
    expect(r.sentence.split('. ').length).toBe(1);
    // web-llm's f16 build and the CPU engine remain selectable; the choice is not repeated
    expect(r.alternatives.map((a) => a.modelId)).toContain('qwen2.5-coder-1.5b-instruct-q8_0');
    expect(r.alternatives.map((a) => a.modelId)).toContain('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC');
    expect(r.alternatives.at(-1)).toMatchObject({ engine: 'wllama', modelId: 'qwen2.5-coder-0.5b-q8_0' });
    expect(r.alternatives.some((a) => a.modelId === r.choice.modelId)).toBe(false);
  });

  it('the GPU pick shrinks with the memory: 1.5B on a 6 GB device, web-llm when no GGUF fits', () => {
    expect(chooseEngine(inputs({ webgpu: gpu(), deviceMemoryGB: 6 })).choice.modelId).toBe('qwen2.5-coder-3b-instruct-q4_k_m');
    const small = chooseEngine(inputs({ webgpu: gpu(), deviceMemoryGB: 2 }));
    expect(small.choice).toMatchObject({ engine: 'webllm', modelId: 'Qwen2.5-Coder-0.5B-Instruct-q4f16_1-MLC' });
  });

  it('an adapter whose buffers cannot hold the model gets no GGUF model on the GPU', () => {
    const r = chooseEngine(inputs({ webgpu: gpu({ maxBufferSize: 128 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20 }), deviceMemoryGB: 8 }));
    expect(r.choice.engine).toBe('webllm');
  });

  it('WebGPU without shader-f16: web-llm\'s q4f32 build and only f32 alternatives', () => {
    const r = chooseEngine(inputs({ webgpu: gpu({ shaderF16: false }), deviceMemoryGB: 8 }));
    expect(r.choice.modelId).toBe('Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC');
    expect(r.sentence).toContain('without shader-f16');
    const gpuAlts = r.alternatives.filter((a) => a.engine === 'webllm');
    expect(gpuAlts.length).toBeGreaterThan(0);
    expect(gpuAlts.every((a) => a.modelId?.includes('q4f32_1'))).toBe(true);
    expect(r.alternatives.some((a) => a.label.includes('llama.cpp'))).toBe(false);
  });

  it('no WebGPU: the CPU engine, saying reviews are slower', () => {
    const r = chooseEngine(inputs({ cores: 2 }));
    expect(r.choice).toMatchObject({ engine: 'wllama', modelId: 'qwen2.5-coder-0.5b-q8_0' });
    expect(r.sentence).toBe('No WebGPU here: the CPU engine runs a small model on your 2 cores; reviews are slower.');
    expect(r.alternatives).toEqual([]);
  });

  it('no WebGPU but a ready built-in model: still the CPU engine (the table), the built-in model as an alternative', () => {
    const r = chooseEngine(inputs({ builtin: 'available' }));
    expect(r.choice.engine).toBe('wllama');
    expect(r.alternatives.map((a) => a.engine)).toEqual(['builtin']);
  });

  it('a software fallback adapter is not treated as a GPU', () => {
    const r = chooseEngine(inputs({ webgpu: gpu({ fallbackAdapter: true, shaderF16: false, vendor: 'google', architecture: 'swiftshader' }) }));
    expect(r.choice.engine).toBe('wllama');
    expect(r.choice.label).toContain('on the CPU');
    expect(r.sentence).toMatch(/^WebGPU here is only a software fallback on the CPU: /);
  });

  it('a GPU still wins over the built-in model, which becomes an alternative', () => {
    const r = chooseEngine(inputs({ webgpu: gpu(), builtin: 'available', deviceMemoryGB: 8 }));
    expect(r.choice.label).toContain('GPU');
    expect(r.alternatives.some((a) => a.engine === 'builtin')).toBe(true);
  });

  it('without f16 in a build without model libraries: the CPU, saying why', () => {
    const r = chooseEngine(inputs({ webgpu: gpu({ shaderF16: false }), bundledLibs: new Set(), cores: 4 }));
    expect(r.choice.engine).toBe('wllama');
    expect(r.sentence).toMatch(/^This GPU has no shader-f16 and this build has no GPU model libraries/);
  });

  it('with f16 a build without model libraries still runs on the GPU through llama.cpp', () => {
    const r = chooseEngine(inputs({ webgpu: gpu(), bundledLibs: new Set(), deviceMemoryGB: 8 }));
    expect(r.choice.label).toContain('llama.cpp');
    expect(r.alternatives.some((a) => a.engine === 'webllm')).toBe(false);
  });

  it('works without a CPU model list', () => {
    const r = chooseEngine({ webgpu: noGpu, builtin: 'unavailable', webllmCatalog: catalog });
    expect(r.choice).toMatchObject({ engine: 'wllama', modelId: null });
    expect(r.sentence).toBe('No WebGPU here: the CPU engine runs a small model; reviews are slower.');
  });
});

describe('chooseEngine: Firefox rows (no web-llm in the build)', () => {
  const firefox = (version: number, os: 'windows' | 'mac' | 'linux') => ({ name: 'firefox' as const, version, os });

  it('Firefox 141+ on Windows with shader-f16 (no deviceMemory there): llama.cpp on the GPU', () => {
    const r = chooseEngine(inputs({ webgpu: gpu(), webllmInBuild: false, browser: firefox(141, 'windows') }));
    expect(r.choice.label).toContain('llama.cpp');
    expect(r.alternatives.some((a) => a.engine === 'webllm')).toBe(false);
  });

  it('Firefox with WebGPU but no shader-f16: the CPU, since web-llm is not in its build', () => {
    const r = chooseEngine(inputs({ webgpu: gpu({ shaderF16: false }), webllmInBuild: false, browser: firefox(145, 'mac') }));
    expect(r.choice.engine).toBe('wllama');
    expect(r.choice.label).toContain('CPU');
    expect(r.sentence).toMatch(/^This GPU has no shader-f16, which llama.cpp's GPU path needs, and this build has no web-llm/);
    expect(r.alternatives.some((a) => a.engine === 'webllm')).toBe(false);
  });

  it('Firefox before 141 on Windows, before 145 on a Mac, or on Linux: the CPU, naming the version rule', () => {
    expect(chooseEngine(inputs({ webllmInBuild: false, browser: firefox(140, 'windows') })).sentence).toBe(
      'No WebGPU here (Firefox gives extensions WebGPU on Windows from version 141; this is 140): the CPU engine runs a small model; reviews are slower.',
    );
    expect(chooseEngine(inputs({ webllmInBuild: false, browser: firefox(144, 'mac') })).sentence).toContain('Apple silicon Macs from version 145; this is 144');
    expect(chooseEngine(inputs({ webllmInBuild: false, browser: firefox(150, 'linux') })).sentence).toContain('not on Linux yet');
    expect(chooseEngine(inputs({ browser: { name: 'chrome', version: 150, os: 'linux' } })).sentence).toMatch(/^No WebGPU here: /);
  });
});

describe('browserFacts', () => {
  it('reads Firefox and Chrome user agents', () => {
    expect(browserFacts('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:141.0) Gecko/20100101 Firefox/141.0')).toEqual({ name: 'firefox', version: 141, os: 'windows' });
    expect(browserFacts('Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:145.0) Gecko/20100101 Firefox/145.0')).toEqual({ name: 'firefox', version: 145, os: 'mac' });
    expect(browserFacts('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36')).toEqual({ name: 'chrome', version: 156, os: 'linux' });
    expect(browserFacts('')).toEqual({ name: 'other', version: 0, os: 'other' });
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
