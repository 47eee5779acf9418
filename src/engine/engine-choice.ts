/**
 * First-run choice of engine and model from what the machine offers, explained in one sentence,
 * with the other workable options listed so the user can override it. Pure: the caller gathers
 * the facts (checkWebGpu, builtinAvailability, navigator.deviceMemory / hardwareConcurrency,
 * the browser from the user agent).
 *
 * The table (issue 9; docs/engines-webgpu.md "Choosing an engine"):
 * | the machine has              | the engine                                                   |
 * | WebGPU with shader-f16       | llama.cpp on WebGPU (wllama) with a GPU-sized GGUF model     |
 * | WebGPU without shader-f16    | web-llm's q4f32 builds (Chrome build with model libraries)   |
 * | no WebGPU (or software only) | the CPU engine                                               |
 * Why llama.cpp over web-llm where both run: on four GPUs its WebGPU backend decoded 45–69%
 * faster than WebLLM with 29–33% less memory (arXiv 2605.20706), it runs any GGUF model with a
 * context window as large as memory allows (web-llm's prebuilt models stop at 4k), needs no
 * compiled model library in the package, and is the only GPU engine of the Firefox build.
 */
import type { EngineKind } from './engine';
import type { BuiltinAvailability } from './builtin-engine';
import type { WebGpuCheck } from './webgpu-check';
import { GGUF_CATALOG, type GgufModel } from './gguf-catalog';
import { estimateReviewTime, formatDuration, PRIOR_SPEEDS } from './speed-estimate';
import { checkGgufFit } from './gguf-fit';
import { firefoxWebGpuNote, type BrowserFacts } from './browser-facts';
import { modelsForGpu, recommendWebLlmModel, type CatalogModel } from './webllm-catalog';

export interface MachineFacts {
  webgpu: WebGpuCheck;
  builtin: BuiltinAvailability;
  /** navigator.deviceMemory in GB (browsers round it and cap it at 8); undefined where missing. */
  deviceMemoryGB?: number;
  /** navigator.hardwareConcurrency. */
  cores?: number;
  /** Browser and platform (from the user agent); unknown means Chrome-like. */
  browser?: BrowserFacts;
}

export interface ChoiceInputs extends MachineFacts {
  webllmCatalog: readonly CatalogModel[];
  /** Model libraries in this build; when given, GPU models without one are not offered. */
  bundledLibs?: ReadonlySet<string>;
  /** The CPU engine's models, default first (the CPU engine owns that list). */
  cpuModels?: ReadonlyArray<{ id: string; label: string }>;
  /** GGUF models for the llama.cpp engine (default: the catalog); the `gpu` ones are GPU picks. */
  ggufCatalog?: readonly GgufModel[];
  /** False in a build without web-llm (Firefox). */
  webllmInBuild?: boolean;
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

/**
 * Memory budget for a GGUF model on a GPU with shader-f16. Where the browser hides the memory
 * size (Firefox has no navigator.deviceMemory) assume 4 GB: f16 shaders come with recent GPUs
 * (Apple silicon starts at 8 GB of unified memory).
 */
export function ggufGpuBudgetMB(deviceMemoryGB: number | undefined): number {
  return typeof deviceMemoryGB === 'number' && Number.isFinite(deviceMemoryGB) && deviceMemoryGB > 0 ? estimateVramBudgetMB(deviceMemoryGB) : 4096;
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

/**
 * A typical pull request on the CPU engine, from the measured speeds (PRIOR_SPEEDS, see
 * docs/benchmarks.md): about 470 changed lines are about 10,000 prompt tokens in 5 calls, and the
 * shortened map answers about 150 tokens each. The first real review replaces the speeds.
 */
export function cpuReviewTimeNote(): string {
  const t = estimateReviewTime({ promptTokens: 10_000, completionTokens: 5 * 150, calls: 5 }, PRIOR_SPEEDS.wllama);
  return `works everywhere; ${formatDuration(t.seconds)} for a 470-line pull request on 2 cores`;
}

function cpuOption(inputs: ChoiceInputs): EngineOption {
  const m = inputs.cpuModels?.[0];
  return {
    engine: 'wllama',
    modelId: m?.id ?? null,
    label: m ? `${m.label} on the CPU` : 'A small model on the CPU',
    note: cpuReviewTimeNote(),
  };
}

/** llama.cpp on WebGPU over web-llm, in numbers (arXiv 2605.20706, four GPUs). */
export const LLAMACPP_WEBGPU_WHY = 'decodes 45–69% faster than web-llm with 29–33% less memory';

function ggufGpuOption(m: GgufModel, nCtx: number, note: string): EngineOption {
  return { engine: 'wllama', modelId: m.id, label: `${m.label} on the GPU (llama.cpp)`, note: `${gbOf(m.approxBytes)} download · ${note}` };
}

function gbOf(bytes: number): string {
  return formatMB(bytes / 1e6);
}

/** GPU-sized GGUF models that pass the fit check here and fit the memory budget, largest first. */
function ggufGpuPicks(inputs: ChoiceInputs, budget: number): Array<{ model: GgufModel; nCtx: number; note: string }> {
  const picks: Array<{ model: GgufModel; nCtx: number; note: string }> = [];
  for (const m of inputs.ggufCatalog ?? GGUF_CATALOG) {
    if (!m.gpu) continue;
    const fit = checkGgufFit(m, { webgpu: inputs.webgpu, memoryBudgetMB: budget });
    if (fit.ok && fit.place === 'gpu' && fit.withinBudget && fit.nCtx >= 8192) picks.push({ model: m, nCtx: fit.nCtx, note: fit.note });
  }
  return picks.sort((a, b) => b.model.approxBytes - a.model.approxBytes);
}

export function chooseEngine(inputs: ChoiceInputs): EngineRecommendation {
  const { webgpu, builtin } = inputs;
  const realGpu = webgpu.available && !webgpu.fallbackAdapter;
  const shaderF16 = webgpu.available && webgpu.shaderF16;
  const webllmHere = inputs.webllmInBuild !== false;
  const budget = estimateVramBudgetMB(inputs.deviceMemoryGB);

  // web-llm: its q4f16 builds where f16 exists (an alternative), its q4f32 builds where it does not.
  let webllmPick: CatalogModel | null = null;
  let webllmAlternatives: CatalogModel[] = [];
  if (realGpu && webllmHere) {
    const usable = modelsForGpu(inputs.webllmCatalog, { shaderF16 }).filter(
      (m) => !inputs.bundledLibs || inputs.bundledLibs.has(m.libFile),
    );
    webllmPick =
      recommendWebLlmModel(usable, { vramBudgetMB: budget, shaderF16, maxDownloadMB: FIRST_DOWNLOAD_MB }) ??
      recommendWebLlmModel(usable, { vramBudgetMB: budget, shaderF16, maxDownloadMB: Infinity });
    const quant = shaderF16 ? 'q4f16_1' : 'q4f32_1';
    webllmAlternatives = usable.filter(
      (m) => m.featured && m.code && m.quantization === quant && m.id !== webllmPick?.id && (m.vramMB ?? Infinity) <= budget * 2,
    );
  }
  const ggufPicks = realGpu && shaderF16 ? ggufGpuPicks(inputs, ggufGpuBudgetMB(inputs.deviceMemoryGB)) : [];

  const builtinUsable = builtin !== 'unavailable';
  let choice: EngineOption;
  let sentence: string;
  const gguf = ggufPicks[0];

  if (gguf) {
    choice = ggufGpuOption(gguf.model, gguf.nCtx, gguf.note);
    sentence =
      `Your browser has WebGPU with shader-f16: ${shortLabel(gguf.model.label)} runs on your GPU with llama.cpp, ` +
      `which ${LLAMACPP_WEBGPU_WHY} and reads ${gguf.nCtx.toLocaleString('en')} tokens at once.`;
  } else if (webllmPick) {
    choice = gpuOption(webllmPick);
    sentence = shaderF16
      ? `Your browser has WebGPU with shader-f16: ${webllmPick.label} runs on your GPU.`
      : `Your browser has WebGPU without shader-f16: the f32 build of ${webllmPick.label} runs on your GPU.`;
  } else {
    choice = cpuOption(inputs);
    const cores = typeof inputs.cores === 'number' && inputs.cores > 0 ? ` on your ${inputs.cores} cores` : '';
    sentence = `${gpuUnusableReason(inputs, realGpu, shaderF16)}: the CPU engine runs a small model${cores}; reviews are slower.`;
  }

  const alternatives: EngineOption[] = [];
  const push = (o: EngineOption) => {
    const same = (x: EngineOption) => x.engine === o.engine && x.modelId === o.modelId;
    if (!same(choice) && !alternatives.some(same)) alternatives.push(o);
  };
  for (const p of ggufPicks) push(ggufGpuOption(p.model, p.nCtx, p.note));
  if (webllmPick) push(gpuOption(webllmPick));
  for (const m of webllmAlternatives) push(gpuOption(m));
  if (builtinUsable) push(builtinOption(builtin));
  push(cpuOption(inputs));
  return { choice, sentence, alternatives };
}

/** "Qwen2.5-Coder 3B Instruct (Q4_K_M)" → "Qwen2.5-Coder 3B". */
function shortLabel(label: string): string {
  return label.replace(/ Instruct.*$/, '').replace(/ \(.*\)$/, '');
}

function gpuUnusableReason(inputs: ChoiceInputs, realGpu: boolean, shaderF16: boolean): string {
  const { webgpu } = inputs;
  if (!webgpu.available) {
    const firefox = inputs.browser ? firefoxWebGpuNote(inputs.browser) : null;
    return firefox ? `No WebGPU here (${firefox})` : 'No WebGPU here';
  }
  if (!realGpu) return 'WebGPU here is only a software fallback on the CPU';
  if (!shaderF16 && inputs.webllmInBuild === false) {
    return "This GPU has no shader-f16, which llama.cpp's GPU path needs, and this build has no web-llm for its f32 models";
  }
  if (!shaderF16 && inputs.bundledLibs && inputs.bundledLibs.size === 0) {
    return 'This GPU has no shader-f16 and this build has no GPU model libraries for the f32 models';
  }
  return 'No GPU model fits the memory this device seems to have';
}
