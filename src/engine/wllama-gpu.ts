/**
 * Where llama.cpp (wllama) runs a model: on the GPU through WebGPU (ggml-webgpu), or on the CPU.
 *
 * ggml-webgpu needs the adapter feature `shader-f16`; without it llama.cpp silently keeps every
 * layer on the CPU. So the engine asks for GPU layers only when the adapter has it (or, in the e2e
 * build, when the test-only shim stands in for it), and then reads back what llama.cpp really did
 * from its load log ("offloaded N/M layers to GPU"): a CPU fallback is never called GPU.
 */
import type { EnginePlacement } from './engine';

export interface GpuProbe {
  f16: boolean;
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
  adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean };
}

interface GpuLike {
  requestAdapter(options?: object): Promise<{
    features: { has(name: string): boolean };
    limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
    info?: { vendor?: string; architecture?: string; isFallbackAdapter?: boolean };
  } | null>;
}

/** The adapter the engine host sees (the same one llama.cpp's worker gets), or null without WebGPU. */
export async function probeWebGpu(gpu: GpuLike | undefined = typeof navigator === 'undefined' ? undefined : navigator.gpu): Promise<GpuProbe | null> {
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    return {
      f16: adapter.features.has('shader-f16'),
      limits: { maxBufferSize: Number(adapter.limits.maxBufferSize), maxStorageBufferBindingSize: Number(adapter.limits.maxStorageBufferBindingSize) },
      adapter: {
        vendor: adapter.info?.vendor ?? '',
        architecture: adapter.info?.architecture ?? '',
        isFallbackAdapter: !!adapter.info?.isFallbackAdapter,
      },
    };
  } catch {
    return null;
  }
}

export interface OffloadPlan {
  /** What to pass as n_gpu_layers: 0 keeps llama.cpp off WebGPU entirely. */
  nGpuLayers: number;
  /** Load with the test-only f16 shim (f32 KV cache, no flash attention). */
  f16Shim: boolean;
  /** Why the plan keeps the model on the CPU, when it does. */
  reason?: string;
}

/** More than any model has: llama.cpp clamps it to the model's layer count. */
const ALL_LAYERS = 999;
/**
 * The smallest binding limit a GPU may have (WebGPU's default, 128 MiB). A model's largest weight
 * (the token embeddings) must fit one binding; below this even small models do not fit.
 */
const MIN_BINDING = 128 * 1024 * 1024;

/**
 * How many layers to offload. WebGPU tells no device memory size, so the plan checks what the
 * adapter does tell (shader-f16, the binding and buffer limits) against the model's size, asks for
 * every layer when they fit, and relies on the read-back (and a CPU reload if the GPU load fails)
 * for the rest.
 */
export function planOffload(probe: GpuProbe | null, options: { shimAvailable: boolean; modelBytes?: number; nLayer?: number }): OffloadPlan {
  if (!probe) return { nGpuLayers: 0, f16Shim: false, reason: 'This browser offers no WebGPU adapter.' };
  const shim = !probe.f16 && options.shimAvailable;
  if (!probe.f16 && !shim) return { nGpuLayers: 0, f16Shim: false, reason: 'The GPU lacks shader-f16, which llama.cpp\'s WebGPU backend needs.' };
  const { maxStorageBufferBindingSize: binding, maxBufferSize } = probe.limits;
  if (Math.min(binding, maxBufferSize) < MIN_BINDING) {
    return { nGpuLayers: 0, f16Shim: false, reason: 'The GPU\'s buffer limits are below what llama.cpp\'s WebGPU backend needs.' };
  }
  // A model larger than the adapter can hold in its largest buffers may still fit (llama.cpp
  // splits weights over several buffers), but one whose single layer cannot be bound will not:
  // keep such a model on the CPU instead of failing the load.
  if (options.modelBytes !== undefined && options.nLayer && options.modelBytes / options.nLayer > binding) {
    return { nGpuLayers: 0, f16Shim: false, reason: 'One layer of this model is larger than the GPU can bind at once.' };
  }
  return { nGpuLayers: ALL_LAYERS, f16Shim: shim };
}

const OFFLOAD_LINE = /offloaded (\d+)\/(\d+) layers to GPU/;

/** Reads llama.cpp's "offloaded N/M layers to GPU" log line. */
export function parseOffloadLine(line: string): { offloaded: number; total: number } | null {
  const m = OFFLOAD_LINE.exec(line);
  return m ? { offloaded: Number(m[1]), total: Number(m[2]) } : null;
}

/** The placement as the load really turned out. `nLayer` is the model's block count (fallback total). */
export function placementOf(plan: OffloadPlan, readBack: { offloaded: number; total: number } | null, nLayer: number): EnginePlacement {
  const total = readBack?.total ?? nLayer + 1;
  const offloaded = plan.nGpuLayers === 0 ? 0 : (readBack?.offloaded ?? 0);
  if (offloaded === 0) {
    return {
      device: 'cpu',
      layersOffloaded: 0,
      layersTotal: total,
      label: 'CPU',
      reason: plan.reason ?? (readBack ? 'llama.cpp kept every layer on the CPU.' : 'llama.cpp did not report any layer on the GPU.'),
    };
  }
  if (offloaded >= total) return { device: 'gpu', layersOffloaded: offloaded, layersTotal: total, label: 'GPU · llama.cpp' };
  return {
    device: 'gpu',
    layersOffloaded: offloaded,
    layersTotal: total,
    label: `GPU ${offloaded}/${total} layers · llama.cpp`,
    reason: `${total - offloaded} of ${total} layers did not fit the GPU and run on the CPU.`,
  };
}
