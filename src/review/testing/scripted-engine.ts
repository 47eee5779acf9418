/**
 * A deterministic Engine for tests and benchmarks: answers each request with what a script
 * returns, streamed in small deltas, and checks that every prompt fits its context window
 * (a prompt that overflows is a pipeline bug, so it fails loudly with the engine's own error).
 */
import type { ChatChunk, ChatRequest, Engine, EngineCapabilities, LoadProgress } from '../../engine/engine';
import { EngineError } from '../../engine/engine';
import { estimateTokens } from '../token-budget';

/** What a script may answer: the text, or an error to throw instead. */
export type ScriptedAnswer = string | { text: string } | { error: Error };

export type Responder = (request: ChatRequest, callIndex: number) => ScriptedAnswer;

export interface ScriptedEngineOptions {
  respond: Responder;
  contextWindow?: number;
  structuredOutput?: boolean;
  /** The "model's" tokenizer; also offered as `capabilities().countTokens` unless `exposeTokenizer` is false. */
  tokenizer?: (text: string) => number;
  exposeTokenizer?: boolean;
  /** Characters per streamed delta. */
  deltaChars?: number;
  /** Chat-template tokens the fake model adds per message when checking the context. */
  templateTokensPerMessage?: number;
  modelId?: string;
}

export class ScriptedEngine implements Engine {
  readonly kind = 'scripted' as const;
  readonly modelId: string;
  /** Every request received, in order. */
  readonly requests: ChatRequest[] = [];
  private readonly opts: Required<Omit<ScriptedEngineOptions, 'tokenizer'>> & { tokenizer: (t: string) => number };

  constructor(options: ScriptedEngineOptions) {
    this.modelId = options.modelId ?? 'scripted-model';
    this.opts = {
      contextWindow: 4096,
      structuredOutput: false,
      tokenizer: estimateTokens,
      exposeTokenizer: options.tokenizer !== undefined,
      deltaChars: 16,
      templateTokensPerMessage: 4,
      modelId: this.modelId,
      ...options,
    } as typeof this.opts;
  }

  async load(onProgress: (p: LoadProgress) => void): Promise<void> {
    onProgress({ fraction: 1, text: 'ready' });
  }

  capabilities(): EngineCapabilities {
    const tok = this.opts.tokenizer;
    return {
      contextWindow: this.opts.contextWindow,
      structuredOutput: this.opts.structuredOutput,
      ...(this.opts.exposeTokenizer ? { countTokens: async (t: string) => tok(t) } : {}),
    };
  }

  /** Prompt tokens of a request as this engine's tokenizer counts them (template included). */
  promptTokens(request: ChatRequest): number {
    return request.messages.reduce((a, m) => a + this.opts.tokenizer(m.content) + this.opts.templateTokensPerMessage, 0);
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    const index = this.requests.length;
    this.requests.push(request);
    const prompt = this.promptTokens(request);
    if (prompt + request.maxTokens > this.opts.contextWindow) {
      throw new EngineError('context-exceeded', `prompt of ${prompt} tokens + ${request.maxTokens} for the answer exceeds ${this.opts.contextWindow}`);
    }
    const answer = this.opts.respond(request, index);
    if (typeof answer === 'object' && 'error' in answer) throw answer.error;
    const text = typeof answer === 'string' ? answer : answer.text;
    let sent = '';
    for (let i = 0; i < text.length; i += this.opts.deltaChars) {
      // Yield to the event loop so a test can abort mid-stream.
      await new Promise((r) => setTimeout(r, 0));
      if (signal.aborted) return;
      const delta = text.slice(i, i + this.opts.deltaChars);
      sent += delta;
      yield { type: 'delta', text: delta };
    }
    yield { type: 'usage', promptTokens: prompt, completionTokens: this.opts.tokenizer(sent), decodeTokensPerSecond: 100 };
  }

  async unload(): Promise<void> {}
}

// ---- helpers for writing scripts ----

export type RequestKind = 'map' | 'reduce' | 'verify' | 'other';

export function requestKind(request: ChatRequest): RequestKind {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  if (system.startsWith('You review one part')) return 'map';
  if (system.startsWith('You write the final review')) return 'reduce';
  if (system.startsWith('You check one finding')) return 'verify';
  return 'other';
}

/** The fenced data of a request's user message (the diff for map calls, the notes for reduce). */
export function fencedData(request: ChatRequest): string {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const m = /^(`{3,})\n([\s\S]*)\n\1\n/.exec(user);
  return m?.[2] ?? '';
}

/** The files a map request shows (from its `### path (status)` headers). */
export function filesInRequest(request: ChatRequest): string[] {
  const out: string[] = [];
  for (const line of fencedData(request).split('\n')) {
    const m = /^### (.+) \([^)]*\)$/.exec(line);
    if (m && !out.includes(m[1]!)) out.push(m[1]!);
  }
  return out;
}

/** Added lines of a map request: `{file, line, text}` in order. */
export function addedLinesInRequest(request: ChatRequest): { file: string; line: number; text: string }[] {
  const out: { file: string; line: number; text: string }[] = [];
  let file = '';
  for (const line of fencedData(request).split('\n')) {
    const h = /^### (.+) \([^)]*\)$/.exec(line);
    if (h) file = h[1]!;
    const a = /^(\d+)\+(.*)$/.exec(line);
    if (a && file) out.push({ file, line: Number(a[1]), text: a[2]! });
  }
  return out;
}

/**
 * A plausible reviewer: per map request, a one-line summary per file and one finding on each
 * file's first added line; per reduce request, a fixed summary; per verify request, "real".
 */
export function plausibleResponder(request: ChatRequest): string {
  if (requestKind(request) === 'verify') return '{"real": true, "confidence": 0.8}';
  if (requestKind(request) === 'reduce') {
    return JSON.stringify({ summary: 'Scripted summary of the pull request.', risks: ['Scripted risk.'], changes: ['Scripted change.'] });
  }
  const files = filesInRequest(request);
  const added = addedLinesInRequest(request);
  const findings = files.flatMap((file) => {
    const first = added.find((a) => a.file === file && a.text.trim().length > 0);
    return first
      ? [{ file, line: first.line, severity: 'major', category: 'bug', title: `Check ${file}`, explanation: 'Scripted.', quote: first.text }]
      : [];
  });
  return JSON.stringify({ summary: files.map((f) => `${f}: scripted change`), findings });
}
