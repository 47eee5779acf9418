/**
 * TEST-ONLY. A shim that lets llama.cpp's WebGPU backend run on an adapter without `shader-f16`
 * (Chromium's SwiftShader adapter in CI): it claims the feature, drops it from the device request
 * and rewrites every WGSL shader from f16 to f32. The engine then loads with an f32 KV cache and
 * flash attention off (see wllama-engine.ts). It proves the plumbing (offload, generation,
 * workers, the offscreen document), not the real f16 kernels.
 *
 * The vite plugin (wllama-workers.ts) prepends it to the packaged llama.cpp workers of the e2e
 * build only, and each worker runs it only when its URL says so (f16Shim). The production builds
 * never contain it (e2e/build-output.spec.ts checks both).
 */

/** A string that only this shim contains, so a build-output test can look for it. */
export const F16_SHIM_SIGNATURE = 'webgpu-f16-shim: test-only, never in a production build';

/** Plain JavaScript (it runs inside the worker as it is), one statement. */
export const F16_SHIM_SOURCE = `(() => {
  // ${F16_SHIM_SIGNATURE}
  const g = globalThis;
  if (!g.GPUSupportedFeatures || !g.GPUAdapter || !g.GPUDevice) return;
  const has = g.GPUSupportedFeatures.prototype.has;
  g.GPUSupportedFeatures.prototype.has = function (name) {
    return name === 'shader-f16' || has.call(this, name);
  };
  const requestDevice = g.GPUAdapter.prototype.requestDevice;
  g.GPUAdapter.prototype.requestDevice = function (descriptor) {
    const d = descriptor ? { ...descriptor } : descriptor;
    if (d && d.requiredFeatures) d.requiredFeatures = [...d.requiredFeatures].filter((f) => f !== 'shader-f16');
    return requestDevice.call(this, d);
  };
  const createShaderModule = g.GPUDevice.prototype.createShaderModule;
  g.GPUDevice.prototype.createShaderModule = function (descriptor) {
    const code = String(descriptor.code)
      .replace(/^\\s*enable f16;/m, '')
      .replace(/\\bf16\\b/g, 'f32')
      .replace(/(\\d)h\\b/g, '$1f');
    return createShaderModule.call(this, { ...descriptor, code });
  };
})();`;
