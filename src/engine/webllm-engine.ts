/**
 * The GPU engine: @mlc-ai/web-llm on WebGPU behind our `Engine` interface.
 *
 * The only module that imports web-llm, and only lazily (a 6 MB chunk), through `loadWebLlm`,
 * which tests replace with a double of web-llm's engine object: no real model can run without a
 * GPU and web-llm's model hosts.
 */
import { EngineError, type ChatChunk, type ChatRequest, type Engine, type EngineCapabilities, type LoadProgress } from './engine';
import { toEngineError } from './engine-errors';
import {
  buildCatalog,
  DEFAULT_CONTEXT_WINDOW,
  MODEL_LIBS_DIR,
  parseBundledIndex,
  resolveModelLib,
  withMirror,
  type CatalogModel,
  type WebLlmModelRecord,
} from './webllm-catalog';
import { monotonicProgress, parseWebLlmProgress, type WebLlmProgressReport } from './webllm-progress';
import { isAbortError } from '../shared/abort';

/** The parts of web-llm's engine object we use (MLCEngineInterface narrowed). */
export interface WebLlmEngineObject {
  reload(modelId: string, chatOpts?: { context_window_size?: number }): Promise<void>;
  chat: { completions: { create(request: WebLlmChatRequest): Promise<AsyncIterable<WebLlmChunk>> } };
  interruptGenerate(): void;
  unload(): Promise<void>;
}

export interface WebLlmChatRequest {
  messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>;
  stream: true;
  stream_options: { include_usage: true };
  max_tokens: number;
  temperature?: number;
  response_format?: { type: 'json_object'; schema: string };
  extra_body?: { enable_thinking?: boolean };
}

export interface WebLlmChunk {
  choices: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: {
    prompt_tokens: number;
    completion_tokens: number;
    extra?: { prefill_tokens_per_s?: number; decode_tokens_per_s?: number; time_to_first_token_s?: number };
  };
}

export interface WebLlmAppConfig {
  model_list: WebLlmModelRecord[];
  cacheBackend?: 'cache' | 'indexeddb' | 'opfs' | 'cross-origin';
}

/** The parts of the web-llm module we use. */
export interface WebLlmModule {
  MLCEngine: new (config: {
    appConfig: WebLlmAppConfig;
    initProgressCallback: (report: WebLlmProgressReport) => void;
  }) => WebLlmEngineObject;
  prebuiltAppConfig: { model_list: WebLlmModelRecord[] };
}

/** Imports the real library; its types are checked against `WebLlmModule` here. */
export const loadRealWebLlm = async (): Promise<WebLlmModule> => {
  const lib = await import('@mlc-ai/web-llm');
  return { MLCEngine: lib.MLCEngine, prebuiltAppConfig: lib.prebuiltAppConfig };
};

export interface WebLlmEngineOptions {
  modelId: string;
  /** Mirror base URL for the weights (settings `modelHosts.webllm`; '' = Hugging Face). */
  modelHost?: string;
  /**
   * Model library files shipped in this build (`readBundledModelLibs`). A model whose library is
   * not among them fails to load with a clear message: libraries are code and are never
   * downloaded (Chrome Web Store policy).
   */
  bundledLibs?: ReadonlySet<string>;
  /** Maps a path inside the extension to its URL (`chrome.runtime.getURL`). */
  extensionUrl?: (path: string) => string;
  /**
   * Development only: use web-llm's own library URLs on raw.githubusercontent.com when the
   * library is not bundled. Never set in a store build.
   */
  allowRemoteModelLib?: boolean;
  /** Overrides the model's context window (web-llm default 4096). */
  contextWindow?: number;
  cacheBackend?: WebLlmAppConfig['cacheBackend'];
  /** Replaced in tests by a double of the web-llm module. */
  loadWebLlm?: () => Promise<WebLlmModule>;
}

export function createWebLlmEngine(options: WebLlmEngineOptions): Engine {
  return new WebLlmEngine(options);
}

/** The catalog of web-llm models, read from the library's prebuilt list. */
export async function loadWebLlmCatalog(load: () => Promise<WebLlmModule> = loadRealWebLlm): Promise<CatalogModel[]> {
  const lib = await load();
  return buildCatalog(lib.prebuiltAppConfig.model_list);
}

/** Reads public/model-libs/index.json from the extension; a missing index means none bundled. */
export async function readBundledModelLibs(
  extensionUrl: (path: string) => string,
  fetchFn: typeof fetch = fetch,
): Promise<Set<string>> {
  try {
    const response = await fetchFn(extensionUrl(`${MODEL_LIBS_DIR}/index.json`));
    if (!response.ok) return new Set();
    return parseBundledIndex(await response.json());
  } catch {
    return new Set();
  }
}

/** Models with a thinking mode that web-llm can switch off. */
const THINKING_MODELS = /^Qwen3(\.5)?-/;

class WebLlmEngine implements Engine {
  readonly kind = 'webllm' as const;
  readonly modelId: string;
  private engine: WebLlmEngineObject | null = null;
  private loaded = false;
  private contextWindow = DEFAULT_CONTEXT_WINDOW;
  /** A lost GPU device gets one automatic reload; a success makes the next loss eligible again. */
  private reloadUsed = false;
  private chatOpts: { context_window_size?: number } | undefined;

  constructor(private readonly options: WebLlmEngineOptions) {
    this.modelId = options.modelId;
    this.chatOpts = options.contextWindow ? { context_window_size: options.contextWindow } : undefined;
  }

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (this.engine) await this.unload();
    const lib = await (this.options.loadWebLlm ?? loadRealWebLlm)().catch((error: unknown) => {
      throw toEngineError(error, { engine: 'webllm', phase: 'load' });
    });
    const record = this.recordFor(lib);
    const ctx = this.options.contextWindow ?? record.overrides?.context_window_size;
    this.contextWindow = typeof ctx === 'number' && ctx > 0 ? ctx : DEFAULT_CONTEXT_WINDOW;

    const report = monotonicProgress(onProgress);
    const engine = new lib.MLCEngine({
      appConfig: { model_list: [record], ...(this.options.cacheBackend ? { cacheBackend: this.options.cacheBackend } : {}) },
      initProgressCallback: (r) => report(parseWebLlmProgress(r)),
    });
    this.engine = engine;
    // unload() aborts web-llm's own download; its reload() then returns without an error.
    const onAbort = () => void engine.unload().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.reloadWithOneRetry(engine);
      throwIfAborted(signal);
      this.loaded = true;
    } catch (error) {
      this.engine = null;
      this.loaded = false;
      if (isAbortError(error)) throw error;
      throw toEngineError(error, { engine: 'webllm', phase: 'load' });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  capabilities(): EngineCapabilities {
    // web-llm 0.2.86 exposes no tokenizer publicly, so token counts stay estimates upstream.
    return { contextWindow: this.contextWindow, structuredOutput: true };
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    if (signal.aborted) return;
    const body: WebLlmChatRequest = {
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: request.maxTokens,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.jsonSchema ? { response_format: { type: 'json_object', schema: JSON.stringify(request.jsonSchema) } } : {}),
      // Qwen3 thinks aloud by default: hundreds of tokens a review cannot afford. web-llm would
      // insert an empty think block into any other model's reply, so only these get the switch.
      ...(THINKING_MODELS.test(this.modelId) ? { extra_body: { enable_thinking: false } } : {}),
    };
    for (;;) {
      const engine = this.engine;
      if (!engine || !this.loaded) throw new EngineError('not-loaded', 'The model is not loaded.', 'Start the review again.');
      let yielded = false;
      try {
        const stream = await engine.chat.completions.create(body);
        for await (const chunk of untilAborted(stream, signal, () => engine.interruptGenerate())) {
          const text = chunk.choices[0]?.delta?.content;
          if (text) {
            yielded = true;
            yield { type: 'delta', text };
          }
          if (chunk.usage) {
            const extra = chunk.usage.extra;
            yield {
              type: 'usage',
              promptTokens: chunk.usage.prompt_tokens,
              completionTokens: chunk.usage.completion_tokens,
              ...(positive(extra?.prefill_tokens_per_s) ? { prefillTokensPerSecond: extra!.prefill_tokens_per_s } : {}),
              ...(positive(extra?.decode_tokens_per_s) ? { decodeTokensPerSecond: extra!.decode_tokens_per_s } : {}),
            };
          }
        }
        this.reloadUsed = false;
        return;
      } catch (error) {
        if (signal.aborted && isAbortError(error)) return;
        const mapped = toEngineError(error, { engine: 'webllm', phase: 'chat' });
        // web-llm unloads itself when the device is lost, so a later call sees "not loaded".
        const lost = mapped.code === 'device-lost' || mapped.code === 'not-loaded';
        if (!lost || this.reloadUsed) throw mapped;
        this.reloadUsed = true;
        try {
          await engine.reload(this.modelId, this.chatOpts);
        } catch (reloadError) {
          this.loaded = false;
          throw toEngineError(reloadError, { engine: 'webllm', phase: 'load' });
        }
        // Text already shown cannot be taken back: report this call, the next one works again.
        if (yielded) throw mapped;
      }
    }
  }

  async unload(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.loaded = false;
    if (engine) await engine.unload().catch(() => undefined);
  }

  private recordFor(lib: WebLlmModule): WebLlmModelRecord {
    const found = lib.prebuiltAppConfig.model_list.find((r) => r.model_id === this.modelId);
    if (!found) {
      throw new EngineError('load-failed', `Unknown web-llm model "${this.modelId}".`, 'Pick a model from the list in the options.');
    }
    const mirrored = withMirror(found, this.options.modelHost ?? '');
    const resolved = resolveModelLib(mirrored, this.options.bundledLibs ?? new Set<string>(), this.options.extensionUrl ?? ((p) => p));
    if (resolved.ok) return resolved.record;
    if (this.options.allowRemoteModelLib) return mirrored;
    throw toEngineError(new Error(resolved.reason), { engine: 'webllm', phase: 'load' });
  }

  private async reloadWithOneRetry(engine: WebLlmEngineObject): Promise<void> {
    try {
      await engine.reload(this.modelId, this.chatOpts);
    } catch (error) {
      if (toEngineError(error).code !== 'device-lost') throw error;
      await engine.reload(this.modelId, this.chatOpts);
    }
  }
}

function positive(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0;
}


function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('Loading was cancelled.', 'AbortError');
}

/**
 * Iterates web-llm's stream until it ends or the signal aborts. On abort it returns at once and
 * lets web-llm finish its current step in the background (its prefill cannot be interrupted),
 * then closes the stream so web-llm releases its per-model lock.
 */
async function* untilAborted<T>(iterable: AsyncIterable<T>, signal: AbortSignal, interrupt: () => void): AsyncGenerator<T> {
  const it = iterable[Symbol.asyncIterator]();
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  let finished = false;
  try {
    for (;;) {
      const next = it.next();
      const result = await Promise.race([next, aborted]);
      if (result === 'aborted') {
        finished = true;
        interrupt();
        void next.then(
          () => Promise.resolve(it.return?.()).catch(() => undefined),
          () => undefined,
        );
        return;
      }
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // The consumer stopped early: stop generating and release web-llm's lock.
    if (!finished) {
      interrupt();
      await Promise.resolve(it.return?.()).catch(() => undefined);
    }
  }
}
