/**
 * The browser's built-in model (Chrome's Prompt API, Gemini Nano) behind our `Engine` interface.
 *
 * Only window contexts have `LanguageModel` (the offscreen document is one; the service worker is
 * not). The API is typed structurally here because it is still moving: Chrome 138+ names the
 * context `contextWindow`/`contextUsage`/`measureContextUsage`, earlier builds
 * `inputQuota`/`inputUsage`/`measureInputUsage`; both are handled.
 */
import { EngineError, type ChatChunk, type ChatMessage, type ChatRequest, type Engine, type EngineCapabilities, type LoadProgress } from './engine';
import { toEngineError } from './engine-errors';
import { isAbortError } from '../shared/abort';
import { fieldOf } from '../shared/guards';

export type BuiltinAvailability = 'available' | 'downloadable' | 'downloading' | 'unavailable';

interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LanguageModelSession {
  promptStreaming(
    input: string | PromptMessage[],
    options?: { signal?: AbortSignal; responseConstraint?: object },
  ): AsyncIterable<string> | ReadableStream<string>;
  destroy(): void;
  contextWindow?: number;
  contextUsage?: number;
  measureContextUsage?(input: string | PromptMessage[]): Promise<number>;
  inputQuota?: number;
  inputUsage?: number;
  measureInputUsage?(input: string | PromptMessage[]): Promise<number>;
}

export interface LanguageModelStatic {
  availability(options?: object): Promise<BuiltinAvailability | string>;
  create(options?: {
    monitor?: (m: { addEventListener(type: 'downloadprogress', fn: (e: { loaded: number; total?: number }) => void): void }) => void;
    initialPrompts?: PromptMessage[];
    signal?: AbortSignal;
    expectedInputs?: object[];
    expectedOutputs?: object[];
  }): Promise<LanguageModelSession>;
}

/** The options every call passes, so availability matches what create() will be asked for. */
const TEXT_IO = {
  expectedInputs: [{ type: 'text', languages: ['en'] }],
  expectedOutputs: [{ type: 'text', languages: ['en'] }],
};

/** The API as far as it can be checked before calling it: the two entry points exist. */
function isLanguageModelStatic(value: unknown): value is LanguageModelStatic {
  return typeof fieldOf(value, 'availability') === 'function' && typeof fieldOf(value, 'create') === 'function';
}

function languageModelOf(scope: unknown): LanguageModelStatic | undefined {
  const lm = fieldOf(scope, 'LanguageModel');
  return isLanguageModelStatic(lm) ? lm : undefined;
}

/** The built-in model's state here; 'unavailable' when the API is missing or answers with an error. */
export async function builtinAvailability(scope: unknown = globalThis): Promise<BuiltinAvailability> {
  const lm = languageModelOf(scope);
  if (!lm) return 'unavailable';
  try {
    const status = await lm.availability(TEXT_IO);
    return status === 'available' || status === 'downloadable' || status === 'downloading' ? status : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

/** Whether to offer the built-in engine at all (a download the browser can do still counts). */
export async function isBuiltinAvailable(scope: unknown = globalThis): Promise<boolean> {
  return (await builtinAvailability(scope)) !== 'unavailable';
}

export interface BuiltinEngineOptions {
  /** Where `LanguageModel` lives; tests pass a double. */
  scope?: unknown;
  now?: () => number;
}

/** Used when the browser reports no (or an unbounded) context size. */
const FALLBACK_CONTEXT = 4096;
const MAX_CONTEXT = 131072;
/** The Prompt API has no max_tokens: stop once the answer is clearly longer (~3 chars a token). */
const CHARS_PER_TOKEN_CAP = 3;

export function createBuiltinEngine(options: BuiltinEngineOptions = {}): Engine {
  return new BuiltinEngine(options);
}

class BuiltinEngine implements Engine {
  readonly kind = 'builtin' as const;
  readonly modelId = 'builtin';
  private base: LanguageModelSession | null = null;
  private readonly now: () => number;

  constructor(private readonly options: BuiltinEngineOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  private api(): LanguageModelStatic {
    const lm = languageModelOf(this.options.scope ?? globalThis);
    if (!lm) {
      throw new EngineError('unavailable', "This browser has no built-in model here.", 'Choose another engine in the options.');
    }
    return lm;
  }

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    const lm = this.api();
    const status = await builtinAvailability(this.options.scope ?? globalThis);
    if (status === 'unavailable') {
      throw new EngineError(
        'unavailable',
        "The browser's built-in model is not available on this device.",
        'Choose another engine in the options.',
      );
    }
    onProgress({ fraction: status === 'available' ? null : 0, text: status === 'available' ? 'Starting the built-in model' : 'Downloading the built-in model' });
    try {
      // Creating the first session is what makes the browser download the model.
      this.base = await lm.create({
        ...TEXT_IO,
        ...(signal ? { signal } : {}),
        monitor: (m) =>
          m.addEventListener('downloadprogress', (e) => {
            const total = typeof e.total === 'number' && e.total > 0 ? e.total : 1;
            const fraction = Math.min(1, Math.max(0, e.loaded / total));
            onProgress({ fraction, text: `Downloading the built-in model: ${Math.round(fraction * 100)}%` });
          }),
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw toEngineError(error, { engine: 'builtin', phase: 'load' });
    }
    onProgress({ fraction: 1, text: 'Built-in model ready' });
  }

  capabilities(): EngineCapabilities {
    const base = this.base;
    const raw = base?.contextWindow ?? base?.inputQuota;
    const contextWindow =
      typeof raw === 'number' && raw > 0 ? (Number.isFinite(raw) ? Math.min(raw, MAX_CONTEXT) : MAX_CONTEXT) : FALLBACK_CONTEXT;
    const measure = base ? measurer(base) : undefined;
    return {
      contextWindow,
      structuredOutput: true,
      ...(measure ? { countTokens: (text: string) => measure(text) } : {}),
    };
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    if (!this.base) throw new EngineError('not-loaded', 'The built-in model is not loaded.', 'Start the review again.');
    if (signal.aborted) return;
    const lm = this.api();
    const { initial, prompt } = splitConversation(request.messages);
    // Each review call is independent: a fresh session per call keeps earlier answers out of the context.
    let session: LanguageModelSession;
    try {
      session = await lm.create({ ...TEXT_IO, initialPrompts: initial, signal });
    } catch (error) {
      if (signal.aborted) return;
      throw toEngineError(error, { engine: 'builtin', phase: 'chat' });
    }
    const local = new AbortController();
    const forward = () => local.abort();
    signal.addEventListener('abort', forward, { once: true });
    try {
      const measure = measurer(session);
      const usedBefore = usage(session);
      const promptTokens = measure ? await measure(prompt).catch(() => undefined) : undefined;
      const start = this.now();
      let firstAt: number | null = null;
      let chars = 0;
      const cap = Math.max(1, request.maxTokens) * CHARS_PER_TOKEN_CAP;
      const stream = session.promptStreaming(prompt, {
        signal: local.signal,
        ...(request.jsonSchema ? { responseConstraint: request.jsonSchema } : {}),
      });
      try {
        for await (const text of iterate(stream)) {
          if (signal.aborted) return;
          if (!text) continue;
          firstAt ??= this.now();
          chars += text.length;
          yield { type: 'delta', text };
          if (chars >= cap) {
            local.abort();
            break;
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        // Our own length cap aborts the stream; anything else is a real failure.
        if (!local.signal.aborted) throw toEngineError(error, { engine: 'builtin', phase: 'chat' });
      }
      const end = this.now();
      const usedAfter = usage(session);
      const prompt_ = promptTokens ?? 0;
      const completionTokens =
        usedBefore !== undefined && usedAfter !== undefined ? Math.max(0, usedAfter - usedBefore - prompt_) : Math.round(chars / 4);
      const prefillS = firstAt !== null ? (firstAt - start) / 1000 : 0;
      const decodeS = firstAt !== null ? (end - firstAt) / 1000 : 0;
      yield {
        type: 'usage',
        promptTokens: prompt_,
        completionTokens,
        // Measured here from the first chunk's arrival; the Prompt API reports no timings.
        ...(prompt_ > 0 && prefillS > 0 ? { prefillTokensPerSecond: prompt_ / prefillS } : {}),
        ...(completionTokens > 0 && decodeS > 0 ? { decodeTokensPerSecond: completionTokens / decodeS } : {}),
      };
    } finally {
      signal.removeEventListener('abort', forward);
      try {
        session.destroy();
      } catch {
        // already gone
      }
    }
  }

  async unload(): Promise<void> {
    const base = this.base;
    this.base = null;
    try {
      base?.destroy();
    } catch {
      // already gone
    }
  }
}

/** System and earlier turns become the session's initial prompts; the last user turn is the prompt. */
export function splitConversation(messages: readonly ChatMessage[]): { initial: PromptMessage[]; prompt: string } {
  const last = messages[messages.length - 1];
  if (last && last.role === 'user') {
    return { initial: messages.slice(0, -1).map((m) => ({ role: m.role, content: m.content })), prompt: last.content };
  }
  return { initial: messages.map((m) => ({ role: m.role, content: m.content })), prompt: '' };
}

function measurer(session: LanguageModelSession): ((text: string) => Promise<number>) | undefined {
  if (typeof session.measureContextUsage === 'function') return (t) => session.measureContextUsage!(t);
  if (typeof session.measureInputUsage === 'function') return (t) => session.measureInputUsage!(t);
  return undefined;
}

function usage(session: LanguageModelSession): number | undefined {
  const u = session.contextUsage ?? session.inputUsage;
  return typeof u === 'number' && Number.isFinite(u) ? u : undefined;
}

async function* iterate(stream: AsyncIterable<string> | ReadableStream<string>): AsyncGenerator<string> {
  // Streams without async iteration (older builds) are read with a reader.
  if (typeof fieldOf(stream, Symbol.asyncIterator) === 'function' || !('getReader' in stream)) {
    yield* stream;
    return;
  }
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
