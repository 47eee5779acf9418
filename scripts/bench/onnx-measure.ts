/**
 * Prefill and decode speed of the ONNX decoder (scripts/bench/onnx-decoder.ts) in onnxruntime,
 * measured the way the llama.cpp side is: a prompt of `promptTokens` in one run from an empty KV
 * cache, then `maxTokens` greedy tokens one by one, each step feeding the cache back. Runs in the
 * benchmark page (onnxruntime-web in Chromium) and in Node (the unit test); it takes the runtime's
 * Tensor constructor and a session so it imports no runtime itself.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';

export interface OnnxRunShape {
  nLayer: number;
  nHeadKv: number;
  headDim: number;
  vocab: number;
}

export interface OnnxRun {
  promptTokens: number;
  prefillMs: number;
  prefillTokS: number;
  decodeTokS: number | null;
  /** The greedy tokens, first one from the prompt's logits. */
  tokens: number[];
  /** Logits after the prompt (only when asked: they are large). */
  promptLogits?: Float32Array;
}

type TensorCtor = new (type: 'float32' | 'int64' | 'int32', data: Float32Array | BigInt64Array | Int32Array, dims: readonly number[]) => Tensor;

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Feeds for `ids` after a cache of `past` positions (`cache` null: an empty cache). */
export function stepFeeds(Tensor: TensorCtor, shape: OnnxRunShape, ids: number[], past: number, cache: Record<string, Tensor> | null): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {
    input_ids: new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
    seqlens_k: new Tensor('int32', Int32Array.of(past + ids.length - 1), [1]),
    total_sequence_length: new Tensor('int32', Int32Array.of(past + ids.length), []),
  };
  for (let l = 0; l < shape.nLayer; l++) {
    for (const part of ['key', 'value'] as const) {
      feeds[`past_key_values.${l}.${part}`] = cache?.[`present.${l}.${part}`] ?? new Tensor('float32', new Float32Array(0), [1, shape.nHeadKv, 0, shape.headDim]);
    }
  }
  return feeds;
}

function logitsOf(out: InferenceSession.OnnxValueMapType): Float32Array {
  const data = out.logits?.data;
  if (!(data instanceof Float32Array)) throw new Error('the model returned no float logits');
  return data;
}

/** The prompt's token ids: a fixed cycle through the vocabulary (random weights make any text alike). */
export function promptIds(count: number, vocab: number): number[] {
  return Array.from({ length: count }, (_, i) => (i * 7919 + 13) % vocab);
}

export async function measureOnnxDecoder(
  Tensor: TensorCtor,
  session: InferenceSession,
  shape: OnnxRunShape,
  opts: { promptTokens: number; maxTokens: number; keepLogits?: boolean },
): Promise<OnnxRun> {
  const ids = promptIds(opts.promptTokens, shape.vocab);
  const t0 = performance.now();
  let out = await session.run(stepFeeds(Tensor, shape, ids, 0, null));
  const prefillMs = performance.now() - t0;
  const promptLogits = logitsOf(out);
  const tokens = [argmax(promptLogits)];
  let past = ids.length;
  const t1 = performance.now();
  for (let i = 1; i < opts.maxTokens; i++) {
    const cache: Record<string, Tensor> = {};
    for (const [name, value] of Object.entries(out)) if (name.startsWith('present.')) cache[name] = value;
    out = await session.run(stepFeeds(Tensor, shape, [tokens.at(-1)!], past, cache));
    past += 1;
    tokens.push(argmax(logitsOf(out)));
  }
  const decodeMs = performance.now() - t1;
  return {
    promptTokens: ids.length,
    prefillMs,
    prefillTokS: (ids.length / prefillMs) * 1000,
    decodeTokS: opts.maxTokens > 1 ? ((opts.maxTokens - 1) / decodeMs) * 1000 : null,
    tokens,
    ...(opts.keepLogits ? { promptLogits: Float32Array.from(promptLogits) } : {}),
  };
}
