/**
 * Will a GGUF model run here, where (GPU or CPU), and with how large a context window?
 * Pure: the caller passes the adapter check and the memory facts.
 *
 * WebGPU does not reveal how much memory a GPU has, so two kinds of limit are used:
 * - hard facts, which refuse a model before any download: the adapter's largest buffer and
 *   storage binding must hold the model's largest tensor, and wllama must be able to read the file;
 * - an estimate of device memory (weights + KV cache + compute buffers) against a budget guessed
 *   from navigator.deviceMemory, which only warns ("may not fit") and sizes the context window:
 *   browsers cap deviceMemory at 8, so refusing on it would lock out every large GPU.
 */
import type { GgufModel, ModelShape } from './gguf-catalog';
import type { WebGpuCheck } from './webgpu-check';

/** wllama reads a model file into one ArrayBuffer: 2 GB at most per file (wllama 3.13 README). */
export const WLLAMA_MAX_FILE_BYTES = 2 ** 31;

/** The context windows the engine picks from, largest first (8k–32k where memory allows). */
export const CONTEXT_STEPS = [32_768, 16_384, 8192] as const;
export const SMALL_CONTEXT = 4096;

/** llama.cpp's default physical batch; compute buffers scale with it. */
const UBATCH = 512;
/** Bytes per weight of the largest tensor (the output / tied embedding matrix) per file type. */
const OUTPUT_BYTES_PER_WEIGHT: Record<GgufModel['quantization'], number> = {
  q8_0: 34 / 32,
  // Q4_K_M keeps the output matrix in Q6_K (210 bytes per 256 weights).
  Q4_K_M: 210 / 256,
};

export interface MemoryEstimate {
  weightsBytes: number;
  kvBytes: number;
  computeBytes: number;
  totalBytes: number;
}

/** f16 KV cache bytes per token of context: K and V, per layer, per KV head. */
export function kvBytesPerToken(shape: ModelShape): number {
  return shape.layers * shape.kvHeads * shape.headDim * 2 * 2;
}

/** The largest single tensor: vocabulary × width (embedding / output matrix). */
export function largestTensorBytes(model: GgufModel): number {
  return Math.ceil(model.shape.vocab * model.shape.embd * OUTPUT_BYTES_PER_WEIGHT[model.quantization]);
}

export function estimateMemory(model: GgufModel, nCtx: number): MemoryEstimate {
  const weightsBytes = model.approxBytes;
  const kvBytes = kvBytesPerToken(model.shape) * nCtx;
  // Logits of one batch (f32) plus activations of one batch across the width, a few times over.
  const computeBytes = UBATCH * model.shape.vocab * 4 + UBATCH * model.shape.embd * 4 * 16;
  return { weightsBytes, kvBytes, computeBytes, totalBytes: weightsBytes + kvBytes + computeBytes };
}

export type GgufPlace = 'gpu' | 'cpu';

export type GgufFit =
  | {
      ok: true;
      place: GgufPlace;
      /** Context window to allocate. */
      nCtx: number;
      memory: MemoryEstimate;
      /** False when the estimate exceeds the memory budget (a warning, never a refusal). */
      withinBudget: boolean;
      /** One line for people: where it runs, the estimate, and any warning. */
      note: string;
    }
  | { ok: false; reason: string; nextStep: string; limit: 'file' | 'adapter' };

export interface FitFacts {
  webgpu: WebGpuCheck;
  /** Memory the GPU (or, on the CPU path, the wasm heap) may use, in MB. */
  memoryBudgetMB: number;
  /** False where the GPU path is off (Firefox without JSPI, a test forcing the CPU). */
  gpuAllowed?: boolean;
}

/** Where the llama.cpp engine runs with this adapter: the GPU needs a hardware adapter with shader-f16. */
export function ggufPlace(facts: FitFacts): GgufPlace {
  const w = facts.webgpu;
  return facts.gpuAllowed !== false && w.available && w.shaderF16 && !w.fallbackAdapter ? 'gpu' : 'cpu';
}

/** wasm64 in wllama 3.13 reserves at most 4 GiB of memory (65,536 pages of 64 KiB). */
const WASM_MAX_MB = 4096;

/** On the CPU, attention over a long prompt costs more than the calls it saves: stop at 8k. */
const CPU_MAX_CONTEXT = 8192;

/**
 * The largest context step whose whole estimate fits the budget, capped at what the model was
 * trained with (and at 8k on the CPU); 4096 when even 8k does not fit.
 */
export function chooseContext(model: GgufModel, place: GgufPlace, memoryBudgetMB: number): number {
  const budget = (place === 'cpu' ? Math.min(memoryBudgetMB, WASM_MAX_MB) : memoryBudgetMB) * 1e6;
  for (const n of CONTEXT_STEPS) {
    if (n > model.trainedContext || (place === 'cpu' && n > CPU_MAX_CONTEXT)) continue;
    if (estimateMemory(model, n).totalBytes <= budget) return n;
  }
  return Math.min(SMALL_CONTEXT, model.trainedContext);
}

function gb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`;
}

export function checkGgufFit(model: GgufModel, facts: FitFacts): GgufFit {
  if (model.approxBytes > WLLAMA_MAX_FILE_BYTES) {
    return {
      ok: false,
      reason: `${model.label} is a single ${gb(model.approxBytes)} file; the llama.cpp engine reads at most ${gb(WLLAMA_MAX_FILE_BYTES)} per file.`,
      nextStep: 'Split it into parts of 512 MB with llama-gguf-split and enter the URL of the first part, or pick a smaller model.',
      limit: 'file',
    };
  }
  const place = ggufPlace(facts);
  const w = facts.webgpu;
  if (place === 'gpu' && w.available) {
    const limit = Math.min(w.maxBufferSize || Infinity, w.maxStorageBufferBindingSize || Infinity);
    const largest = largestTensorBytes(model);
    if (largest > limit) {
      return {
        ok: false,
        reason: `This GPU adapter's largest buffer (${gb(limit)}) cannot hold ${model.label}'s largest tensor (${gb(largest)}).`,
        nextStep: 'Pick a smaller model, or the CPU engine with a small model.',
        limit: 'adapter',
      };
    }
  }
  const nCtx = chooseContext(model, place, facts.memoryBudgetMB);
  const memory = estimateMemory(model, nCtx);
  const withinBudget = memory.totalBytes <= facts.memoryBudgetMB * 1e6;
  const where = place === 'gpu' ? 'GPU' : 'CPU';
  const note =
    `${where} · needs ~${gb(memory.totalBytes)} with a ${nCtx.toLocaleString('en')}-token context` +
    (withinBudget ? '' : ` · may not fit the ~${gb(facts.memoryBudgetMB * 1e6)} this device seems to have`) +
    (place === 'cpu' && model.gpu ? ' · sized for a GPU: slow on the CPU' : '');
  return { ok: true, place, nCtx, memory, withinBudget, note };
}

/**
 * False where wllama keeps llama.cpp on the CPU whatever the adapter says: wllama 3.13 turns
 * WebGPU off in Firefox unless WebAssembly JS promise integration (JSPI) is available.
 */
export function gpuPathAllowed(userAgent: string, hasJspi: boolean): boolean {
  return !/\bFirefox\//.test(userAgent) || hasJspi;
}
