/**
 * The generator's K-quant files (Q4_K, Q6_K, q5_0 and the Q4_K_M mix) are what llama.cpp reads:
 * native llama.cpp (node-llama-cpp's prebuilt CPU binary, runs here) loads each file, the tiny
 * model's greedy reply comes out as with f32 weights, and its last hidden state (llama.cpp's
 * embedding of a sentence) points the same way as the f32 file's. A wrong block size fails the
 * load; a misplaced scale or quant bit scrambles the reply or turns the hidden state away (a
 * swapped pair of Q6_K high bits gave a cosine of 0.54, correct files give 0.997 or more).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf } from '@huggingface/gguf';
import { getLlama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeLlama } from '../../scripts/bench/native-llama';
import { chatMl } from '../../scripts/bench/cpu-vs-native';
import { TINY_REPLY_TEXT, QWEN2_5_0_5B_SHAPE, writeTinyGguf, type TinyGgufOptions } from './tiny-gguf';
import { GGML_Q4_K, GGML_Q5_0, GGML_Q6_K, GGML_Q8_0, q4KMType, usesMoreBits } from './tiny-gguf-kquants';

const dir = mkdtempSync(join(tmpdir(), 'tiny-gguf-k-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WIDE: TinyGgufOptions = { nEmbd: 256, nFf: 512, nCtx: 1024 };
const NARROW: TinyGgufOptions = { nCtx: 1024 };

async function hiddenState(path: string): Promise<readonly number[]> {
  const llama = await getLlama({ gpu: false, build: 'never' });
  const model = await llama.loadModel({ modelPath: path });
  try {
    const context = await model.createEmbeddingContext({ contextSize: 256, threads: 1 });
    const { vector } = await context.getEmbeddingFor('The change looks fine. Review this change.');
    await context.dispose();
    return vector;
  } finally {
    await model.dispose();
  }
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! ** 2;
    bb += b[i]! ** 2;
  }
  return dot / Math.sqrt(aa * bb);
}

describe('the Q4_K_M mix follows llama.cpp’s quantizer', () => {
  it('Qwen2.5-0.5B shape: 896-wide rows fall back (q5_0, q8_0), ffn_down keeps K-quants, tied embeddings q8_0', () => {
    const { nLayer, nEmbd, nFf } = QWEN2_5_0_5B_SHAPE;
    const moreBits = Array.from({ length: nLayer }, (_, l) => l).filter((l) => usesMoreBits(l, nLayer));
    // The first and last eighth of 24 layers, and every third layer between.
    expect(moreBits).toEqual([0, 1, 2, 5, 8, 11, 14, 17, 20, 21, 22, 23]);
    expect(q4KMType('token_embd.weight', nEmbd, nLayer, true)).toBe(GGML_Q8_0);
    for (let l = 0; l < nLayer; l++) {
      for (const part of ['attn_q', 'attn_k', 'attn_output', 'ffn_gate', 'ffn_up']) {
        expect(q4KMType(`blk.${l}.${part}.weight`, nEmbd, nLayer, true)).toBe(GGML_Q5_0);
      }
      const more = moreBits.includes(l);
      expect(q4KMType(`blk.${l}.attn_v.weight`, nEmbd, nLayer, true)).toBe(more ? GGML_Q8_0 : GGML_Q5_0);
      expect(q4KMType(`blk.${l}.ffn_down.weight`, nFf, nLayer, true)).toBe(more ? GGML_Q6_K : GGML_Q4_K);
    }
  });

  it('256-wide rows: Q4_K by default, Q6_K for the output matrix and the attn_v / ffn_down layers that get more bits', () => {
    expect(q4KMType('output.weight', 256, 2, false)).toBe(GGML_Q6_K);
    expect(q4KMType('token_embd.weight', 256, 2, false)).toBe(GGML_Q4_K);
    expect(q4KMType('blk.0.attn_v.weight', 256, 2, false)).toBe(GGML_Q4_K);
    expect(q4KMType('blk.1.attn_v.weight', 256, 2, false)).toBe(GGML_Q6_K);
    expect(q4KMType('blk.1.attn_q.weight', 256, 2, false)).toBe(GGML_Q4_K);
  });
});

describe('writeTinyGguf K-quant files in native llama.cpp', () => {
  let reference: readonly number[];
  beforeAll(async () => {
    const path = join(dir, 'f32-wide.gguf');
    await writeTinyGguf(path, { ...WIDE, type: 'f32' });
    reference = await hiddenState(path);
  }, 60_000);

  it.each([
    ['q4_k', WIDE, 14, { 'blk.0.attn_q.weight': GGML_Q4_K, 'output.weight': GGML_Q4_K }],
    ['q6_k', WIDE, 18, { 'blk.0.attn_q.weight': GGML_Q6_K, 'output.weight': GGML_Q6_K }],
    ['q5_0', NARROW, 8, { 'blk.0.attn_q.weight': GGML_Q5_0, 'output.weight': GGML_Q5_0 }],
    ['q4_k_m', WIDE, 15, { 'blk.0.attn_q.weight': GGML_Q4_K, 'blk.1.attn_v.weight': GGML_Q6_K, 'blk.1.ffn_down.weight': GGML_Q6_K, 'output.weight': GGML_Q6_K }],
    ['q4_k_m', NARROW, 15, { 'blk.0.attn_q.weight': GGML_Q5_0, 'blk.0.ffn_down.weight': GGML_Q4_K, 'blk.1.ffn_down.weight': GGML_Q6_K, 'blk.1.attn_v.weight': GGML_Q8_0, 'output.weight': GGML_Q8_0 }],
  ] as const)('%s (%o): file type %i, tensor types as llama.cpp would choose, the greedy reply survives', async (type, shape, fileType, types) => {
    const path = join(dir, `${type}-${shape.nEmbd ?? 64}.gguf`);
    await writeTinyGguf(path, { ...shape, type });
    const { metadata, tensorInfos } = await gguf(path, { allowLocalFile: true });
    expect(Object.entries(metadata).find(([key]) => key === 'general.file_type')?.[1]).toBe(fileType);
    for (const [name, ggmlType] of Object.entries(types)) expect([name, tensorInfos.find((t) => t.name === name)?.dtype]).toEqual([name, ggmlType]);

    const native = await NativeLlama.open(path, { threads: 1, contextSize: 1024 });
    try {
      expect(await native.complete(chatMl('You review code changes.', 'Review this change.'), 12)).toBe(TINY_REPLY_TEXT.repeat(2));
    } finally {
      await native.close();
    }
    if (shape === WIDE) expect(cosine(await hiddenState(path), reference)).toBeGreaterThan(0.99);
  }, 60_000);
});
