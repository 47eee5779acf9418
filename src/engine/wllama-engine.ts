/**
 * The llama.cpp engine: llama.cpp compiled to WebAssembly (@wllama/wllama), running GGUF models
 * on the GPU through WebGPU where the adapter can (wllama-gpu.ts), else on the CPU, and saying
 * which (`placement()`, read back from llama.cpp's log).
 *
 * With its error mapping (wllama-errors.ts), this is the only module that imports
 * @wllama/wllama; wllama's workers come from files of the package (wllama-workers.ts). The wasm binary ships inside the
 * extension (vite emits it as an asset through the `?url` import below): wllama would otherwise
 * fetch a "compat" build from a CDN, which breaks offline use and the extension's CSP, so compat
 * mode is switched off. wllama 3.13 ships one wasm (JSPI + Memory64) that runs single- or
 * multi-threaded; threads need cross-origin isolation.
 */
import { Wllama, WllamaAbortError, WllamaRuntimeError, type AssetsPathConfig } from '@wllama/wllama';
import wllamaWasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import {
  EngineError,
  type ChatChunk,
  type ChatRequest,
  type Engine,
  type EngineCapabilities,
  type EnginePlacement,
  type LoadProgress,
} from './engine';
import { parseOffloadLine, placementOf, planOffload, probeWebGpu, type GpuProbe, type OffloadPlan } from './wllama-gpu';
import { setPackagedWorkerSettings } from './wllama-workers';
import { watchLoad, type LoadWatchOptions } from './wllama-load-watch';
import { DEVICE_LOST_LOG, mapChatError, mapLoadError } from './wllama-errors';

export { mapChatError, mapLoadError };

export interface WllamaEngineOptions {
  /** Shown to the user and used as the cache identity; defaults to the URL or file name. */
  modelId?: string;
  /** A GGUF URL (the first shard of a split model also works). Cached in OPFS after the first load. */
  modelUrl?: string;
  /** A model the user picked from disk (one Blob per shard). Takes precedence over modelUrl. */
  files?: Blob[];
  /** Threads when the page is cross-origin isolated; ignored (1) otherwise. */
  nThreads?: number;
  /** Context window to allocate, in tokens. */
  nCtx?: number;
  /** llama.cpp's prefill tuning (docs/benchmarks.md): batch sizes, flash attention; unset keeps its defaults. */
  tuning?: { nBatch?: number; nUbatch?: number; flashAttn?: boolean };
  /** Where the wasm lives; defaults to the copy bundled with the extension. */
  wasmPaths?: AssetsPathConfig;
  /** Keep downloaded models in wllama's OPFS cache (default true). */
  useCache?: boolean;
  /** How a load is bounded (wllama-load-watch.ts); tests shorten it. */
  loadWatch?: LoadWatchOptions;
  /** 'auto' (default): offload to WebGPU when the adapter can (wllama-gpu.ts); 'off': CPU only. */
  gpu?: 'auto' | 'off';
  /** e2e build only: the test-only f16 shim may stand in for a missing shader-f16. */
  f16ShimAvailable?: boolean;
  /** The adapter check; tests pass their own. */
  probeGpu?: () => Promise<GpuProbe | null>;
  /** Creates the wllama instance; tests pass a stand-in for the wasm engine. */
  createWllama?: (paths: AssetsPathConfig, config: ConstructorParameters<typeof Wllama>[1]) => Wllama;
}

export const WLLAMA_BUNDLED_WASM: AssetsPathConfig = { default: wllamaWasmUrl };

const DEFAULT_CONTEXT = 4096;

/** Threads to ask for: wasm threads need SharedArrayBuffer, i.e. cross-origin isolation. */
export function pickThreadCount(requested: number | undefined, isolated: boolean, cores: number | undefined): number {
  if (!isolated) return 1;
  if (requested !== undefined) return Math.max(1, Math.floor(requested));
  // Leave a core for the browser itself; more than 4 rarely helps a memory-bound decode.
  return Math.max(1, Math.min(4, (cores ?? 2) - 1));
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('Aborted', 'AbortError');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

interface Loaded {
  wllama: Wllama;
  contextWindow: number;
  readBack: { offloaded: number; total: number } | null;
  nLayer: number;
}

export class WllamaEngine implements Engine {
  readonly kind = 'wllama' as const;
  readonly modelId: string;
  private wllama: Wllama | null = null;
  private contextWindow = 0;
  private plan: OffloadPlan | null = null;
  private where: EnginePlacement | null = null;
  /** Set when llama.cpp logs that the browser took the GPU device away. */
  private deviceLost = false;

  constructor(private readonly options: WllamaEngineOptions) {
    if (!options.files?.length && !options.modelUrl) {
      throw new EngineError('load-failed', 'No model was given to the CPU engine.', 'Pick a model in the options.');
    }
    const first = options.files?.[0];
    this.modelId = options.modelId ?? (first ? (first instanceof File ? first.name : 'local model') : (options.modelUrl ?? 'model'));
  }

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    if (this.wllama) return;
    if (signal?.aborted) throw abortError(signal);
    let plan = await this.planDevice();
    let loaded: Loaded;
    try {
      loaded = await this.loadOnce(plan, onProgress, signal);
    } catch (err) {
      // A model that does not fit the GPU (or a GPU that fails while loading) runs on the CPU
      // instead, and says so: the placement reads "CPU" with the reason.
      const mapped = err instanceof EngineError ? err : mapLoadError(err);
      if (plan.nGpuLayers === 0 || signal?.aborted || mapped.code === 'download-failed' || mapped.code === 'quota' || isNotGguf(mapped)) throw err;
      plan = { nGpuLayers: 0, f16Shim: false, reason: `The model could not be loaded on the GPU (${mapped.message}), so it runs on the CPU.` };
      loaded = await this.loadOnce(plan, onProgress, signal);
    }
    this.adopt(loaded, plan);
    onProgress({ fraction: 1, text: 'Model ready' });
  }

  private adopt(loaded: Loaded, plan: OffloadPlan): void {
    this.wllama = loaded.wllama;
    this.contextWindow = loaded.contextWindow;
    this.plan = plan;
    this.deviceLost = false;
    this.where = placementOf(plan, loaded.readBack, loaded.nLayer);
  }

  placement(): EnginePlacement | undefined {
    return this.where ?? undefined;
  }

  /** GPU layers when the adapter can take them (wllama-gpu.ts), none when the GPU is switched off. */
  private async planDevice(): Promise<OffloadPlan> {
    if (this.options.gpu === 'off') return { nGpuLayers: 0, f16Shim: false, reason: 'The GPU is switched off for this engine.' };
    const probe = await (this.options.probeGpu ?? probeWebGpu)();
    return planOffload(probe, { shimAvailable: !!this.options.f16ShimAvailable });
  }

  private async loadOnce(plan: OffloadPlan, onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<Loaded> {
    const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
    const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined;
    let readBack: { offloaded: number; total: number } | null = null;
    let wllama: Wllama;
    try {
      wllama = (this.options.createWllama ?? ((paths, config) => new Wllama(paths, config)))(this.options.wasmPaths ?? WLLAMA_BUNDLED_WASM, {
        // llama.cpp's own log is the only place that says how many layers reached the GPU, and
        // that the GPU device was lost.
        suppressNativeLog: false,
        logger: {
          ...quietLogger,
          debug: (...args: unknown[]) => {
            readBack = parseOffloadLine(args.map(String).join(' ')) ?? readBack;
          },
          error: (...args: unknown[]) => {
            if (DEVICE_LOST_LOG.test(args.map(String).join(' '))) this.deviceLost = true;
            console.error(...args);
          },
        },
        allowOffline: true,
      });
      // Never fall back to the CDN build: the extension must work offline and under its CSP.
      wllama.setCompat(null);
    } catch (err) {
      throw new EngineError('unavailable', `The CPU engine cannot run in this browser (${messageOf(err)}).`, 'Use a recent Chrome or pick another engine.');
    }
    setPackagedWorkerSettings({ f16Shim: plan.f16Shim });
    const params = {
      n_ctx: this.options.nCtx ?? DEFAULT_CONTEXT,
      n_threads: pickThreadCount(this.options.nThreads, isolated, cores),
      // 0 keeps wllama off WebGPU entirely (it hides navigator.gpu from its worker).
      n_gpu_layers: plan.nGpuLayers,
      // The shim runs f16 shaders as f32: the KV cache must be f32 and flash attention off.
      ...(plan.f16Shim ? { cache_type_k: 'f32' as const, cache_type_v: 'f32' as const, flash_attn: false } : {}),
      ...(this.options.tuning?.nBatch ? { n_batch: this.options.tuning.nBatch } : {}),
      ...(this.options.tuning?.nUbatch ? { n_ubatch: this.options.tuning.nUbatch } : {}),
      ...(this.options.tuning?.flashAttn !== undefined && !plan.f16Shim ? { flash_attn: this.options.tuning.flashAttn } : {}),
      // One request at a time: the whole KV cache goes to it, and the next request reuses the
      // KV cache of its common prefix with the previous one (see `cache_prompt` below).
      n_parallel: 1,
      // llama.cpp's built-in template handling instead of its jinja path: in wllama 3.13 the
      // jinja path builds a broken grammar for response_format (the sampler fails with
      // "std::exception"), while the built-in path constrains JSON correctly. The built-in
      // path recognises ChatML (Qwen), Llama 3, Phi, Gemma and the other common templates.
      jinja: false,
    };
    // A worker that fails to start must end the load, not leave it waiting forever.
    const watch = watchLoad(this.options.loadWatch);
    try {
      const files = this.options.files;
      if (files?.length) {
        // llama.cpp aborts the wasm instance (instead of failing cleanly) on a file that is not
        // GGUF, so check the magic number first.
        if (!(await isGguf(files[0]!))) {
          throw new EngineError('load-failed', 'This file is not a GGUF model.', 'Pick a .gguf file (llama.cpp format).');
        }
        const total = files.reduce((n, f) => n + f.size, 0);
        onProgress({ fraction: null, loadedBytes: 0, totalBytes: total, text: 'Loading the model file' });
        await watch.run(wllama.loadModel(files, params));
      } else {
        onProgress({ fraction: 0, loadedBytes: 0, text: 'Downloading the model' });
        await watch.run(wllama.loadModelFromUrl(this.options.modelUrl!, {
          ...params,
          useCache: this.options.useCache ?? true,
          ...(signal ? { signal } : {}),
          progressCallback: ({ loaded, total }) => {
            watch.activity();
            onProgress({
              fraction: total > 0 ? Math.min(1, loaded / total) : null,
              loadedBytes: loaded,
              totalBytes: total,
              text: loaded >= total && total > 0 ? 'Loading the model' : 'Downloading the model',
            });
          },
        }));
      }
    } catch (err) {
      await wllama.exit().catch(() => {});
      if (signal?.aborted) throw abortError(signal);
      throw mapLoadError(err);
    }
    if (signal?.aborted) {
      await wllama.exit().catch(() => {});
      throw abortError(signal);
    }
    const contextWindow = safeContextSize(wllama);
    if (!contextWindow) {
      // A download that was not a GGUF file (an HTML error page from a mirror, say) "loads"
      // into a crashed instance with no context.
      await wllama.exit().catch(() => {});
      throw new EngineError('load-failed', 'The model file could not be read as a GGUF model.', 'Check the model URL or mirror setting.');
    }
    return { wllama, contextWindow, readBack, nLayer: safeLayerCount(wllama) };
  }


  capabilities(): EngineCapabilities {
    return {
      contextWindow: this.contextWindow || (this.options.nCtx ?? DEFAULT_CONTEXT),
      structuredOutput: true,
      // wllama 3.13 exposes no tokenizer call (its v3 API is the llama-server one, without
      // /tokenize), so the pipeline falls back to its own estimate.
    };
  }

  /**
   * Streams the answer. When the browser loses the GPU device, the model is reloaded once and the
   * request runs again (if nothing of it had streamed yet); a second loss moves llama.cpp to the
   * CPU for the next try and says so.
   */
  async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    let streamed = false;
    try {
      for await (const chunk of this.chatOnce(request, signal)) {
        if (chunk.type === 'delta') streamed = true;
        yield chunk;
      }
      return;
    } catch (err) {
      if (!(err instanceof EngineError) || err.code !== 'device-lost' || signal.aborted) throw err;
      await this.reload(this.plan ?? { nGpuLayers: 0, f16Shim: false }, signal);
      if (streamed) {
        throw new EngineError('device-lost', 'The GPU stopped working in the middle of an answer (the browser lost the GPU device); the model was reloaded.', 'Press Retry to review again.');
      }
    }
    try {
      yield* this.chatOnce(request, signal);
    } catch (err) {
      if (!(err instanceof EngineError) || err.code !== 'device-lost' || signal.aborted) throw err;
      // Lost again right after a reload: offer the CPU, which always works (slower).
      await this.reload({ nGpuLayers: 0, f16Shim: false, reason: 'The GPU was lost twice during a review, so llama.cpp runs on the CPU until the model is loaded again.' }, signal).catch(() => {});
      throw new EngineError(
        'device-lost',
        'The GPU stopped working twice during this review (the browser lost the GPU device).',
        'Press Retry to review on the CPU instead (slower): the model now runs there.',
      );
    }
  }

  /** Loads the model again with `plan` after the old instance failed. */
  private async reload(plan: OffloadPlan, signal: AbortSignal): Promise<void> {
    await this.unload();
    this.adopt(await this.loadOnce(plan, () => {}, signal), plan);
  }

  private async *chatOnce(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    const wllama = this.wllama;
    if (!wllama) throw new EngineError('not-loaded', 'The CPU model is not loaded.', 'Load the model, then try again.');
    if (signal.aborted) return;
    // Our own controller also stops generation when the consumer stops reading early.
    const stop = new AbortController();
    const forward = () => stop.abort();
    signal.addEventListener('abort', forward, { once: true });
    let promptTokens = 0;
    let completionTokens = 0;
    let prefillRate: number | undefined;
    let decodeRate: number | undefined;
    let cachedTokens: number | undefined;
    try {
      const stream = await wllama.createChatCompletion({
        messages: request.messages,
        stream: true,
        max_tokens: request.maxTokens,
        temperature: request.temperature ?? 0,
        abortSignal: stop.signal,
        // Keep this prompt's KV cache: map calls share the system prompt, the next prefills only the rest.
        cache_prompt: true,
        ...(request.jsonSchema
          ? { response_format: { type: 'json_schema' as const, json_schema: { name: 'response', schema: request.jsonSchema, strict: true } } }
          : {}),
      });
      for await (const chunk of stream) {
        const text = chunk.choices[0]?.delta?.content;
        if (text) {
          completionTokens++;
          yield { type: 'delta', text };
        }
        if (chunk.usage) {
          promptTokens = chunk.usage.prompt_tokens;
          completionTokens = chunk.usage.completion_tokens;
        }
        if (chunk.timings) {
          promptTokens = chunk.timings.prompt_n + (chunk.timings.cache_n ?? 0);
          completionTokens = chunk.timings.predicted_n;
          prefillRate = chunk.timings.prompt_per_second;
          decodeRate = chunk.timings.predicted_per_second;
          cachedTokens = chunk.timings.cache_n;
        }
      }
    } catch (err) {
      if (signal.aborted || err instanceof WllamaAbortError) return;
      const mapped = mapChatError(err, this.deviceLost);
      if ((mapped.code === 'crashed' || mapped.code === 'device-lost') && err instanceof WllamaRuntimeError) {
        // The wasm instance is gone; make the next call reload instead of failing obscurely.
        this.wllama = null;
        await wllama.exit().catch(() => {});
      }
      throw mapped;
    } finally {
      signal.removeEventListener('abort', forward);
      stop.abort();
    }
    yield {
      type: 'usage',
      promptTokens,
      completionTokens,
      ...(finite(prefillRate) ? { prefillTokensPerSecond: prefillRate } : {}),
      ...(finite(decodeRate) ? { decodeTokensPerSecond: decodeRate } : {}),
      ...(finite(cachedTokens) ? { cachedPromptTokens: cachedTokens } : {}),
    };
  }

  async unload(): Promise<void> {
    const wllama = this.wllama;
    this.wllama = null;
    this.contextWindow = 0;
    this.where = null;
    await wllama?.exit().catch(() => {});
  }
}

/** True when the blob starts with the GGUF magic ("GGUF", little endian u32 0x46554747). */
export async function isGguf(blob: Blob): Promise<boolean> {
  if (blob.size < 8) return false;
  const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  return head[0] === 0x47 && head[1] === 0x47 && head[2] === 0x55 && head[3] === 0x46;
}

function safeLayerCount(wllama: Wllama): number {
  try {
    const n = wllama.getLoadedContextInfo().n_layer;
    return typeof n === 'number' && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

function isNotGguf(err: EngineError): boolean {
  return /GGUF/.test(err.message);
}

function safeContextSize(wllama: Wllama): number {
  try {
    const n = wllama.getLoadedContextInfo().n_ctx;
    return typeof n === 'number' && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

function finite(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}

const noop = () => {};
const quietLogger = { debug: noop, log: noop, warn: console.warn.bind(console), error: console.error.bind(console) };
