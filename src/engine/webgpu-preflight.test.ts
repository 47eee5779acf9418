import { describe, expect, it } from 'vitest';
import { preflightWebGpu } from './webgpu-preflight';
import { buildCatalog } from './webllm-catalog';
import type { WebGpuCheck } from './webgpu-check';

const lib = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_80/x.wasm';
const catalog = buildCatalog([
  { model: 'https://huggingface.co/mlc-ai/A', model_id: 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', model_lib: lib, vram_required_MB: 1600 },
  { model: 'https://huggingface.co/mlc-ai/B', model_id: 'Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC', model_lib: lib, vram_required_MB: 1900, buffer_size_required_bytes: 512 * 2 ** 20 },
]);
const gpu = (over: Partial<Extract<WebGpuCheck, { available: true }>> = {}): WebGpuCheck => ({
  available: true,
  fallbackAdapter: false,
  shaderF16: true,
  maxBufferSize: 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 30,
  vendor: 'v',
  architecture: 'a',
  ...over,
});

describe('preflightWebGpu', () => {
  it('lets a model through when the GPU can run it', () => {
    expect(preflightWebGpu('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', gpu(), catalog)).toBeNull();
  });

  it('without WebGPU points to the CPU engine', () => {
    const e = preflightWebGpu('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', { available: false, reason: 'No adapter.' }, catalog);
    expect(e).toMatchObject({ code: 'no-webgpu', nextStep: expect.stringContaining('CPU engine') });
  });

  it('without shader-f16 names the f32 build of the same model', () => {
    const e = preflightWebGpu('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', gpu({ shaderF16: false }), catalog);
    expect(e).toMatchObject({ code: 'no-f16', nextStep: 'Pick Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC, the f32 build of the same model.' });
  });

  it('refuses a model whose buffers exceed the GPU limit', () => {
    const e = preflightWebGpu('Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC', gpu({ maxStorageBufferBindingSize: 128 * 2 ** 20 }), catalog);
    expect(e?.code).toBe('out-of-memory');
    expect(e?.message).toContain('512 MB');
  });
});
