/**
 * An Engine over any OpenAI-compatible chat server (Ollama, llama-server, LM Studio, vLLM):
 * `POST <base>/chat/completions` with `stream: true`, read as server-sent events
 * (eventsource-parser, the only importer), cancelled through the request's AbortSignal.
 * Used by the evaluation (`--engine openai:<base-url>#<model>`) and, restricted to this machine's
 * addresses, by the extension's "Local server" engine.
 *
 * No response_format is sent by default: servers disagree on its shape and some reject it, and
 * the pipeline's parser reads free-form JSON anyway.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ChatChunk, ChatRequest, Engine, EngineCapabilities, EngineKind, LoadProgress } from './engine';
import { EngineError } from './engine';
import { isRecord } from '../shared/guards';

export interface OpenAiEngineOptions {
  /** e.g. http://127.0.0.1:11434/v1 (without /chat/completions). */
  baseUrl: string;
  model: string;
  /** The server's context window, which the API does not report (default 4096). */
  contextWindow?: number;
  kind?: EngineKind;
  fetch?: typeof fetch;
}

const trimBase = (base: string) => base.trim().replace(/\/+$/, '');

/** Ollama answers 403 to an extension's origin unless OLLAMA_ORIGINS allows it. */
const FORBIDDEN_STEP = 'If this is Ollama, allow the extension: start it with OLLAMA_ORIGINS=chrome-extension://*,moz-extension://*.';

async function bodyText(res: Response): Promise<string> {
  try {
    const t = await res.text();
    try {
      const j: unknown = JSON.parse(t);
      const m = !isRecord(j) ? undefined : typeof j.error === 'string' ? j.error : ((isRecord(j.error) ? j.error.message : undefined) ?? j.message);
      if (m) return String(m).slice(0, 300);
    } catch {
      // not JSON: show the text
    }
    return t.trim().slice(0, 300);
  } catch {
    return '';
  }
}

function unreachable(base: string, e: unknown): EngineError {
  return new EngineError(
    'unavailable',
    `Could not reach the server at ${base} (${e instanceof Error ? e.message : String(e)}).`,
    'Start the server (for example `ollama serve` or `llama-server`) and check the address.',
  );
}

/** The model ids the server lists at `<base>/models`. */
export async function listServerModels(baseUrl: string, options: { fetch?: typeof fetch; signal?: AbortSignal } = {}): Promise<string[]> {
  const base = trimBase(baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let res: Response;
  try {
    res = await doFetch(`${base}/models`, { signal: options.signal ?? null, headers: { accept: 'application/json' } });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw unreachable(base, e);
  }
  if (!res.ok) {
    const step = res.status === 403 ? FORBIDDEN_STEP : 'Check that the address ends with the API path, usually /v1.';
    throw new EngineError('unavailable', `The server at ${base} answered ${res.status} to GET /models: ${await bodyText(res)}`, step);
  }
  const j: unknown = await res.json().catch(() => null);
  const data = isRecord(j) && Array.isArray(j.data) ? j.data : null;
  const ids = (data ?? []).map((m: unknown) => (isRecord(m) ? m.id : undefined)).filter((x): x is string => typeof x === 'string');
  if (ids.length === 0 && !data) throw new EngineError('unavailable', `The server at ${base} did not answer GET /models with a model list.`, 'Check that it is an OpenAI-compatible server and the address ends with /v1.');
  return ids;
}

export class OpenAiEngine implements Engine {
  readonly kind: EngineKind;
  readonly modelId: string;
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private loaded = false;

  constructor(private readonly opts: OpenAiEngineOptions) {
    this.kind = opts.kind ?? 'localserver';
    this.modelId = opts.model;
    this.base = trimBase(opts.baseUrl);
    this.doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Checks that the server answers and serves the model. */
  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    onProgress({ fraction: null, text: `Connecting to ${this.base}` });
    const models = await listServerModels(this.base, { fetch: this.doFetch, ...(signal ? { signal } : {}) });
    if (models.length > 0 && !models.includes(this.modelId)) {
      throw new EngineError('load-failed', `The server at ${this.base} has no model "${this.modelId}" (it lists ${models.slice(0, 8).join(', ')}).`, 'Pick one of the listed models.');
    }
    this.loaded = true;
    onProgress({ fraction: 1, text: 'Connected' });
  }

  capabilities(): EngineCapabilities {
    return { contextWindow: this.opts.contextWindow ?? 4096, structuredOutput: false };
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    if (!this.loaded) throw new EngineError('not-loaded', 'The local server engine is not connected.');
    const body = {
      model: this.modelId,
      messages: request.messages,
      max_tokens: request.maxTokens,
      temperature: request.temperature ?? 0.2,
      stream: true,
      stream_options: { include_usage: true },
    };
    let res: Response;
    try {
      res = await this.doFetch(`${this.base}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(body),
        signal,
      });
    } catch (e) {
      if (signal.aborted) return;
      throw unreachable(this.base, e);
    }
    if (!res.ok || !res.body) {
      const detail = await bodyText(res);
      const code = /context|too long|maximum.*tokens/i.test(detail) ? 'context-exceeded' : 'crashed';
      const step = res.status === 403 ? FORBIDDEN_STEP : code === 'crashed' ? 'Check the server log.' : undefined;
      throw new EngineError(code, `The server at ${this.base} answered ${res.status}: ${detail || res.statusText}`, step);
    }
    const events: ChatChunk[] = [];
    let streamError: string | null = null;
    let ended = false;
    const parser = createParser({
      onEvent: (ev: EventSourceMessage) => {
        if (ev.data.trim() === '[DONE]') {
          ended = true;
          return;
        }
        let j: { choices?: { delta?: { content?: unknown } }[]; usage?: { prompt_tokens?: number; completion_tokens?: number }; error?: { message?: string } | string };
        try {
          j = JSON.parse(ev.data);
        } catch {
          return;
        }
        if (j.error) streamError = typeof j.error === 'string' ? j.error : (j.error.message ?? 'unknown error');
        const text = j.choices?.[0]?.delta?.content;
        if (typeof text === 'string' && text) events.push({ type: 'delta', text });
        if (j.usage && typeof j.usage.prompt_tokens === 'number') {
          events.push({ type: 'usage', promptTokens: j.usage.prompt_tokens, completionTokens: j.usage.completion_tokens ?? 0 });
        }
      },
    });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      while (!ended) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          if (signal.aborted) return;
          throw new EngineError('crashed', `The connection to ${this.base} broke during the answer (${e instanceof Error ? e.message : String(e)}).`, 'Check the server log and retry.');
        }
        if (r.done) break;
        parser.feed(decoder.decode(r.value, { stream: true }));
        while (events.length > 0) {
          if (signal.aborted) return;
          yield events.shift()!;
        }
        if (streamError) throw new EngineError('crashed', `The server at ${this.base} reported an error: ${streamError}`);
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
  }

  async unload(): Promise<void> {
    this.loaded = false;
  }
}
