import { describe, expect, it } from 'vitest';
import { GGUF_CATALOG, findGgufModel, type GgufModel } from './gguf-catalog';
import { checkGgufFit, chooseContext, estimateMemory, gpuPathAllowed, kvBytesPerToken, largestTensorBytes, WLLAMA_MAX_FILE_BYTES } from './gguf-fit';
import type { WebGpuCheck } from './webgpu-check';

const model = (id: string): GgufModel => findGgufModel(id)!;
const gpu = (limit = 2 ** 31, over: Partial<Extract<WebGpuCheck, { available: true }>> = {}): WebGpuCheck => ({
  available: true,
  fallbackAdapter: false,
  shaderF16: true,
  maxBufferSize: limit,
  maxStorageBufferBindingSize: limit,
  vendor: 'amd',
  architecture: 'rdna-3',
  ...over,
});
const noGpu: WebGpuCheck = { available: false, reason: 'none' };

describe('GGUF fit check', () => {
  it('estimates KV cache from the shape: Qwen2.5-Coder 1.5B takes 28 KiB per token in f16', () => {
    expect(kvBytesPerToken(model('qwen2.5-coder-1.5b-instruct-q8_0').shape)).toBe(28 * 2 * 128 * 2 * 2);
    const m = estimateMemory(model('qwen2.5-coder-1.5b-instruct-q8_0'), 32_768);
    expect(m.kvBytes).toBe(28_672 * 32_768);
    expect(m.totalBytes).toBe(m.weightsBytes + m.kvBytes + m.computeBytes);
  });

  it('runs a GPU model on a roomy adapter with a large context and says so', () => {
    const fit = checkGgufFit(model('qwen2.5-coder-3b-instruct-q4_k_m'), { webgpu: gpu(), memoryBudgetMB: 8192 });
    expect(fit).toMatchObject({ ok: true, place: 'gpu', nCtx: 32_768, withinBudget: true });
    if (fit.ok) expect(fit.note).toMatch(/^GPU · needs ~\d\.\d GB with a 32,768-token context$/);
  });

  it('refuses before any download when the adapter cannot hold the largest tensor, with the figures', () => {
    const m = model('qwen2.5-coder-3b-instruct-q4_k_m');
    const limit = 128 * 2 ** 20;
    expect(largestTensorBytes(m)).toBeGreaterThan(limit);
    const fit = checkGgufFit(m, { webgpu: gpu(limit), memoryBudgetMB: 8192 });
    expect(fit.ok).toBe(false);
    if (!fit.ok) {
      expect(fit.reason).toBe(`This GPU adapter's largest buffer (134 MB) cannot hold Qwen2.5-Coder 3B Instruct (Q4_K_M)'s largest tensor (255 MB).`);
      expect(fit.nextStep).toMatch(/smaller model/);
    }
    // maxStorageBufferBindingSize alone is enough to refuse.
    expect(checkGgufFit(m, { webgpu: gpu(2 ** 31, { maxStorageBufferBindingSize: limit }), memoryBudgetMB: 8192 }).ok).toBe(false);
  });

  it('refuses a single file larger than wllama can read, on any adapter', () => {
    const m = model('qwen2.5-coder-7b-instruct-q4_k_m');
    expect(m.approxBytes).toBeGreaterThan(WLLAMA_MAX_FILE_BYTES);
    for (const webgpu of [gpu(), noGpu]) {
      const fit = checkGgufFit(m, { webgpu, memoryBudgetMB: 16_384 });
      expect(fit.ok).toBe(false);
      if (!fit.ok) expect(`${fit.reason} ${fit.nextStep}`).toMatch(/single 4\.7 GB file.*llama-gguf-split/);
    }
  });

  it('only warns when the memory estimate exceeds the guessed budget (WebGPU hides the real size)', () => {
    const fit = checkGgufFit(model('qwen2.5-coder-3b-instruct-q4_k_m'), { webgpu: gpu(), memoryBudgetMB: 1024 });
    expect(fit).toMatchObject({ ok: true, place: 'gpu', nCtx: 4096, withinBudget: false });
    if (fit.ok) expect(fit.note).toContain('may not fit');
  });

  it('without shader-f16, on a software adapter or where the GPU path is off, the model runs on the CPU (no adapter limits apply)', () => {
    const m = model('qwen2.5-coder-1.5b-instruct-q8_0');
    for (const webgpu of [noGpu, gpu(1, { shaderF16: false }), gpu(1, { fallbackAdapter: true })]) {
      const fit = checkGgufFit(m, { webgpu, memoryBudgetMB: 4096 });
      expect(fit).toMatchObject({ ok: true, place: 'cpu' });
      if (fit.ok) expect(fit.note).toContain('sized for a GPU: slow on the CPU');
    }
    expect(checkGgufFit(m, { webgpu: gpu(), memoryBudgetMB: 4096, gpuAllowed: false })).toMatchObject({ ok: true, place: 'cpu' });
  });
});

describe('context window per model and memory', () => {
  it('picks 32k, 16k or 8k as memory allows on the GPU, and 4096 below that', () => {
    const m = model('qwen2.5-coder-1.5b-instruct-q8_0');
    expect(chooseContext(m, 'gpu', 8192)).toBe(32_768);
    expect(chooseContext(m, 'gpu', 3000)).toBe(16_384);
    expect(chooseContext(m, 'gpu', 2600)).toBe(8192);
    expect(chooseContext(m, 'gpu', 1024)).toBe(4096);
  });

  it('stops at 8k on the CPU and never exceeds the trained context', () => {
    for (const m of GGUF_CATALOG) {
      expect(chooseContext(m, 'cpu', 65_536)).toBeLessThanOrEqual(8192);
      expect(chooseContext(m, 'gpu', 1e9)).toBeLessThanOrEqual(m.trainedContext);
    }
    expect(chooseContext(model('qwen2.5-coder-0.5b-instruct-q8_0'), 'cpu', 4096)).toBe(8192);
  });
});

describe('gpuPathAllowed', () => {
  it('keeps Firefox on the CPU without JSPI (wllama switches WebGPU off there), allows it elsewhere', () => {
    const ff = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:141.0) Gecko/20100101 Firefox/141.0';
    expect(gpuPathAllowed(ff, false)).toBe(false);
    expect(gpuPathAllowed(ff, true)).toBe(true);
    expect(gpuPathAllowed('Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0', false)).toBe(true);
  });
});
