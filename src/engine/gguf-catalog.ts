/**
 * GGUF code models the llama.cpp engine (wllama) offers, and how their download URLs are built.
 * Pure data and pure functions. The same engine runs on the CPU (WebAssembly) and, where the
 * adapter has shader-f16, offloads to WebGPU (llama.cpp's ggml-webgpu backend): entries marked
 * `gpu` are sized for a GPU and are what the engine choice recommends there.
 *
 * Why q8_0 only: in wllama's WebAssembly build the q8_0 kernels use wasm SIMD while the q4_0 /
 * Q4_K ones do not, so on the CPU path q8_0 is both the most accurate and the fastest choice
 * (measured with Qwen2.5-0.5B's shape in headless Chromium, 1 thread: q8_0 prefill about 7 tok/s,
 * decode about 6 tok/s; q4 variants were slower; see docs/engines.md). The price is a larger
 * download, which is why only small models are listed.
 */

export interface GgufModel {
  /** Stable id stored in settings.modelId. */
  id: string;
  label: string;
  /** Repository path on the model host. */
  repo: string;
  file: string;
  quantization: 'q8_0' | 'Q4_K_M';
  parameters: string;
  /** Sized for a GPU (offered first and recommended where WebGPU has shader-f16). */
  gpu: boolean;
  /** Shape for the memory estimate (from the model's config.json). */
  shape: ModelShape;
  /**
   * Approximate download size in bytes, for the estimate shown before downloading; the engine
   * reports the real size from the server while it downloads.
   */
  approxBytes: number;
  /** Context the model was trained with. */
  trainedContext: number;
  /** Context we allocate by default: prefill on a CPU is slow, so a bigger window rarely pays. */
  defaultContext: number;
}

export interface ModelShape {
  layers: number;
  embd: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
}

const QWEN25_VOCAB = 151_936;

export const DEFAULT_GGUF_HOST = 'https://huggingface.co';

export const GGUF_CATALOG: readonly GgufModel[] = [
  {
    id: 'qwen2.5-coder-0.5b-instruct-q8_0',
    label: 'Qwen2.5-Coder 0.5B Instruct (q8_0)',
    repo: 'Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF',
    file: 'qwen2.5-coder-0.5b-instruct-q8_0.gguf',
    quantization: 'q8_0',
    parameters: '0.49B',
    gpu: false,
    shape: { layers: 24, embd: 896, kvHeads: 2, headDim: 64, vocab: QWEN25_VOCAB },
    approxBytes: 676_000_000,
    trainedContext: 32_768,
    defaultContext: 4096,
  },
  {
    id: 'qwen2.5-coder-1.5b-instruct-q8_0',
    label: 'Qwen2.5-Coder 1.5B Instruct (q8_0)',
    repo: 'Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF',
    file: 'qwen2.5-coder-1.5b-instruct-q8_0.gguf',
    quantization: 'q8_0',
    parameters: '1.54B',
    gpu: true,
    shape: { layers: 28, embd: 1536, kvHeads: 2, headDim: 128, vocab: QWEN25_VOCAB },
    approxBytes: 1_890_000_000,
    trainedContext: 32_768,
    defaultContext: 4096,
  },
  // Sizes below are Hugging Face's listing of the file (decimal GB, 3 significant digits).
  {
    id: 'qwen2.5-coder-3b-instruct-q4_k_m',
    label: 'Qwen2.5-Coder 3B Instruct (Q4_K_M)',
    repo: 'bartowski/Qwen2.5-Coder-3B-Instruct-GGUF',
    file: 'Qwen2.5-Coder-3B-Instruct-Q4_K_M.gguf',
    quantization: 'Q4_K_M',
    parameters: '3.09B',
    gpu: true,
    shape: { layers: 36, embd: 2048, kvHeads: 2, headDim: 128, vocab: QWEN25_VOCAB },
    approxBytes: 1_930_000_000,
    trainedContext: 32_768,
    defaultContext: 4096,
  },
  {
    // One 4.68 GB file: more than wllama reads from a single file (see WLLAMA_MAX_FILE_BYTES), so
    // the fit check refuses it until it is split (llama-gguf-split) and served from a mirror.
    id: 'qwen2.5-coder-7b-instruct-q4_k_m',
    label: 'Qwen2.5-Coder 7B Instruct (Q4_K_M)',
    repo: 'bartowski/Qwen2.5-Coder-7B-Instruct-GGUF',
    file: 'Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf',
    quantization: 'Q4_K_M',
    parameters: '7.62B',
    gpu: true,
    shape: { layers: 28, embd: 3584, kvHeads: 4, headDim: 128, vocab: 152_064 },
    approxBytes: 4_680_000_000,
    trainedContext: 32_768,
    defaultContext: 4096,
  },
];

export const DEFAULT_GGUF_MODEL_ID = 'qwen2.5-coder-0.5b-instruct-q8_0';

export type ResolvedGguf =
  | { ok: true; url: string; model: GgufModel | null }
  | { ok: false; reason: string };

export function findGgufModel(id: string): GgufModel | null {
  return GGUF_CATALOG.find((m) => m.id === id) ?? null;
}

/**
 * Normalises a host base ("https://mirror.example/hf/") to "https://mirror.example/hf".
 * Returns null for anything that is not an http(s) URL without query or fragment.
 */
export function normaliseHost(base: string): string | null {
  const trimmed = base.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.search || url.hash || url.username || url.password) return null;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * The download URL of a catalog model. A mirror (settings.modelHosts.wllama) replaces the host
 * and keeps Hugging Face's layout: `<mirror>/<repo>/resolve/main/<file>`.
 */
export function ggufModelUrl(model: GgufModel, mirror = ''): ResolvedGguf {
  let host = DEFAULT_GGUF_HOST;
  if (mirror.trim()) {
    const normalised = normaliseHost(mirror);
    if (!normalised) return { ok: false, reason: `The model mirror "${mirror.trim()}" is not an http(s) URL.` };
    host = normalised;
  }
  const path = `${model.repo}/resolve/main/${model.file}`.split('/').map(encodeURIComponent).join('/');
  return { ok: true, url: `${host}/${path}`, model };
}

/**
 * Resolves settings.modelId for the CPU engine: a catalog id, or a custom http(s) URL to a
 * .gguf file (used as given; the mirror only applies to catalog models).
 */
export function resolveGgufModel(modelId: string | null, mirror = ''): ResolvedGguf {
  const id = (modelId ?? DEFAULT_GGUF_MODEL_ID).trim();
  const known = findGgufModel(id);
  if (known) return ggufModelUrl(known, mirror);
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    return { ok: false, reason: `"${id}" is neither a known CPU model nor a URL.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: 'A custom model URL must start with https:// or http://.' };
  }
  if (!/\.gguf$/i.test(url.pathname)) {
    return { ok: false, reason: 'A custom model URL must point to a .gguf file.' };
  }
  return { ok: true, url: url.href, model: null };
}
