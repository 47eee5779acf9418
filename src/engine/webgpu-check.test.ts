import { describe, expect, it } from 'vitest';
import { checkWebGpu, type NavigatorLike } from './webgpu-check';

// navigator doubles shaped like Chromium's: the real check runs in scratch/webgpu (Playwright).
function nav(adapter: unknown): NavigatorLike {
  return { gpu: { requestAdapter: async () => adapter as never } };
}

const swiftshader = {
  features: new Set<string>(['texture-compression-bc']),
  limits: { maxBufferSize: 1073741824, maxStorageBufferBindingSize: 1073741824 },
  info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true },
};

describe('checkWebGpu', () => {
  it('reports a software fallback adapter without shader-f16', async () => {
    expect(await checkWebGpu(nav(swiftshader))).toEqual({
      available: true,
      fallbackAdapter: true,
      shaderF16: false,
      maxBufferSize: 1073741824,
      maxStorageBufferBindingSize: 1073741824,
      vendor: 'google',
      architecture: 'swiftshader',
    });
  });

  it('reports a real GPU with shader-f16', async () => {
    const gpu = { ...swiftshader, features: new Set(['shader-f16']), info: { vendor: 'nvidia', architecture: 'ampere' } };
    expect(await checkWebGpu(nav(gpu))).toMatchObject({ available: true, fallbackAdapter: false, shaderF16: true, vendor: 'nvidia' });
  });

  it('reads adapter info from requestAdapterInfo() on older browsers', async () => {
    const old = { features: new Set(), limits: {}, requestAdapterInfo: async () => ({ vendor: 'intel', architecture: 'gen-12lp' }) };
    expect(await checkWebGpu(nav(old))).toMatchObject({ available: true, vendor: 'intel', maxBufferSize: 0 });
  });

  it('is unavailable without navigator.gpu, without an adapter, and when asking throws', async () => {
    expect(await checkWebGpu({})).toMatchObject({ available: false, reason: expect.stringContaining('does not offer WebGPU') });
    expect(await checkWebGpu(undefined)).toMatchObject({ available: false });
    expect(await checkWebGpu(nav(null))).toMatchObject({ available: false, reason: expect.stringContaining('no GPU adapter') });
    const throwing: NavigatorLike = { gpu: { requestAdapter: async () => Promise.reject(new Error('GPU process crashed')) } };
    expect(await checkWebGpu(throwing)).toEqual({ available: false, reason: expect.stringContaining('GPU process crashed') });
  });

  it('gives up on an adapter request that never answers', async () => {
    const hanging: NavigatorLike = { gpu: { requestAdapter: () => new Promise(() => undefined) } };
    expect(await checkWebGpu(hanging, 20)).toMatchObject({ available: false, reason: expect.stringContaining('did not answer') });
  });
});
