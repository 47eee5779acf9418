/**
 * The one scripted engine: a deterministic stand-in for a real model, for the tests and the
 * benchmarks (a real GPU model cannot run on the test machines). `ScriptedEngine` answers each
 * request with what its `respond` script returns, streamed in pieces, records every request, and
 * checks that every prompt fits its context window (a prompt that overflows is a pipeline bug,
 * so it fails loudly with the engine's own error).
 *
 * The e2e build's engine factory makes one with `createScriptedEngine(modelId)` (the production
 * build cannot reach this module; a test on dist/chrome checks that): answers word by word with
 * a delay, abortable, with a script in the model id, e.g. `scripted?delay=30&loadMs=200&fail=load`.
 * Faults and hostile output for the @fault and @adversarial specs:
 *   fail=crash-mid | device-lost   the call fails after `after` streamed pieces (default 3)
 *   say=TEXT&repeat=N              the Markdown answer (and the structured summary) is TEXT, N times
 *   title=TEXT                     the structured finding's title
 * Answers: for a request with a JSON schema, a findings object naming the first added line it
 * finds in the prompt; for a follow-up question, a sentence naming the finding, the files of the
 * hunks it was shown and a tag of its instructions; otherwise a short Markdown review.
 *
 * Stream mode (the stream benchmark, `npm run bench -- --only=stream`): `rate=1000&piece=4&total=1048576&per=49152`
 * streams `total` characters of answers over this engine's calls, at most `per` in one call
 * (the map answers are padded with summary sentences to that size), at `rate` tokens per second
 * (a token counted as 4 characters, as for code-trained tokenizers), in pieces of `piece`
 * characters, on a fixed schedule so a busy event loop cannot slow the nominal rate down.
 */
import type { ChatChunk, ChatRequest, Engine, EngineCapabilities, LoadProgress } from './engine';
import { EngineError } from './engine';
import { estimateTokens } from '../review/token-budget';
import { isRecord, isStringArray } from '../shared/guards';

export const SCRIPTED_ENGINE_SIGNATURE = 'scripted-engine: test double for a real model';

interface Script {
  delayMs: number;
  loadMs: number;
  fail: 'load' | 'chat' | 'crash-mid' | 'device-lost' | null;
  after: number;
  contextWindow: number;
  say: string | null;
  repeat: number;
  title: string;
  stream: { rate: number; piece: number; total: number; per: number } | null;
}

/** Characters per token in stream mode. */
export const STREAM_CHARS_PER_TOKEN = 4;

function parseScript(modelId: string): Script {
  const query = new URLSearchParams(modelId.split('?')[1] ?? '');
  const num = (key: string, fallback: number) => {
    const v = Number(query.get(key));
    return Number.isFinite(v) && query.has(key) ? v : fallback;
  };
  const fail = query.get('fail');
  return {
    delayMs: num('delay', 20),
    loadMs: num('loadMs', 150),
    fail: fail === 'load' || fail === 'chat' || fail === 'crash-mid' || fail === 'device-lost' ? fail : null,
    after: num('after', 3),
    contextWindow: num('ctx', 4096),
    say: query.get('say'),
    repeat: Math.max(1, num('repeat', 1)),
    title: query.get('title') ?? 'Scripted finding',
    stream: query.has('rate')
      ? { rate: Math.max(1, num('rate', 100)), piece: Math.max(1, num('piece', 4)), total: Math.max(0, num('total', 24_000)), per: Math.max(256, num('per', 48_000)) }
      : null,
  };
}

/** Resolves after `ms`, or at once on abort (its listener removed either way: one call sleeps many times). */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** The first added line of the prompt's diff, as `{file, line, text}`. */
function firstAddedLine(prompt: string): { file: string; line: number; text: string } | null {
  let file = '';
  for (const raw of prompt.split('\n')) {
    const header = /^(?:#{1,4} |File: |=== |--- a\/|\+\+\+ b\/)(\S+)/.exec(raw);
    if (header?.[1]) file = header[1];
    const added = /^\s*(\d+)\s*\+\s?(.*)$/.exec(raw);
    if (added && file && added[2]?.trim()) return { file, line: Number(added[1]), text: added[2] };
  }
  return null;
}

/** A short tag of a text (32-bit FNV-1a, hex): lets a test see that the instructions did not change. */
export function instructionsTag(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** A follow-up answer naming what the engine was shown: the finding, the files of the hunks, the instructions' tag. */
function followUpAnswer(request: ChatRequest): string {
  const system = request.messages[0]?.content ?? '';
  const user = request.messages[1]?.content ?? '';
  // File headers of the hunks part only (the question, before it, is the user's own text).
  const hunksPart = user.slice(Math.max(0, user.lastIndexOf('\nDiff hunks:\n')));
  const files = user.includes('\nDiff hunks:\n') ? [...hunksPart.matchAll(/^### (\S+)/gm)].map((m) => m[1]) : [];
  const finding = /^Finding: (.+?) \(/m.exec(user)?.[1];
  const lines = user.split('\n');
  const fenced = /^`{3,}$/.test(lines[0] ?? '') && lines.indexOf(lines[0]!, 1) === lines.length - 2;
  return [
    `**Scripted answer** about ${finding ? `the finding "${finding}"` : 'the pull request'}.`,
    `Hunks shown: ${files.length ? [...new Set(files)].join(', ') : 'none'}.`,
    `Instructions ${instructionsTag(system)}; the question and the diff arrived ${fenced ? 'inside one fence' : 'OUTSIDE the fence'}.`,
  ].join(' ');
}

function answerFor(request: ChatRequest, script: Script): string {
  const prompt = request.messages.map((m) => m.content).join('\n');
  if (request.messages[0]?.content.startsWith("You answer a reviewer's question")) return followUpAnswer(request);
  // The verify pass (thorough depth) re-checks each finding: the script confirms it.
  if (request.messages[0]?.content.startsWith('You check one finding')) return '{"real": true, "confidence": 0.9}';
  if (request.jsonSchema) {
    const first = firstAddedLine(prompt);
    return JSON.stringify({
      summary: [script.say !== null ? script.say.repeat(script.repeat) : 'Scripted summary of this chunk.'],
      findings: first
        ? [
            {
              file: first.file,
              line: first.line,
              severity: 'minor',
              category: 'maintainability',
              title: script.title,
              explanation: 'The scripted engine flags the first added line it sees.',
              quote: first.text,
            },
          ]
        : [],
    });
  }
  if (script.say !== null) return script.say.repeat(script.repeat);
  return [
    'Summary: the scripted engine read this pull request and streams this review word by word.',
    'Risks: none found by the script.',
    'Changes: the files shown above.',
  ].join('\n');
}

/** Mid-call faults fire once per model id in this engine host, so Retry shows the recovery. */
const firedFaults = new Set<string>();
/** A map answer padded with summary sentences to about `size` characters (valid JSON, findings first). */
export function paddedAnswer(request: ChatRequest, size: number, script: Script): string {
  const parsed: unknown = JSON.parse(answerFor(request, script));
  const base = isRecord(parsed) ? parsed : {};
  const overhead = JSON.stringify(base).length;
  const summary = isStringArray(base.summary) ? [...base.summary] : [];
  let length = overhead;
  for (let i = 1; length < size; i++) {
    const sentence = `Scripted line ${i} about this chunk, padded so the answer is as long as the benchmark asks.`.slice(0, Math.max(1, size - length - 3));
    summary.push(sentence);
    length += sentence.length + 3;
  }
  // Findings first: a test can see one appear while the summary lines are still streaming.
  return JSON.stringify({ findings: Array.isArray(base.findings) ? base.findings : [], summary });
}

/** Streams `answer` on a fixed schedule: piece i is due at start + i·piece/(4·rate) s. */
async function* scheduled(answer: string, stream: NonNullable<Script['stream']>, signal: AbortSignal): AsyncIterable<string> {
  const charsPerMs = (stream.rate * STREAM_CHARS_PER_TOKEN) / 1000;
  const start = performance.now();
  let sent = 0;
  while (sent < answer.length) {
    if (signal.aborted) return;
    const due = Math.min(answer.length, Math.floor((performance.now() - start) * charsPerMs / stream.piece) * stream.piece);
    if (due <= sent) {
      await sleep(Math.max(1, (sent + stream.piece) / charsPerMs - (performance.now() - start)), signal);
      continue;
    }
    // Everything due now, still one piece per delta (as an engine that streams token by token).
    for (; sent < due && !signal.aborted; sent += stream.piece) yield answer.slice(sent, Math.min(due, sent + stream.piece));
    sent = Math.min(sent, due);
  }
}


/** What a script may answer: the text, or an error to throw instead. */
export type ScriptedAnswer = string | { text: string } | { error: Error };

export type Responder = (request: ChatRequest, callIndex: number) => ScriptedAnswer;

type Usage = Extract<ChatChunk, { type: 'usage' }>;

export interface ScriptedEngineOptions {
  respond: Responder;
  contextWindow?: number;
  structuredOutput?: boolean;
  /** The "model's" tokenizer (the estimate by default); offered as `capabilities().countTokens` unless `exposeTokenizer` is false. */
  tokenizer?: (text: string) => number;
  exposeTokenizer?: boolean;
  /** Characters per streamed delta. */
  deltaChars?: number;
  /** Chat-template tokens the fake model adds per message when checking the context. */
  templateTokensPerMessage?: number;
  modelId?: string;
  /** A prompt over the context window throws `context-exceeded` (default true). */
  checkContext?: boolean;
  /** How an answer is cut into deltas (default: `deltaChars` characters each). */
  split?: (answer: string) => string[];
  /** Pause before each delta, in ms (default 0: one turn of the event loop, so a test can abort mid-stream). */
  delayMs?: number;
  /** Streams the answer's deltas on its own schedule instead of `split` and `delayMs`. */
  pace?: (answer: string, signal: AbortSignal) => AsyncIterable<string>;
  /** Before each delta, given how many were streamed: an error to fail the call with there. */
  fault?: (produced: number) => EngineError | null;
  /** The usage chunk that ends an answer (default: the tokenizer's counts at 100 tokens/s). */
  usage?: (request: ChatRequest, answer: { text: string; pieces: number }) => Usage;
  /** What loading does (default: one "ready" progress report); `chat` before a load fails when given. */
  load?: (onProgress: (p: LoadProgress) => void) => Promise<void>;
}

const sliceEvery = (size: number) => (text: string) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

export class ScriptedEngine implements Engine {
  readonly kind = 'scripted' as const;
  readonly modelId: string;
  // Kept as a property so the e2e bundle carries the signature the build test looks for.
  readonly description = SCRIPTED_ENGINE_SIGNATURE;
  /** Every request received, in order. */
  readonly requests: ChatRequest[] = [];
  private readonly tokenizer: (text: string) => number;
  private loaded: boolean;

  constructor(private readonly options: ScriptedEngineOptions) {
    this.modelId = options.modelId ?? 'scripted-model';
    this.tokenizer = options.tokenizer ?? estimateTokens;
    this.loaded = options.load === undefined;
  }

  async load(onProgress: (p: LoadProgress) => void): Promise<void> {
    if (this.options.load) await this.options.load(onProgress);
    else onProgress({ fraction: 1, text: 'ready' });
    this.loaded = true;
  }

  capabilities(): EngineCapabilities {
    const tok = this.tokenizer;
    const expose = this.options.exposeTokenizer ?? this.options.tokenizer !== undefined;
    return {
      contextWindow: this.options.contextWindow ?? 4096,
      structuredOutput: this.options.structuredOutput ?? false,
      ...(expose ? { countTokens: async (t: string) => tok(t) } : {}),
    };
  }

  /** Prompt tokens of a request as this engine's tokenizer counts them (template included). */
  promptTokens(request: ChatRequest): number {
    const template = this.options.templateTokensPerMessage ?? 4;
    return request.messages.reduce((a, m) => a + this.tokenizer(m.content) + template, 0);
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    if (!this.loaded) throw new EngineError('not-loaded', 'The scripted model is not loaded.');
    const index = this.requests.length;
    this.requests.push(request);
    const prompt = this.promptTokens(request);
    const contextWindow = this.capabilities().contextWindow;
    if (this.options.checkContext !== false && prompt + request.maxTokens > contextWindow) {
      throw new EngineError('context-exceeded', `prompt of ${prompt} tokens + ${request.maxTokens} for the answer exceeds ${contextWindow}`);
    }
    const answer = this.options.respond(request, index);
    if (typeof answer === 'object' && 'error' in answer) throw answer.error;
    const text = typeof answer === 'string' ? answer : answer.text;
    let sent = '';
    let pieces = 0;
    for await (const delta of this.options.pace ? this.options.pace(text, signal) : this.paced(text, signal)) {
      if (signal.aborted) return;
      const fault = this.options.fault?.(pieces);
      if (fault) {
        // A lost device or a crashed model has to be loaded again.
        if (fault.code === 'device-lost') this.loaded = false;
        throw fault;
      }
      sent += delta;
      pieces++;
      yield { type: 'delta', text: delta };
    }
    if (signal.aborted) return;
    yield this.options.usage?.(request, { text: sent, pieces }) ?? { type: 'usage', promptTokens: prompt, completionTokens: this.tokenizer(sent), decodeTokensPerSecond: 100 };
  }

  /** The answer's deltas, each after `delayMs` (or one turn of the event loop). */
  private async *paced(text: string, signal: AbortSignal): AsyncIterable<string> {
    const split = this.options.split ?? sliceEvery(this.options.deltaChars ?? 16);
    for (const piece of split(text)) {
      if (signal.aborted) return;
      await sleep(this.options.delayMs ?? 0, signal);
      if (signal.aborted) return;
      yield piece;
    }
  }

  async unload(): Promise<void> {
    if (this.options.load) this.loaded = false;
  }
}

/** The e2e build's scripted model: its script is read from the model id (see the top of this file). */
export function createScriptedEngine(modelId: string): Engine {
  const script = parseScript(modelId);
  let streamedChars = 0;
  const stream = script.stream;
  return new ScriptedEngine({
    modelId,
    contextWindow: script.contextWindow,
    structuredOutput: true,
    exposeTokenizer: false,
    // Prompts are checked by the real engines; this one answers whatever it is sent.
    checkContext: false,
    async load(onProgress) {
      const steps = 4;
      for (let i = 0; i <= steps; i++) {
        onProgress({ fraction: i / steps, loadedBytes: i * 1_000_000, totalBytes: steps * 1_000_000, text: 'Loading the scripted model' });
        await sleep(script.loadMs / steps);
      }
      if (script.fail === 'load') throw new EngineError('load-failed', 'The scripted model failed to load.', 'Retry.');
    },
    respond(request) {
      if (script.fail === 'chat') return { error: new EngineError('crashed', 'The scripted model crashed.', 'Retry.') };
      if (!stream) return answerFor(request, script);
      const left = stream.total - streamedChars;
      const answer = request.jsonSchema && left > 0 ? paddedAnswer(request, Math.min(left, stream.per), script) : answerFor(request, script);
      streamedChars += answer.length;
      return answer;
    },
    ...(stream
      ? {
          pace: (answer: string, signal: AbortSignal) => scheduled(answer, stream, signal),
          usage: (_request, answer) => ({ type: 'usage', promptTokens: 0, completionTokens: Math.ceil(answer.text.length / STREAM_CHARS_PER_TOKEN), decodeTokensPerSecond: stream.rate }),
        }
      : {
          delayMs: script.delayMs,
          // A long hostile answer streams in large pieces: the point is its size, not its pace.
          split: (answer: string) => (answer.length > 100_000 ? (answer.match(/[\s\S]{1,65536}/g) ?? []) : answer.split(/(?<= )/)),
          fault: (produced: number) => {
            const fault = produced === script.after && !firedFaults.has(modelId) ? script.fail : null;
            if (fault === 'crash-mid' || fault === 'device-lost') firedFaults.add(modelId);
            if (fault === 'crash-mid') return new EngineError('crashed', 'The model crashed in the middle of its answer.', 'Retry.');
            if (fault === 'device-lost') return new EngineError('device-lost', 'The GPU device was lost (the driver reset or another tab took the GPU).', 'Retry: the model loads again.');
            return null;
          },
          usage: (request, answer) => ({
            type: 'usage',
            promptTokens: Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / 3),
            completionTokens: answer.pieces,
            decodeTokensPerSecond: 1000 / Math.max(1, script.delayMs),
          }),
        }),
  });
}
