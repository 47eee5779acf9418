/**
 * The web-llm models this extension offers, derived from web-llm's own prebuilt list, plus the
 * rules that decide where a model's files come from.
 *
 * Pure: the model list is passed in (webllm-engine.ts loads it from the library), so the options
 * page and the tests can use this without pulling in the 6 MB library.
 *
 * Store policy: Chrome Web Store extensions may not run remotely hosted code, and a model library
 * (`model_lib`, compiled WebGPU kernels in a .wasm) is code. So the library must ship inside the
 * extension (public/model-libs/, filled by scripts/fetch-model-libs.ts), while the weights are
 * data and may be downloaded from Hugging Face or a mirror.
 */
import { isRecord } from '../shared/guards';

/** The fields of web-llm's `ModelRecord` this module reads (structurally compatible with it). */
export interface WebLlmModelRecord {
  model: string;
  model_id: string;
  model_lib: string;
  overrides?: { context_window_size?: number };
  vram_required_MB?: number;
  low_resource_required?: boolean;
  buffer_size_required_bytes?: number;
  required_features?: string[];
  /** web-llm's ModelType: 0 = LLM, 1 = embedding, 2 = VLM. */
  model_type?: number;
}

export type Quantization = 'q4f16_1' | 'q4f32_1' | 'q0f16' | 'q0f32' | 'q3f16_1' | string;

export interface CatalogModel {
  id: string;
  /** Family and size for people: "Qwen2.5-Coder 1.5B". */
  label: string;
  /** Trained for code (preferred for reviews). */
  code: boolean;
  /** Parameters in billions, parsed from the id; null when the id does not say. */
  paramsB: number | null;
  quantization: Quantization;
  /** The model's kernels use 16-bit floats, so the GPU must offer `shader-f16`. */
  needsShaderF16: boolean;
  vramMB: number | null;
  /** Context window in tokens as web-llm loads it (default 4096). */
  contextWindow: number;
  /** Approximate weight download in MB (web-llm's list has no sizes); see `estimateDownloadMB`. */
  downloadMB: number | null;
  /** Where `downloadMB` comes from: the parameter count in the id, or the VRAM figure. */
  downloadEstimate: 'params' | 'vram' | 'none';
  /** Part of the set we bundle model libraries for by default and show first. */
  featured: boolean;
  /** File of the model library relative to public/model-libs/ (e.g. "v0_2_86/base/x.wasm"). */
  libFile: string;
  record: WebLlmModelRecord;
}

export const DEFAULT_CONTEXT_WINDOW = 4096;

const EMBEDDING = 1;
const VISION = 2;

/**
 * Families we feature: code models first, then small general models known to follow JSON
 * instructions. Everything else in web-llm's list stays selectable but is not bundled by default.
 */
const FEATURED = [
  /^Qwen2\.5-Coder-(0\.5|1\.5|3|7)B-Instruct-q4f(16|32)_1-MLC$/,
  /^Llama-3\.2-(1|3)B-Instruct-q4f(16|32)_1-MLC$/,
  /^Qwen3-(1\.7|4)B-q4f(16|32)_1-MLC$/,
];

/** Bytes per parameter of each weight format (4-bit groups carry a scale per 32 weights). */
const BYTES_PER_PARAM: Record<string, number> = {
  q4f16_1: 0.5625,
  q4f32_1: 0.625,
  q3f16_1: 0.4375,
  q0f16: 2,
  q0f32: 4,
};

/** Models whose id has no size in it. */
const KNOWN_PARAMS_B: Array<[RegExp, number]> = [
  [/^phi-2-/, 2.7],
  [/^phi-1_5-/, 1.4],
];

export function parseQuantization(modelId: string): Quantization {
  const m = /(?:^|-)(q\d+f\d+(?:_\d+)?)(?:-|$)/.exec(modelId);
  return m?.[1] ?? 'unknown';
}

export function parseParamsB(modelId: string): number | null {
  for (const [re, b] of KNOWN_PARAMS_B) if (re.test(modelId)) return b;
  // "-1.5B-", "-1_6b-", "-360M-", "-E2B-" (gemma's effective size); the size is its own dash part.
  const m = /(?:^|-)E?(\d+(?:[._]\d+)?)([BbMm])(?=-|$)/.exec(modelId);
  if (!m || !m[1] || !m[2]) return null;
  const n = Number(m[1].replace('_', '.'));
  if (!Number.isFinite(n) || n <= 0) return null;
  return m[2].toLowerCase() === 'm' ? n / 1000 : n;
}

/**
 * Weight download estimate. web-llm's list carries no file sizes: parameters × bytes per
 * parameter of the format (Qwen2.5-1.5B q4f16_1 → ~870 MB, in line with its published shards);
 * when the id has no size, 60% of the VRAM figure (VRAM adds the KV cache and work buffers).
 */
export function estimateDownloadMB(
  paramsB: number | null,
  quantization: Quantization,
  vramMB: number | undefined,
): { mb: number | null; source: CatalogModel['downloadEstimate'] } {
  const bpp = BYTES_PER_PARAM[quantization];
  if (paramsB !== null && bpp !== undefined) return { mb: Math.round(paramsB * 1000 * bpp), source: 'params' };
  if (typeof vramMB === 'number' && vramMB > 0) return { mb: Math.round(vramMB * 0.6), source: 'vram' };
  return { mb: null, source: 'none' };
}

/** The library file relative to web-llm's library URL prefix, which is also its bundled path. */
export function modelLibFile(modelLibUrl: string): string {
  const m = /\/web-llm-models\/(.+)$/.exec(modelLibUrl);
  if (m?.[1]) return m[1];
  const parts = modelLibUrl.split(/[/?#]/).filter(Boolean);
  return parts[parts.length - 1] ?? modelLibUrl;
}

function isChatModel(r: WebLlmModelRecord): boolean {
  if (r.model_type === EMBEDDING || r.model_type === VISION) return false;
  if (/vision|embed/i.test(r.model_id)) return false;
  // Base (not instruction-tuned) checkpoints cannot follow a review prompt.
  if (/-Base-/i.test(r.model_id)) return false;
  return true;
}

function labelFor(id: string): string {
  const base = id.replace(/-MLC(-1k)?$/, '').replace(/-q\d+f\d+(_\d+)?$/, '');
  return base.replace(/-Instruct$/, '').replace(/-(\d+(?:\.\d+)?[BM])$/, ' $1');
}

function toCatalogModel(r: WebLlmModelRecord): CatalogModel {
  const quantization = parseQuantization(r.model_id);
  const paramsB = parseParamsB(r.model_id);
  const vram = typeof r.vram_required_MB === 'number' ? r.vram_required_MB : undefined;
  const dl = estimateDownloadMB(paramsB, quantization, vram);
  const ctx = r.overrides?.context_window_size;
  return {
    id: r.model_id,
    label: labelFor(r.model_id),
    code: /coder|code/i.test(r.model_id),
    paramsB,
    quantization,
    // Many f16 records do not declare `shader-f16` (Qwen2.5-Coder, Llama-3.2), but their kernels need it.
    needsShaderF16: /f16/.test(quantization) || (r.required_features ?? []).includes('shader-f16'),
    vramMB: vram === undefined ? null : Math.round(vram),
    contextWindow: typeof ctx === 'number' && ctx > 0 ? ctx : DEFAULT_CONTEXT_WINDOW,
    downloadMB: dl.mb,
    downloadEstimate: dl.source,
    featured: FEATURED.some((re) => re.test(r.model_id)),
    libFile: modelLibFile(r.model_lib),
    record: r,
  };
}

/** web-llm's model list reduced to chat and code models, code and featured models first. */
export function buildCatalog(modelList: readonly WebLlmModelRecord[]): CatalogModel[] {
  const models = modelList.filter((r) => r && typeof r.model_id === 'string' && isChatModel(r)).map(toCatalogModel);
  const rank = (m: CatalogModel) => (m.code ? 0 : 2) + (m.featured ? 0 : 1);
  return models
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i)
    .map(({ m }) => m);
}

/** The models this GPU can run: without `shader-f16` only the f32 variants remain. */
export function modelsForGpu(catalog: readonly CatalogModel[], gpu: { shaderF16: boolean }): CatalogModel[] {
  return catalog.filter((m) => gpu.shaderF16 || !m.needsShaderF16);
}

/**
 * Labels that tell apart models sharing a name (web-llm lists e.g. several "Qwen2.5-Coder 1.5B"):
 * the quantization, then the context window and the GPU memory where those differ too.
 */
export function distinctLabels(models: readonly CatalogModel[]): Map<string, string> {
  const groups = new Map<string, CatalogModel[]>();
  for (const m of models) groups.set(m.label, [...(groups.get(m.label) ?? []), m]);
  const out = new Map<string, string>();
  for (const [label, group] of groups) {
    if (group.length === 1) {
      out.set(group[0]!.id, label);
      continue;
    }
    const differs = (f: (m: CatalogModel) => unknown) => new Set(group.map(f)).size > 1;
    const ctx = differs((m) => m.contextWindow);
    for (const m of group) {
      const parts = [m.quantization];
      if (ctx) parts.push(`${Math.round(m.contextWindow / 1024)}k context`);
      if (m.vramMB !== null) parts.push(`${(m.vramMB / 1000).toFixed(1)} GB VRAM`);
      out.set(m.id, `${label} (${parts.join(', ')})`);
    }
  }
  // Still equal (same quantization, context and memory): add the id's tail so no two read alike.
  const seen = new Map<string, number>();
  for (const v of out.values()) seen.set(v, (seen.get(v) ?? 0) + 1);
  for (const [id, v] of out) if ((seen.get(v) ?? 0) > 1) out.set(id, `${v} · ${id}`);
  return out;
}

export interface RecommendOptions {
  /** Estimated GPU memory the model may use, in MB. */
  vramBudgetMB: number;
  shaderF16: boolean;
  /** Cap on the first download, so the first review does not wait on gigabytes. */
  maxDownloadMB?: number;
  /** When given, only models whose library is in this set (see `resolveModelLib`). */
  bundledLibs?: ReadonlySet<string>;
}

const CODER = /^Qwen2\.5-Coder-/;

/**
 * Picks the model to suggest: the largest Qwen2.5-Coder that fits the VRAM budget and the
 * download cap, in q4f16_1 when the GPU has shader-f16 and q4f32_1 otherwise; failing that,
 * the largest featured chat model that fits; null when nothing fits.
 */
export function recommendWebLlmModel(catalog: readonly CatalogModel[], opts: RecommendOptions): CatalogModel | null {
  const wanted = opts.shaderF16 ? 'q4f16_1' : 'q4f32_1';
  const maxDl = opts.maxDownloadMB ?? 2000;
  const fits = (m: CatalogModel) =>
    m.quantization === wanted &&
    m.contextWindow >= DEFAULT_CONTEXT_WINDOW &&
    m.vramMB !== null &&
    m.vramMB <= opts.vramBudgetMB &&
    (m.downloadMB ?? Infinity) <= maxDl &&
    (!opts.bundledLibs || opts.bundledLibs.has(m.libFile));
  const bySizeDesc = (a: CatalogModel, b: CatalogModel) => (b.paramsB ?? 0) - (a.paramsB ?? 0);
  const coder = catalog.filter((m) => CODER.test(m.id) && fits(m)).sort(bySizeDesc);
  if (coder[0]) return coder[0];
  const other = catalog.filter((m) => m.featured && fits(m)).sort(bySizeDesc);
  return other[0] ?? null;
}

export type MirrorCheck = { ok: true; base: string } | { ok: false; reason: string };

/** Validates the mirror base URL from the settings ('' means the default host). */
export function checkMirrorBase(base: string): MirrorCheck {
  const trimmed = base.trim();
  if (trimmed === '') return { ok: true, base: '' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: `"${trimmed}" is not a URL.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: 'The mirror must be an http or https URL.' };
  }
  return { ok: true, base: url.href.replace(/\/+$/, '') };
}

const HF_PREFIX = 'https://huggingface.co/';

/**
 * Points the weights at a mirror that keeps Hugging Face's layout:
 * https://huggingface.co/mlc-ai/X → <mirror>/mlc-ai/X (web-llm then appends /resolve/main/).
 * An empty or invalid mirror leaves the record unchanged (the options page reports invalid ones).
 */
export function withMirror<R extends WebLlmModelRecord>(record: R, mirrorBase: string): R {
  const check = checkMirrorBase(mirrorBase);
  if (!check.ok || check.base === '' || !record.model.startsWith(HF_PREFIX)) return record;
  return { ...record, model: `${check.base}/${record.model.slice(HF_PREFIX.length)}` };
}

export const MODEL_LIBS_DIR = 'model-libs';

export type ModelLibResolution<R extends WebLlmModelRecord = WebLlmModelRecord> =
  | { ok: true; record: R }
  | { ok: false; reason: string; libFile: string };

export const MISSING_LIBS_REASON = 'development build without bundled model libraries';

/**
 * Points `model_lib` at the copy inside the extension. `extensionUrl` is e.g.
 * `chrome.runtime.getURL`; it receives "model-libs/<libFile>". A library that is not bundled is
 * never fetched from the network (store policy): the model is reported as not runnable here.
 */
export function resolveModelLib<R extends WebLlmModelRecord>(
  record: R,
  bundled: ReadonlySet<string>,
  extensionUrl: (path: string) => string,
): ModelLibResolution<R> {
  const libFile = modelLibFile(record.model_lib);
  if (!bundled.has(libFile)) {
    return {
      ok: false,
      libFile,
      reason: `This is a ${MISSING_LIBS_REASON}: ${record.model_id} needs ${libFile}, which is not in this build.`,
    };
  }
  return { ok: true, record: { ...record, model_lib: extensionUrl(`${MODEL_LIBS_DIR}/${libFile}`) } };
}

/** Reads public/model-libs/index.json (written by scripts/fetch-model-libs.ts); bad input → empty. */
export function parseBundledIndex(json: unknown): Set<string> {
  const files = isRecord(json) ? json.files : undefined;
  if (!Array.isArray(files)) return new Set();
  return new Set(files.filter((f): f is string => typeof f === 'string' && f.endsWith('.wasm') && !f.includes('..')));
}
