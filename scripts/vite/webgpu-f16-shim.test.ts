import { describe, expect, it } from 'vitest';
import { F16_SHIM_SIGNATURE, F16_SHIM_SOURCE } from './webgpu-f16-shim';

/** Stand-ins for the browser's WebGPU classes: the shim patches their prototypes. */
function fakeWebGpu() {
  const seen: { features?: string[]; code?: string } = {};
  class GPUSupportedFeatures {
    constructor(private readonly names: string[]) {}
    has(name: string) {
      return this.names.includes(name);
    }
  }
  class GPUAdapter {
    requestDevice(descriptor?: { requiredFeatures?: string[] }) {
      seen.features = descriptor?.requiredFeatures;
      return new GPUDevice();
    }
  }
  class GPUDevice {
    createShaderModule(descriptor: { code: string; label?: string }) {
      seen.code = descriptor.code;
      return descriptor;
    }
  }
  return { scope: { GPUSupportedFeatures, GPUAdapter, GPUDevice }, seen };
}

function install(scope: object): void {
  // The shim reads globalThis: run it with a globalThis that has only the fakes.
  new Function('globalThis', F16_SHIM_SOURCE)(scope);
}

describe('the test-only f16 shim', () => {
  it('claims shader-f16, keeps the other features truthful, and never asks the device for f16', () => {
    const { scope, seen } = fakeWebGpu();
    install(scope);
    const features = new scope.GPUSupportedFeatures(['subgroups']);
    expect(features.has('shader-f16')).toBe(true);
    expect(features.has('subgroups')).toBe(true);
    expect(features.has('timestamp-query')).toBe(false);
    new scope.GPUAdapter().requestDevice({ requiredFeatures: ['shader-f16', 'subgroups'] });
    expect(seen.features).toEqual(['subgroups']);
  });

  it('rewrites f16 WGSL to f32 (enable line, types, h literals) and keeps the rest of the descriptor', () => {
    const { scope, seen } = fakeWebGpu();
    install(scope);
    const device = new scope.GPUAdapter().requestDevice();
    const wgsl = 'enable f16;\nvar<workgroup> tile: array<f16, 64>;\nfn f(x: vec4<f16>) -> f16 { return x.x * 0.5h + 1h; }\nlet count = 16u; let half_name = 2;';
    const module = device.createShaderModule({ code: wgsl, label: 'mul_mat' }) as { label: string };
    expect(module.label).toBe('mul_mat');
    expect(seen.code).toBe('\nvar<workgroup> tile: array<f32, 64>;\nfn f(x: vec4<f32>) -> f32 { return x.x * 0.5f + 1f; }\nlet count = 16u; let half_name = 2;');
  });

  it('does nothing where there is no WebGPU', () => {
    expect(() => install({})).not.toThrow();
  });

  it('carries the signature the build-output test looks for', () => {
    expect(F16_SHIM_SOURCE).toContain(F16_SHIM_SIGNATURE);
  });
});
