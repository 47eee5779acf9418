import { describe, expect, it } from 'vitest';
import { parseOffloadLine, placementOf, planOffload, probeWebGpu, type GpuProbe } from './wllama-gpu';

const GiB = 1024 ** 3;
/** What Chromium's SwiftShader adapter reports (measured, docs/engines-webgpu.md). */
const SWIFTSHADER: GpuProbe = {
  f16: false,
  limits: { maxBufferSize: GiB, maxStorageBufferBindingSize: GiB },
  adapter: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true },
};
const F16_GPU: GpuProbe = { ...SWIFTSHADER, f16: true, adapter: { vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false } };

describe('planOffload', () => {
  it('asks for every layer on a GPU with shader-f16', () => {
    const plan = planOffload(F16_GPU, { shimAvailable: false });
    expect(plan.nGpuLayers).toBeGreaterThanOrEqual(999);
    expect(plan.f16Shim).toBe(false);
    expect(plan.reason).toBeUndefined();
  });

  it('keeps the model on the CPU, with the reason, without WebGPU or without shader-f16', () => {
    expect(planOffload(null, { shimAvailable: true })).toEqual({ nGpuLayers: 0, f16Shim: false, reason: 'This browser offers no WebGPU adapter.' });
    const noF16 = planOffload(SWIFTSHADER, { shimAvailable: false });
    expect(noF16.nGpuLayers).toBe(0);
    expect(noF16.reason).toMatch(/shader-f16/);
  });

  it('uses the test-only shim only where f16 is missing and the shim is offered', () => {
    expect(planOffload(SWIFTSHADER, { shimAvailable: true })).toMatchObject({ f16Shim: true });
    expect(planOffload(F16_GPU, { shimAvailable: true })).toMatchObject({ f16Shim: false });
  });

  it('refuses adapters whose buffers are below what the backend needs, and layers too large to bind', () => {
    const small = { ...F16_GPU, limits: { maxBufferSize: 64 * 1024 * 1024, maxStorageBufferBindingSize: 64 * 1024 * 1024 } };
    expect(planOffload(small, { shimAvailable: false })).toMatchObject({ nGpuLayers: 0, reason: expect.stringMatching(/buffer limits/) });
    const onlyBinding = { ...F16_GPU, limits: { maxBufferSize: 4 * GiB, maxStorageBufferBindingSize: 128 * 1024 * 1024 } };
    expect(planOffload(onlyBinding, { shimAvailable: false, modelBytes: 8 * GiB, nLayer: 28 })).toMatchObject({ nGpuLayers: 0 });
    expect(planOffload(onlyBinding, { shimAvailable: false, modelBytes: 2 * GiB, nLayer: 28 }).nGpuLayers).toBeGreaterThan(0);
  });
});

describe('reading back where the layers went', () => {
  it('parses llama.cpp\'s offload line', () => {
    expect(parseOffloadLine('load_tensors: offloaded 3/3 layers to GPU')).toEqual({ offloaded: 3, total: 3 });
    expect(parseOffloadLine('load_tensors: offloaded 0/29 layers to GPU')).toEqual({ offloaded: 0, total: 29 });
    expect(parseOffloadLine('load_tensors: layer   0 assigned to device CPU')).toBeNull();
  });

  it('says GPU only for layers llama.cpp really offloaded', () => {
    const gpuPlan = planOffload(F16_GPU, { shimAvailable: false });
    expect(placementOf(gpuPlan, { offloaded: 3, total: 3 }, 2)).toEqual({ device: 'gpu', layersOffloaded: 3, layersTotal: 3, label: 'GPU · llama.cpp' });
    // Asked for the GPU, but llama.cpp stayed on the CPU (the silent fallback): CPU, never GPU.
    expect(placementOf(gpuPlan, { offloaded: 0, total: 3 }, 2)).toMatchObject({ device: 'cpu', label: 'CPU', reason: expect.stringMatching(/kept every layer/) });
    // No log line at all: nothing is assumed to be on the GPU.
    expect(placementOf(gpuPlan, null, 2)).toMatchObject({ device: 'cpu', layersOffloaded: 0, layersTotal: 3 });
    const partial = placementOf(gpuPlan, { offloaded: 12, total: 29 }, 28);
    expect(partial).toMatchObject({ device: 'gpu', label: 'GPU 12/29 layers · llama.cpp', reason: '17 of 29 layers did not fit the GPU and run on the CPU.' });
  });

  it('carries the plan\'s reason when the plan kept the model on the CPU', () => {
    const cpuPlan = planOffload(SWIFTSHADER, { shimAvailable: false });
    expect(placementOf(cpuPlan, { offloaded: 0, total: 3 }, 2)).toEqual({ device: 'cpu', layersOffloaded: 0, layersTotal: 3, label: 'CPU', reason: cpuPlan.reason });
  });
});

describe('probeWebGpu', () => {
  it('reports the adapter\'s f16 feature, limits and kind, or null without an adapter', async () => {
    const gpu = {
      requestAdapter: async () => ({
        features: new Set(['subgroups']),
        limits: { maxBufferSize: GiB, maxStorageBufferBindingSize: GiB },
        info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true },
      }),
    };
    expect(await probeWebGpu(gpu)).toEqual(SWIFTSHADER);
    expect(await probeWebGpu({ requestAdapter: async () => null })).toBeNull();
    expect(await probeWebGpu({ requestAdapter: () => Promise.reject(new Error('blocked')) })).toBeNull();
    expect(await probeWebGpu(undefined)).toBeNull();
  });
});
