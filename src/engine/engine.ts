/**
 * The one interface every local engine implements (web-llm on WebGPU, wllama on the CPU,
 * the browser's built-in model, an OpenAI-compatible server on this machine, and the scripted
 * engine used by tests).
 *
 * The shape follows the OpenAI chat API that web-llm and wllama both expose, reduced to what a
 * review needs, so each adapter stays a thin translation.
 */

export type EngineKind = 'webllm' | 'wllama' | 'builtin' | 'localserver' | 'native' | 'scripted';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Upper bound on generated tokens. */
  maxTokens: number;
  temperature?: number;
  /** When set and the engine supports it, decoding is constrained to this JSON schema. */
  jsonSchema?: object;
}

export type ChatChunk =
  | { type: 'delta'; text: string }
  | {
      type: 'usage';
      promptTokens: number;
      completionTokens: number;
      prefillTokensPerSecond?: number;
      decodeTokensPerSecond?: number;
      /** Prompt tokens whose KV cache was reused from the previous call (not prefilled again). */
      cachedPromptTokens?: number;
    };

export interface EngineCapabilities {
  /** Total context window in tokens (prompt + answer). */
  contextWindow: number;
  /** Whether `jsonSchema` in a request actually constrains decoding. */
  structuredOutput: boolean;
  /** Exact token count with the model's tokenizer, when the engine has one loaded. */
  countTokens?: (text: string) => Promise<number>;
}

export interface LoadProgress {
  /** 0..1, or null when unknown. */
  fraction: number | null;
  loadedBytes?: number;
  totalBytes?: number;
  text: string;
  /**
   * What is happening: fetching the files, loading them into memory, or preparing (a short
   * speed check after the first load). Unset: judged from the bytes (see the panel).
   */
  stage?: 'download' | 'load' | 'prepare';
}

/**
 * Where a loaded model really runs, as the engine read it back (never assumed): the panel and the
 * options page show `label`. Engines that only ever use one device may leave it out.
 */
export interface EnginePlacement {
  device: 'gpu' | 'cpu';
  /** Layers on the GPU and in all (llama.cpp counts the output layer too). */
  layersOffloaded: number;
  layersTotal: number;
  /** "GPU · llama.cpp", "CPU", or a partial offload "GPU 12/29 layers · llama.cpp". */
  label: string;
  /** Why the model is (partly) on the CPU, in one sentence; absent when all of it is on the GPU. */
  reason?: string;
}

export interface Engine {
  readonly kind: EngineKind;
  /** The model this engine was created for. */
  readonly modelId: string;
  load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void>;
  capabilities(): EngineCapabilities;
  /** Where the loaded model runs (see EnginePlacement); undefined before a load. */
  placement?(): EnginePlacement | undefined;
  /** Streams the answer. Aborting the signal ends the stream early without an error. */
  chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk>;
  unload(): Promise<void>;
}

/** What went wrong, for the panel and for whether a retry can help (listed at run time to check errors from another bundle). */
export const ENGINE_ERROR_CODES = [
  'no-webgpu',
  'no-f16',
  'device-lost',
  'out-of-memory',
  'context-exceeded',
  'quota',
  'download-failed',
  'load-failed',
  'not-loaded',
  'crashed',
  'unavailable',
] as const;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

/** An error an engine raises with a message a user can act on. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** What the user can do about it, in one sentence. */
    readonly nextStep?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
