/**
 * The native side of the CPU benchmark: llama.cpp's prebuilt CPU binary through node-llama-cpp
 * (Node only, never bundled; nothing is compiled: `build: 'never'`, and npm's install-scripts
 * policy may skip its postinstall without harm). Measured the way the wasm side is: a prompt is
 * prefilled in one go, then greedy tokens are generated one by one.
 */
import { getLlama, type Llama, type LlamaContext, type LlamaModel } from 'node-llama-cpp';

export interface NativeConfig {
  threads: number;
  contextSize: number;
  /** llama.cpp's logical batch; unset keeps node-llama-cpp's default. */
  batchSize?: number;
  flashAttention?: boolean;
}

export interface NativeRun {
  promptTokens: number;
  prefillTokS: number;
  decodeTokS: number;
}

let llama: Promise<Llama> | null = null;
const getCpuLlama = () => (llama ??= getLlama({ gpu: false, build: 'never' }));

export class NativeLlama {
  private constructor(
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
  ) {}

  static async open(modelPath: string, config: NativeConfig): Promise<NativeLlama> {
    const model = await (await getCpuLlama()).loadModel({ modelPath });
    const context = await model.createContext({
      contextSize: config.contextSize,
      sequences: 1,
      // An exact count: llama.cpp's default counts the host's cores, not the container's.
      threads: { ideal: config.threads, min: config.threads },
      ...(config.batchSize ? { batchSize: config.batchSize } : {}),
      ...(config.flashAttention !== undefined ? { flashAttention: config.flashAttention } : {}),
    });
    return new NativeLlama(model, context);
  }

  /** Token count of a text, with the model's special tokens (chat markers) recognised. */
  countTokens(text: string): number {
    return this.tokenize(text).length;
  }

  /** The prompt's tokens as llama.cpp's server lays them out: BOS first when the model asks for it. */
  tokenize(text: string): number[] {
    return this.promptTokens(text).map(Number);
  }

  private promptTokens(text: string) {
    const tokens = this.model.tokenize(text, true);
    const bos = this.model.tokens.bos;
    return bos !== null && this.model.tokens.shouldPrependBosToken ? [bos, ...tokens] : tokens;
  }

  /** Prefills `text` (a fully formatted prompt) from an empty KV cache, then decodes `maxTokens` greedily. */
  async measure(text: string, maxTokens: number): Promise<NativeRun> {
    const tokens = this.promptTokens(text);
    const sequence = this.context.getSequence();
    try {
      const t0 = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, -1));
      const prefillMs = performance.now() - t0;
      // The last prompt token starts generation; each later step evaluates one new token.
      let generated = 0;
      const t1 = performance.now();
      for await (const token of sequence.evaluate(tokens.slice(-1), { temperature: 0 })) {
        void token;
        if (++generated >= maxTokens) break;
      }
      const decodeMs = performance.now() - t1;
      return {
        promptTokens: tokens.length,
        prefillTokS: ((tokens.length - 1) / prefillMs) * 1000,
        decodeTokS: (generated / decodeMs) * 1000,
      };
    } finally {
      sequence.dispose();
    }
  }

  /** Greedy continuation of `text` (a fully formatted prompt), `maxTokens` long. */
  async complete(text: string, maxTokens: number): Promise<string> {
    const sequence = this.context.getSequence();
    try {
      const out = [];
      for await (const token of sequence.evaluate(this.promptTokens(text), { temperature: 0 })) {
        out.push(token);
        if (out.length >= maxTokens) break;
      }
      return this.model.detokenize(out);
    } finally {
      sequence.dispose();
    }
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }
}
