/**
 * Checks the GPU before a web-llm model starts downloading, so a machine that cannot run it hears
 * why at once (with the model to pick instead) rather than after a gigabyte of weights.
 * Pure: the caller passes the WebGPU check and the catalog.
 */
import { EngineError } from './engine';
import type { WebGpuCheck } from './webgpu-check';
import type { CatalogModel } from './webllm-catalog';

/** The f32 build of the same model, for GPUs without shader-f16 (q4f16_1 → q4f32_1). */
export function f32Variant(model: CatalogModel, catalog: readonly CatalogModel[]): CatalogModel | null {
  if (!model.needsShaderF16) return null;
  const wanted = model.id.replace(/q(\d+)f16_(\d+)/, 'q$1f32_$2').replace(/q0f16/, 'q0f32');
  return catalog.find((m) => m.id === wanted && !m.needsShaderF16) ?? null;
}

/** Null when the model can be loaded on this GPU; otherwise the error to show. */
export function preflightWebGpu(modelId: string, gpu: WebGpuCheck, catalog: readonly CatalogModel[]): EngineError | null {
  if (!gpu.available) {
    return new EngineError('no-webgpu', `WebGPU is not available here: ${gpu.reason}`, 'Use the CPU engine instead (options → Engine).');
  }
  const model = catalog.find((m) => m.id === modelId);
  if (!model) return null; // the adapter reports unknown models itself
  if (model.needsShaderF16 && !gpu.shaderF16) {
    const alt = f32Variant(model, catalog);
    return new EngineError(
      'no-f16',
      `This GPU cannot run 16-bit shaders (no shader-f16), which ${model.id} needs.`,
      alt ? `Pick ${alt.id}, the f32 build of the same model.` : 'Pick a model whose name has q4f32_1.',
    );
  }
  const needed = model.record.buffer_size_required_bytes;
  if (typeof needed === 'number' && gpu.maxStorageBufferBindingSize > 0 && needed > gpu.maxStorageBufferBindingSize) {
    return new EngineError(
      'out-of-memory',
      `This GPU's buffers are too small for ${model.id} (it needs ${Math.round(needed / 2 ** 20)} MB in one buffer, the GPU allows ${Math.round(gpu.maxStorageBufferBindingSize / 2 ** 20)} MB).`,
      'Pick a smaller model, or the CPU engine.',
    );
  }
  return null;
}
