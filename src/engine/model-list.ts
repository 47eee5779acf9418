/**
 * The model manager's list: every model each engine offers here, with its size, whether it fits
 * this machine and whether it is already downloaded. Pure: the caller gathers the catalogs,
 * machine facts and cache state (src/host/model-service.ts).
 */
import type { EngineCapabilitiesReport, FirstRunChoice, ModelEntry } from '../protocol';
import type { EngineKind } from './engine';
import type { EngineRecommendation } from './engine-choice';
import { estimateVramBudgetMB } from './engine-choice';
import { GGUF_CATALOG } from './gguf-catalog';
import { modelsForGpu, MISSING_LIBS_REASON, type CatalogModel } from './webllm-catalog';
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

export function buildModelList(inputs: ModelListInputs): ModelEntry[] {
  const { capabilities: caps, recommendation } = inputs;
  const rec = recommendation.choice;
  const isRecommended = (engine: EngineKind, id: string) => rec.engine === engine && (rec.modelId ?? 'builtin') === id;
  const entries: ModelEntry[] = [];
  const budget = estimateVramBudgetMB(inputs.deviceMemoryGB);

  for (const m of webllmModelsHere(inputs.webllmCatalog, caps)) {
    const bundled = inputs.bundledLibs.has(m.libFile);
    const cached = inputs.cachedBytes.get(cacheKey('webllm', m.id));
    const notes = [m.quantization];
    if (!bundled) notes.push(`not runnable: ${MISSING_LIBS_REASON}`);
    if (caps.webgpu.available && caps.webgpu.fallbackAdapter) notes.push('software GPU: very slow');
    entries.push({
      engine: 'webllm',
      id: m.id,
      label: m.label,
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

  for (const m of GGUF_CATALOG) {
    const cached = inputs.cachedBytes.get(cacheKey('wllama', m.id));
    entries.push({
      engine: 'wllama',
      id: m.id,
      label: m.label,
      sizeBytes: cached ?? m.approxBytes,
      vramMB: null,
      contextWindow: m.defaultContext,
      fits: null,
      cached: cached !== undefined,
      recommended: isRecommended('wllama', m.id),
      code: true,
      runnable: true,
      note: `${m.parameters} parameters, ${m.quantization}, ${caps.crossOriginIsolated ? 'multi-threaded' : 'one thread'}`,
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
