/**
 * First-run choice of engine and model from what the machine offers, explained in one sentence,
 * with the other workable options listed so the user can override it. Pure: the caller gathers
 * the facts (checkWebGpu, builtinAvailability, navigator.deviceMemory / hardwareConcurrency).
 */
import type { EngineKind } from './engine';
import type { BuiltinAvailability } from './builtin-engine';
import type { WebGpuCheck } from './webgpu-check';
import { modelsForGpu, recommendWebLlmModel, type CatalogModel } from './webllm-catalog';

export interface MachineFacts {
  webgpu: WebGpuCheck;
  builtin: BuiltinAvailability;
  /** navigator.deviceMemory in GB (browsers round it and cap it at 8); undefined where missing. */
  deviceMemoryGB?: number;
  /** navigator.hardwareConcurrency. */
  cores?: number;
}

export interface ChoiceInputs extends MachineFacts {
  webllmCatalog: readonly CatalogModel[];
  /** Model libraries in this build; when given, GPU models without one are not offered. */
  bundledLibs?: ReadonlySet<string>;
  /** The CPU engine's models, default first (the CPU engine owns that list). */
  cpuModels?: ReadonlyArray<{ id: string; label: string }>;
}

export interface EngineOption {
  engine: EngineKind;
  /** null: the engine's own default (the built-in engine has one model). */
  modelId: string | null;
  label: string;
  note: string;
}

export interface EngineRecommendation {
  choice: EngineOption;
  /** One sentence saying why, for the first-run screen. */
  sentence: string;
  /** Other options that work here, best first; the choice is not repeated. */
  alternatives: EngineOption[];
}

/**
 * GPU memory to plan with. WebGPU does not reveal memory size, so this leans on system memory
 * (integrated GPUs share it): half of deviceMemory, between 1 and 8 GB; 2 GB when unknown.
 */
export function estimateVramBudgetMB(deviceMemoryGB: number | undefined): number {
  if (typeof deviceMemoryGB !== 'number' || !Number.isFinite(deviceMemoryGB) || deviceMemoryGB <= 0) return 2048;
  return Math.min(8192, Math.max(1024, deviceMemoryGB * 512));
}

/** Default first download cap: keeps the first model near 1 GB (Qwen2.5-Coder 1.5B ≈ 0.9 GB). */
const FIRST_DOWNLOAD_MB = 1000;

function gpuNote(m: CatalogModel): string {
  const dl = m.downloadMB !== null ? `~${formatMB(m.downloadMB)} download` : 'download size unknown';
  const vram = m.vramMB !== null ? `, needs ~${formatMB(m.vramMB)} of GPU memory` : '';
  return `${dl}${vram}`;
}

function formatMB(mb: number): string {
  return mb >= 1000 ? `${(mb / 1000).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}

function gpuOption(m: CatalogModel): EngineOption {
  return { engine: 'webllm', modelId: m.id, label: `${m.label} on the GPU (${m.quantization})`, note: gpuNote(m) };
}

function builtinOption(status: BuiltinAvailability): EngineOption {
  return {
    engine: 'builtin',
    modelId: null,
    label: "The browser's built-in model",
    note: status === 'available' ? 'already on this device, no download' : 'the browser downloads it once',
  };
}

function cpuOption(inputs: ChoiceInputs): EngineOption {
  const m = inputs.cpuModels?.[0];
  return {
    engine: 'wllama',
    modelId: m?.id ?? null,
    label: m ? `${m.label} on the CPU` : 'A small model on the CPU',
    note: 'works everywhere; slow on large pull requests',
  };
}

export function chooseEngine(inputs: ChoiceInputs): EngineRecommendation {
  const { webgpu, builtin } = inputs;
  const realGpu = webgpu.available && !webgpu.fallbackAdapter;
  const shaderF16 = webgpu.available && webgpu.shaderF16;
  const budget = estimateVramBudgetMB(inputs.deviceMemoryGB);

  let gpuPick: CatalogModel | null = null;
  let gpuAlternatives: CatalogModel[] = [];
  if (realGpu) {
    const usable = modelsForGpu(inputs.webllmCatalog, { shaderF16 }).filter(
      (m) => !inputs.bundledLibs || inputs.bundledLibs.has(m.libFile),
    );
    gpuPick =
      recommendWebLlmModel(usable, { vramBudgetMB: budget, shaderF16, maxDownloadMB: FIRST_DOWNLOAD_MB }) ??
      recommendWebLlmModel(usable, { vramBudgetMB: budget, shaderF16, maxDownloadMB: Infinity });
    const quant = shaderF16 ? 'q4f16_1' : 'q4f32_1';
    gpuAlternatives = usable.filter(
      (m) => m.featured && m.code && m.quantization === quant && m.id !== gpuPick?.id && (m.vramMB ?? Infinity) <= budget * 2,
    );
  }

  const builtinUsable = builtin !== 'unavailable';
  const options: EngineOption[] = [];
  let sentence: string;

  if (gpuPick) {
    options.push(gpuOption(gpuPick));
    sentence = shaderF16
      ? `Your browser has WebGPU with shader-f16: ${gpuPick.label} runs on your GPU.`
      : `Your browser has WebGPU without shader-f16: the f32 build of ${gpuPick.label} runs on your GPU.`;
  } else if (builtinUsable) {
    options.push(builtinOption(builtin));
    const why = gpuUnusableReason(inputs, realGpu);
    sentence =
      builtin === 'available'
        ? `${why}, but the browser's built-in model is ready: it reviews without a download.`
        : `${why}, but the browser can download its built-in model once and review with it.`;
  } else {
    options.push(cpuOption(inputs));
    const cores = typeof inputs.cores === 'number' && inputs.cores > 0 ? ` on your ${inputs.cores} cores` : '';
    sentence = `${gpuUnusableReason(inputs, realGpu)}: the CPU engine runs a small model${cores}; reviews are slower.`;
  }

  const alternatives: EngineOption[] = [];
  const push = (o: EngineOption) => {
    if (!options.some((x) => x.engine === o.engine && x.modelId === o.modelId) && !alternatives.some((x) => x.engine === o.engine && x.modelId === o.modelId)) {
      alternatives.push(o);
    }
  };
  for (const m of gpuAlternatives) push(gpuOption(m));
  if (builtinUsable) push(builtinOption(builtin));
  push(cpuOption(inputs));

  const choice = options[0]!;
  return { choice, sentence, alternatives };
}

function gpuUnusableReason(inputs: ChoiceInputs, realGpu: boolean): string {
  const { webgpu } = inputs;
  if (!webgpu.available) return 'No WebGPU here';
  if (!realGpu) return 'WebGPU here is only a software fallback on the CPU';
  if (inputs.bundledLibs && inputs.bundledLibs.size === 0) return 'This build has no GPU model libraries';
  return 'No GPU model fits the memory this device seems to have';
}
