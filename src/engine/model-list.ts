/**
 * The model manager's list: every model each engine offers here, with its size, whether it fits
 * this machine and whether it is already downloaded. Pure: the caller gathers the catalogs,
 * machine facts and cache state (src/host/model-service.ts).
 */
import type { EngineCapabilitiesReport, FirstRunChoice, ModelEntry } from '../protocol';
import type { EngineKind } from './engine';
import type { EngineRecommendation } from './engine-choice';
import { estimateVramBudgetMB, ggufGpuBudgetMB } from './engine-choice';
import { GGUF_CATALOG } from './gguf-catalog';
import { checkGgufFit, ggufPlace } from './gguf-fit';
import type { WebGpuCheck } from './webgpu-check';
import { distinctLabels, modelsForGpu, MISSING_LIBS_REASON, type CatalogModel } from './webllm-catalog';
import { isLocalModelId, LOCAL_MODEL_PREFIX } from './model-cache';

export interface ModelListInputs {
  capabilities: EngineCapabilitiesReport;
  webllmCatalog: readonly CatalogModel[];
  bundledLibs: ReadonlySet<string>;
  deviceMemoryGB?: number;
  /** Bytes on disk per "engine\0id", for the models fully downloaded. */
  cachedBytes: ReadonlyMap<string, number>;
  /** The model in the settings, listed even when it is a custom URL or a local file. */
  current: { engine: EngineKind | null; modelId: string | null };
  recommendation: EngineRecommendation;
}

export function cacheKey(engine: EngineKind, id: string): string {
  return `${engine}\u0000${id}`;
}

/** The web-llm models offered on this GPU: only f32 variants without shader-f16; none without WebGPU. */
export function webllmModelsHere(catalog: readonly CatalogModel[], caps: EngineCapabilitiesReport): CatalogModel[] {
  if (!caps.webgpu.available) return [];
  return modelsForGpu(catalog, { shaderF16: caps.webgpu.shaderF16 });
}

/** The adapter facts of a capabilities report, as the fit check reads them. */
export function webgpuOf(caps: EngineCapabilitiesReport): WebGpuCheck {
  const w = caps.webgpu;
  if (!w.available) return w;
  return {
    available: true,
    fallbackAdapter: w.fallbackAdapter,
    shaderF16: w.shaderF16,
    maxBufferSize: w.maxBufferSize,
    maxStorageBufferBindingSize: w.maxStorageBufferBindingSize ?? w.maxBufferSize,
    vendor: w.vendor,
    architecture: w.architecture,
  };
}

/**
 * web-llm models this build cannot run (no bundled model library), told as one explanation
 * instead of a row each (73 on a GPU without shader-f16); null when every listed model runs.
 */
export function unrunnableWebllm(
  catalog: readonly CatalogModel[],
  caps: EngineCapabilitiesReport,
  bundledLibs: ReadonlySet<string>,
): { engine: 'webllm'; count: number; reason: string } | null {
  const missing = webllmModelsHere(catalog, caps).filter((m) => !bundledLibs.has(m.libFile));
  if (missing.length === 0) return null;
  return {
    engine: 'webllm',
    count: missing.length,
    reason:
      bundledLibs.size === 0
        ? `This is a ${MISSING_LIBS_REASON}: web-llm's ${missing.length} GPU models here cannot run. Run npm run fetch-model-libs before building to bundle them.`
        : `${missing.length} more web-llm GPU models are not bundled in this build and cannot run (npm run fetch-model-libs -- --all bundles them).`,
  };
}

export function buildModelList(inputs: ModelListInputs): ModelEntry[] {
  const { capabilities: caps, recommendation } = inputs;
  const rec = recommendation.choice;
  const isRecommended = (engine: EngineKind, id: string) => rec.engine === engine && (rec.modelId ?? 'builtin') === id;
  const entries: ModelEntry[] = [];
  const budget = estimateVramBudgetMB(inputs.deviceMemoryGB);

  const here = webllmModelsHere(inputs.webllmCatalog, caps);
  const labels = distinctLabels(here);
  const selected = (engine: EngineKind, id: string) => inputs.current.engine === engine && inputs.current.modelId === id;
  for (const m of here) {
    const bundled = inputs.bundledLibs.has(m.libFile);
    // Models this build cannot run are told once (unrunnableWebllm), unless the settings point at one.
    if (!bundled && !selected('webllm', m.id)) continue;
    const cached = inputs.cachedBytes.get(cacheKey('webllm', m.id));
    const notes = [m.quantization];
    if (!bundled) notes.push(`not runnable: ${MISSING_LIBS_REASON}`);
    if (caps.webgpu.available && caps.webgpu.fallbackAdapter) notes.push('software GPU: very slow');
    entries.push({
      engine: 'webllm',
      id: m.id,
      label: labels.get(m.id) ?? m.label,
      sizeBytes: cached ?? (m.downloadMB !== null ? m.downloadMB * 1e6 : null),
      vramMB: m.vramMB,
      contextWindow: m.contextWindow,
      fits: m.vramMB === null ? null : m.vramMB <= budget,
      cached: cached !== undefined,
      recommended: isRecommended('webllm', m.id),
      code: m.code,
      runnable: bundled,
      note: notes.join(' · '),
    });
  }

  const webgpu = webgpuOf(caps);
  const onGpu = ggufPlace({ webgpu, memoryBudgetMB: 0 }) === 'gpu';
  const ggufBudget = onGpu ? ggufGpuBudgetMB(inputs.deviceMemoryGB) : budget;
  // GPU-sized models first where the GPU path runs, CPU-sized first elsewhere.
  const ggufOrder = [...GGUF_CATALOG].sort((a, b) => (onGpu ? Number(b.gpu) - Number(a.gpu) : Number(a.gpu) - Number(b.gpu)));
  for (const m of ggufOrder) {
    const cached = inputs.cachedBytes.get(cacheKey('wllama', m.id));
    const fit = checkGgufFit(m, { webgpu, memoryBudgetMB: ggufBudget });
    const threads = caps.crossOriginIsolated ? 'multi-threaded' : 'one thread';
    entries.push({
      engine: 'wllama',
      id: m.id,
      label: m.label,
      sizeBytes: cached ?? m.approxBytes,
      vramMB: fit.ok && fit.place === 'gpu' ? Math.round(fit.memory.totalBytes / 1e6) : null,
      contextWindow: fit.ok ? fit.nCtx : m.defaultContext,
      fits: fit.ok ? fit.withinBudget : false,
      cached: cached !== undefined,
      recommended: isRecommended('wllama', m.id),
      code: true,
      runnable: fit.ok,
      note: fit.ok
        ? `${m.parameters} parameters, ${m.quantization} · ${fit.note}${fit.place === 'cpu' ? `, ${threads}` : ''}`
        : `cannot run: ${fit.reason} ${fit.nextStep}`,
    });
  }

  const { engine, modelId } = inputs.current;
  if (engine === 'wllama' && modelId && !GGUF_CATALOG.some((m) => m.id === modelId)) {
    const cached = inputs.cachedBytes.get(cacheKey('wllama', modelId));
    const local = isLocalModelId(modelId);
    entries.push({
      engine: 'wllama',
      id: modelId,
      label: local ? modelId.slice(LOCAL_MODEL_PREFIX.length) : (modelId.split('/').pop() ?? modelId),
      sizeBytes: cached ?? null,
      vramMB: null,
      contextWindow: 4096,
      fits: null,
      cached: cached !== undefined,
      recommended: false,
      code: false,
      runnable: true,
      note: local ? 'model file from this computer' : 'custom model URL',
    });
  }

  if (caps.builtin !== 'unavailable') {
    entries.push({
      engine: 'builtin',
      id: 'builtin',
      label: "The browser's built-in model",
      sizeBytes: null,
      vramMB: null,
      contextWindow: 0,
      fits: true,
      cached: caps.builtin === 'available',
      recommended: isRecommended('builtin', 'builtin'),
      code: false,
      runnable: true,
      note: caps.builtin === 'available' ? 'already on this device, no download' : 'the browser downloads it once',
    });
  }
  return entries;
}

export function firstRunChoice(recommendation: EngineRecommendation): FirstRunChoice {
  const { choice, sentence, alternatives } = recommendation;
  return {
    engine: choice.engine,
    modelId: choice.modelId,
    label: choice.label,
    sentence,
    alternatives: alternatives.map((a) => ({ engine: a.engine, modelId: a.modelId, label: a.label, note: a.note })),
  };
}
