/**
 * Native llama.cpp for the evaluation, through node-llama-cpp (the only importer of it; Node only,
 * never bundled into the extension). Its prebuilt binaries come from npm as optional packages
 * (`@node-llama-cpp/linux-x64`, `-cuda`, `-vulkan`, mac, win), so `build: 'never'` loads one
 * without compiling anything, and `gpu: 'auto'` picks CUDA, Vulkan or Metal where the machine has
 * one (CPU otherwise). npm's install-scripts policy may skip its postinstall; the prebuilt binary
 * still loads.
 */
import { getLlama, LlamaChatSession, type ChatHistoryItem, type GbnfJsonSchema, type Llama, type LlamaContext, type LlamaGrammar, type LlamaModel } from 'node-llama-cpp';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { ChatChunk, ChatRequest, Engine, EngineCapabilities, LoadProgress } from '../engine/engine';
import { EngineError } from '../engine/engine';
import { isOneOf, isRecord, isStringArray } from '../shared/guards';

export interface NodeLlamaOptions {
  modelPath: string;
  /** Context window to create (capped by the model's trained context). */
  contextSize?: number;
  /** 'auto' uses a GPU where there is one; false forces the CPU. */
  gpu?: 'auto' | false;
  /**
   * CPU threads. Default: the cores this process may use (os.availableParallelism). llama.cpp's own
   * default counts the host's cores, which in a CPU-limited container oversubscribes it badly
   * (measured here: 69 s instead of 0.4-5 s for the same short call on 2 shared cores).
   */
  threads?: number;
  /**
   * Sampling seed. The pipeline samples at temperature 0.2, so without a fixed seed two eval runs
   * of the same model on the same corpus would differ; a fixed default makes runs repeatable
   * (the same model, corpus and seed give the same scores).
   */
  seed?: number;
}

const SIMPLE_TYPES = ['string', 'number', 'integer', 'boolean', 'null'] as const;
const LITERAL = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Whether a request's JSON Schema is one node-llama-cpp can turn into a grammar, checked all the
 * way down (the library maps a shape it does not know to `null` instead of failing): a type
 * (objects with schema properties, arrays with a schema for items), a const, an enum of
 * literals, a oneOf of schemas or a $ref.
 */
export function isGrammarSchema(value: unknown, depth = 0): value is GbnfJsonSchema {
  if (!isRecord(value) || depth > 32) return false;
  const sub = (v: unknown): boolean => isGrammarSchema(v, depth + 1);
  if ('const' in value) return LITERAL(value.const);
  if ('enum' in value) return Array.isArray(value.enum) && value.enum.every(LITERAL);
  if ('oneOf' in value) return Array.isArray(value.oneOf) && value.oneOf.every(sub);
  if ('$ref' in value) return typeof value.$ref === 'string';
  const { type } = value;
  if (type === 'object') {
    const { properties, required, additionalProperties } = value;
    return (
      (properties === undefined || (isRecord(properties) && Object.values(properties).every(sub))) &&
      (required === undefined || isStringArray(required)) &&
      (additionalProperties === undefined || typeof additionalProperties === 'boolean' || sub(additionalProperties))
    );
  }
  if (type === 'array') return value.items === undefined || sub(value.items);
  return isOneOf(SIMPLE_TYPES, type) || (Array.isArray(type) && type.length > 0 && type.every((t) => isOneOf(SIMPLE_TYPES, t)));
}

export class NodeLlamaEngine implements Engine {
  readonly kind = 'native' as const;
  readonly modelId: string;
  private llama: Llama | null = null;
  private model: LlamaModel | null = null;
  private context: LlamaContext | null = null;
  private readonly grammars = new Map<string, Promise<LlamaGrammar | null>>();

  constructor(private readonly opts: NodeLlamaOptions) {
    this.modelId = opts.modelPath;
  }

  /** 'cpu', 'cuda', 'vulkan' or 'metal': where inference runs (after load). */
  get device(): string {
    return this.llama ? String(this.llama.gpu || 'cpu') : 'not loaded';
  }

  async load(onProgress: (p: LoadProgress) => void): Promise<void> {
    if (!existsSync(this.opts.modelPath)) throw new EngineError('load-failed', `No model file at ${this.opts.modelPath}.`, 'Pass the path of a .gguf file: --engine llama:<path.gguf>.');
    try {
      this.llama = await getLlama({ gpu: this.opts.gpu ?? 'auto', build: 'never' });
      this.model = await this.llama.loadModel({
        modelPath: this.opts.modelPath,
        onLoadProgress: (fraction) => onProgress({ fraction, text: 'Loading the model' }),
      });
      const wanted = Math.min(this.opts.contextSize ?? 8192, this.model.trainContextSize || 8192);
      this.context = await this.model.createContext({ contextSize: wanted, sequences: 1, threads: { ideal: this.opts.threads ?? availableParallelism(), min: 1 } });
    } catch (e) {
      await this.unload();
      if (e instanceof EngineError) throw e;
      throw new EngineError('load-failed', `node-llama-cpp could not load ${this.opts.modelPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  capabilities(): EngineCapabilities {
    const model = this.model;
    return {
      contextWindow: this.context?.contextSize ?? 0,
      structuredOutput: true,
      ...(model ? { countTokens: async (t: string) => model.tokenize(t).length } : {}),
    };
  }

  /** A grammar for the schema, or null when node-llama-cpp cannot express it (decoding is then free). */
  private grammar(schema: object | undefined): Promise<LlamaGrammar | null> {
    if (!schema || !this.llama) return Promise.resolve(null);
    const key = JSON.stringify(schema);
    let g = this.grammars.get(key);
    if (!g) {
      g = isGrammarSchema(schema) ? this.llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema).catch(() => null) : Promise.resolve(null);
      this.grammars.set(key, g);
    }
    return g;
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    const { model, context } = this;
    if (!model || !context) throw new EngineError('not-loaded', 'The model is not loaded.');
    const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
    const turns = request.messages.filter((m) => m.role !== 'system');
    const last = turns.pop();
    if (!last || last.role !== 'user') throw new EngineError('crashed', 'A chat request must end with a user message.');
    const history: ChatHistoryItem[] = [
      ...(system ? [{ type: 'system' as const, text: system }] : []),
      ...turns.map((m): ChatHistoryItem => (m.role === 'user' ? { type: 'user', text: m.content } : { type: 'model', response: [m.content] })),
    ];
    const grammar = await this.grammar(request.jsonSchema);
    const session = new LlamaChatSession({ contextSequence: context.getSequence(), autoDisposeSequence: true });
    session.setChatHistory(history);

    const queue: string[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    let failure: unknown = null;
    let completionTokens = 0;
    const nudge = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const run = session
      .prompt(last.content, {
        maxTokens: request.maxTokens,
        temperature: request.temperature ?? 0,
        seed: this.opts.seed ?? 1,
        ...(grammar ? { grammar } : {}),
        signal,
        stopOnAbortSignal: true,
        onTextChunk: (text) => {
          queue.push(text);
          nudge();
        },
        onToken: (tokens) => {
          completionTokens += tokens.length;
        },
      })
      .then(
        () => undefined,
        (e: unknown) => {
          failure = e;
        },
      )
      .finally(() => {
        finished = true;
        nudge();
      });
    try {
      for (;;) {
        if (queue.length > 0) {
          yield { type: 'delta', text: queue.shift()! };
          continue;
        }
        if (finished) break;
        await new Promise<void>((r) => (wake = r));
      }
      await run;
      if (failure && !signal.aborted) {
        const message = failure instanceof Error ? failure.message : String(failure);
        throw /context|too long/i.test(message) ? new EngineError('context-exceeded', message) : new EngineError('crashed', `llama.cpp failed: ${message}`);
      }
      const promptTokens = request.messages.reduce((n, m) => n + model.tokenize(m.content).length, 0);
      yield { type: 'usage', promptTokens, completionTokens };
    } finally {
      session.dispose({ disposeSequence: true });
    }
  }

  async unload(): Promise<void> {
    await this.context?.dispose();
    await this.model?.dispose();
    this.context = null;
    this.model = null;
  }
}
