/**
 * A decoder-only transformer of a given shape as an ONNX model, with random int4 weights, for
 * measuring onnxruntime-web on the same shape as the GGUF benchmarks (Qwen2.5-0.5B: 24 layers,
 * width 896, 14 query heads / 2 KV heads of 64, feed-forward 4864, the GGUF writer's vocabulary).
 * Its text is meaningless; every matmul has the real size.
 *
 * Graph (llama architecture, as the GGUF writer's model): token embedding (int8 table, Gather,
 * dequantised by one scale) → per layer: RMS norm (SimplifiedLayerNormalization), q/k/v
 * projections, GroupQueryAttention (com.microsoft: rotary embedding from cos/sin caches, causal
 * mask, KV cache in and out as `past_key_values.N.key/value` → `present.N.key/value`, BNSH),
 * output projection, residual; RMS norm, SwiGLU feed-forward (gate, up, down), residual → final
 * norm → logits of the last position only (as llama.cpp computes them for a prompt).
 * Every projection and the output head are MatMulNBits (com.microsoft): 4-bit weights in blocks of
 * 32 along K with one float scale per block and the default zero point 8, i.e. value =
 * scale·(q − 8), q4_0's arithmetic. Facts from onnxruntime's contrib-op spec: B is uint8
 * [N, K/32, 16] with two codes per byte, lower index in the low nibble; scales [N·K/32].
 *
 * Inputs: input_ids int64 [1, S]; past_key_values.N.key/value float [1, kvHeads, P, headDim];
 * seqlens_k int32 [1] (= P + S − 1, GroupQueryAttention's convention); total_sequence_length int32
 * scalar (= P + S). Outputs: logits float [1, 1, vocab]; present.N.key/value [1, kvHeads, P + S, headDim].
 */
import { DT, float, int, OnnxGraph } from './onnx-graph';

export interface DecoderShape {
  nEmbd: number;
  nLayer: number;
  nHead: number;
  nHeadKv: number;
  nFf: number;
  vocab: number;
  /** Longest sequence the rotary caches cover. */
  maxSeq: number;
}

export interface DecoderOptions {
  seed?: number;
  /**
   * MatMulNBits accuracy_level: 0 = float activations (dequantised weights), 4 = activations
   * quantised to int8 for int8 dot products (what llama.cpp does with q8 activations).
   */
  accuracyLevel?: 0 | 4;
  /**
   * 'int4': MatMulNBits as above. 'int8': DynamicQuantizeMatMul (com.microsoft): int8 weights
   * [K, N] with one float scale per output column, activations quantised to uint8 per run — the
   * int8 matmul kernels onnxruntime's wasm build has SIMD code for.
   */
  weights?: 'int4' | 'int8';
}

const BLOCK = 32;

/** Deterministic bytes (xorshift32), fast enough for hundreds of megabytes. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  const words = new Uint32Array(out.buffer, 0, Math.floor(n / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < n; i++) out[i] = (i * 2654435761) >>> 24;
  return out;
}

/** Std of (q − 8) for q uniform on 0..15. */
const NIBBLE_STD = Math.sqrt((16 * 16 - 1) / 12);

export function buildDecoder(shape: DecoderShape, opts: DecoderOptions = {}): Uint8Array {
  const { nEmbd, nLayer, nHead, nHeadKv, nFf, vocab, maxSeq } = shape;
  const headDim = nEmbd / nHead;
  const kvDim = headDim * nHeadKv;
  const seed = opts.seed ?? 1;
  const accuracy = opts.accuracyLevel ?? 4;
  const g = new OnnxGraph();
  let salt = 0;

  /** y = x·Wᵀ with W [n, k] random int8 (std of a uniform int8 ≈ 73.9), weights of standard deviation `std`. */
  const linear8 = (x: string, name: string, k: number, n: number, std: number): string => {
    const b = g.init(`${name}.q`, DT.INT8, [k, n], randomBytes(k * n, seed * 7919 + ++salt));
    const scale = g.initFloats(`${name}.scale`, [n], new Float32Array(n).fill(std / 73.9));
    return g.one('DynamicQuantizeMatMul', [x, b, scale], {}, 'com.microsoft');
  };
  /** y = x·Wᵀ with W [n, k] random 4-bit, weights of standard deviation `std`. */
  const linear = (x: string, name: string, k: number, n: number, std: number): string => {
    if (opts.weights === 'int8') return linear8(x, name, k, n, std);
    if (k % BLOCK) throw new Error(`${name}: K=${k} is not a multiple of ${BLOCK}`);
    const blocks = k / BLOCK;
    const b = g.init(`${name}.q`, DT.UINT8, [n, blocks, BLOCK / 2], randomBytes((n * k) / 2, seed * 7919 + ++salt));
    const scales = g.initFloats(`${name}.scales`, [n * blocks], new Float32Array(n * blocks).fill(std / NIBBLE_STD));
    return g.one('MatMulNBits', [x, b, scales], { K: int(k), N: int(n), bits: int(4), block_size: int(BLOCK), accuracy_level: int(accuracy) }, 'com.microsoft');
  };
  const rmsNorm = (x: string, name: string): string =>
    g.one('SimplifiedLayerNormalization', [x, g.initFloats(`${name}.weight`, [nEmbd], new Float32Array(nEmbd).fill(1))], { axis: int(-1), epsilon: float(1e-6), stash_type: int(1) });

  const ids = g.input('input_ids', DT.INT64, [1, 'sequence']);
  const seqlensK = g.input('seqlens_k', DT.INT32, [1]);
  const totalLen = g.input('total_sequence_length', DT.INT32, []);

  // Rotary caches [maxSeq, headDim / 2]: θ_i = 10000^(−2i / headDim), as the GGUF's rope.freq_base.
  const cos = new Float32Array(maxSeq * (headDim / 2));
  const sin = new Float32Array(maxSeq * (headDim / 2));
  for (let p = 0; p < maxSeq; p++) {
    for (let i = 0; i < headDim / 2; i++) {
      const angle = p * 10000 ** ((-2 * i) / headDim);
      cos[p * (headDim / 2) + i] = Math.cos(angle);
      sin[p * (headDim / 2) + i] = Math.sin(angle);
    }
  }
  const cosCache = g.initFloats('cos_cache', [maxSeq, headDim / 2], cos);
  const sinCache = g.initFloats('sin_cache', [maxSeq, headDim / 2], sin);

  // Token embeddings: int8, unit standard deviation after the scale (int8 uniform has std ≈ 73.9).
  const table = g.init('token_embd.q', DT.INT8, [vocab, nEmbd], randomBytes(vocab * nEmbd, seed * 31));
  const rows = g.one('Gather', [table, ids], { axis: int(0) });
  const embScale = g.initFloats('token_embd.scale', [], Float32Array.of(1 / 73.9));
  let x = g.one('Mul', [g.one('Cast', [rows], { to: int(DT.FLOAT) }), embScale]);

  for (let l = 0; l < nLayer; l++) {
    const p = `blk.${l}`;
    const h = rmsNorm(x, `${p}.attn_norm`);
    const q = linear(h, `${p}.attn_q`, nEmbd, nEmbd, 0.02);
    const k = linear(h, `${p}.attn_k`, nEmbd, kvDim, 0.02);
    const v = linear(h, `${p}.attn_v`, nEmbd, kvDim, 0.02);
    const pastK = g.input(`past_key_values.${l}.key`, DT.FLOAT, [1, nHeadKv, 'past', headDim]);
    const pastV = g.input(`past_key_values.${l}.value`, DT.FLOAT, [1, nHeadKv, 'past', headDim]);
    const [attn] = g.op(
      'GroupQueryAttention',
      [q, k, v, pastK, pastV, seqlensK, totalLen, cosCache, sinCache],
      { num_heads: int(nHead), kv_num_heads: int(nHeadKv), do_rotary: int(1), rotary_interleaved: int(0), scale: float(1 / Math.sqrt(headDim)) },
      { domain: 'com.microsoft', outputs: [`${p}.attn`, `present.${l}.key`, `present.${l}.value`] },
    );
    g.output(`present.${l}.key`, DT.FLOAT, [1, nHeadKv, 'total', headDim]);
    g.output(`present.${l}.value`, DT.FLOAT, [1, nHeadKv, 'total', headDim]);
    x = g.one('Add', [x, linear(attn!, `${p}.attn_output`, nEmbd, nEmbd, 0.02)]);

    const f = rmsNorm(x, `${p}.ffn_norm`);
    const gate = linear(f, `${p}.ffn_gate`, nEmbd, nFf, 0.02);
    const up = linear(f, `${p}.ffn_up`, nEmbd, nFf, 0.02);
    const act = g.one('Mul', [g.one('Mul', [gate, g.one('Sigmoid', [gate])]), up]);
    x = g.one('Add', [x, linear(act, `${p}.ffn_down`, nFf, nEmbd, 0.02)]);
  }

  const last = g.one('Slice', [rmsNorm(x, 'output_norm'), g.initInt64s('last.starts', [-1]), g.initInt64s('last.ends', [2 ** 31]), g.initInt64s('last.axes', [1])]);
  const logits = linear(last, 'output', nEmbd, vocab, 0.05);
  g.op('Identity', [logits], {}, { outputs: ['logits'] });
  g.output('logits', DT.FLOAT, [1, 1, vocab]);
  return g.encode();
}
