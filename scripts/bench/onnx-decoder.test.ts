/**
 * The ONNX decoder the onnxruntime-web benchmark runs is a working decoder with a KV cache, not
 * just a pile of matmuls: onnxruntime-web (its wasm build, in Node) loads it, and decoding one
 * token against the cache gives the same logits as prefilling the whole prompt at once (a cache
 * wired to the wrong layer or a non-causal mask would break that), and word order matters (the
 * rotary positions are applied).
 * Small shape so it runs in a second; the benchmark builds the Qwen2.5-0.5B shape.
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDecoder, type DecoderShape } from './onnx-decoder';
import { argmax, measureOnnxDecoder, promptIds, stepFeeds, type OnnxRunShape } from './onnx-measure';

const SHAPE: DecoderShape = { nEmbd: 64, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 128, vocab: 300, maxSeq: 128 };
const RUN: OnnxRunShape = { nLayer: 2, nHeadKv: 2, headDim: 16, vocab: 300 };

function floats(value: ort.Tensor | undefined): Float32Array {
  const data = value?.data;
  if (!(data instanceof Float32Array)) throw new Error('expected float logits');
  return data;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.each(['int4', 'int8'] as const)('ONNX decoder of the onnxruntime-web benchmark, %s weights', (weights) => {
  let session: ort.InferenceSession;
  beforeAll(async () => {
    ort.env.wasm.numThreads = 1;
    session = await ort.InferenceSession.create(buildDecoder(SHAPE, { accuracyLevel: 0, weights }), { executionProviders: ['wasm'] });
  });

  it('one decode step against the cache gives the logits of prefilling the whole prompt', async () => {
    const ids = promptIds(12, SHAPE.vocab);
    const whole = await session.run(stepFeeds(ort.Tensor, RUN, ids, 0, null));
    const head = await session.run(stepFeeds(ort.Tensor, RUN, ids.slice(0, -1), 0, null));
    expect(head['present.1.key']!.dims).toEqual([1, 2, 11, 16]);
    const cache = Object.fromEntries(Object.entries(head).filter(([name]) => name.startsWith('present.')));
    const step = await session.run(stepFeeds(ort.Tensor, RUN, ids.slice(-1), 11, cache));
    expect(step['present.0.value']!.dims).toEqual([1, 2, 12, 16]);
    const a = floats(whole.logits);
    const b = floats(step.logits);
    expect(a).toHaveLength(SHAPE.vocab);
    const spread = Math.max(...a) - Math.min(...a);
    expect(spread).toBeGreaterThan(0);
    // int8 quantises each run's activations with one scale for the run, so one token alone is
    // quantised a little differently from the whole prompt; 4-bit weights with float activations agree exactly.
    expect(maxAbsDiff(a, b)).toBeLessThan(spread * (weights === 'int8' ? 0.05 : 1e-4));
    expect(argmax(b)).toBe(argmax(a));
  });

  it('an earlier token changes the last position’s logits (attention reads the context)', async () => {
    const ids = promptIds(12, SHAPE.vocab);
    const changed = [(ids[0]! + 1) % SHAPE.vocab, ...ids.slice(1)];
    const a = floats((await session.run(stepFeeds(ort.Tensor, RUN, ids, 0, null))).logits);
    const b = floats((await session.run(stepFeeds(ort.Tensor, RUN, changed, 0, null))).logits);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-6);
  });

  it('word order matters (rotary positions): in one layer, swapping two earlier tokens changes the logits', async () => {
    // One layer: without positions its last token would attend to the same keys and values in any order.
    const oneLayer = await ort.InferenceSession.create(buildDecoder({ ...SHAPE, nLayer: 1 }, { accuracyLevel: 0, weights }), { executionProviders: ['wasm'] });
    const run = { ...RUN, nLayer: 1 };
    const ids = promptIds(12, SHAPE.vocab);
    const swapped = [ids[1]!, ids[0]!, ...ids.slice(2)];
    const a = floats((await oneLayer.run(stepFeeds(ort.Tensor, run, ids, 0, null))).logits);
    const b = floats((await oneLayer.run(stepFeeds(ort.Tensor, run, swapped, 0, null))).logits);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-6);
    await oneLayer.release();
  });

  it('the measurement decodes greedily with the cache: the same tokens as re-prefilling each time', async () => {
    const run = await measureOnnxDecoder(ort.Tensor, session, RUN, { promptTokens: 8, maxTokens: 4 });
    expect(run.promptTokens).toBe(8);
    expect(run.tokens).toHaveLength(4);
    const ids = promptIds(8, SHAPE.vocab);
    for (const token of run.tokens) {
      const out = await session.run(stepFeeds(ort.Tensor, RUN, ids, 0, null));
      expect(argmax(floats(out.logits))).toBe(token);
      ids.push(token);
    }
  });
});
