/**
 * The K-quant storage of the tiny GGUF writer (tiny-gguf.ts): ggml's Q4_K and Q6_K super-blocks,
 * q5_0 (the fallback for Q4_K where a row is not a multiple of 256 long), and the per-tensor mix
 * llama.cpp's quantizer picks for a "Q4_K_M" file.
 *
 * Layout facts (ggml/src/ggml-common.h, ggml-quants.c; all little endian):
 * - Q4_K, 256 weights in 144 bytes: f16 d, f16 dmin, 12 bytes of scales, 128 bytes of quants.
 *   Eight sub-blocks of 32 share a 6-bit scale `sc` and a 6-bit min `m`:
 *   weight = d·sc·q − dmin·m, q in 0..15. Scale bytes 0–3 hold sc0–3 (low 6 bits), bytes 4–7 hold
 *   m0–3; bytes 8–11 hold sc4–7 in their low nibble and m4–7 in their high nibble, and the top two
 *   bits of sc4–7 / m4–7 sit in bits 6–7 of bytes 0–3 / 4–7. The quants go in 64-weight chunks of
 *   32 bytes: weight l of the chunk in the low nibble of byte l, weight l + 32 in its high nibble.
 * - Q6_K, 256 weights in 210 bytes: 128 bytes ql (low 4 bits), 64 bytes qh (high 2 bits),
 *   16 int8 scales (one per 16 weights), f16 d; weight = d·scale·(q − 32), q in 0..63. Per half of
 *   128 weights (ql advances 64, qh 32, scales 8): for l < 32, ql[l] holds weights l (low nibble)
 *   and l + 64 (high), ql[l + 32] weights l + 32 and l + 96; qh[l] holds the high bits of weights
 *   l, l + 32, l + 64, l + 96 in bit pairs 0–1, 2–3, 4–5, 6–7.
 * - q5_0, 32 weights in 22 bytes: f16 d, u32 of fifth bits, 16 bytes of nibbles;
 *   weight = d·(q − 16); byte j holds weights j and j + 16, bit j / j + 16 of the u32 their fifth bit.
 *
 * The Q4_K_M mix (src/llama-quant.cpp, `llama_tensor_get_type_impl` with LLAMA_FTYPE_MOSTLY_Q4_K_M,
 * no imatrix, one expert): the default is Q4_K; attn_v and ffn_down get Q6_K in the layers where
 * `use_more_bits` holds (the first and last eighth of the layers, and every third one between);
 * the output matrix (or, with tied embeddings, token_embd) gets Q6_K. Then any tensor whose row
 * (ne0) is not a multiple of the type's block falls back: Q4_K → q5_0, Q6_K → q8_0; the output /
 * tied embedding goes straight to q8_0 when its row is not a multiple of 256.
 */
import { fromHalf, toHalf } from './tiny-gguf-half';

export const GGML_Q8_0 = 8;
export const GGML_Q5_0 = 6;
export const GGML_Q4_K = 12;
export const GGML_Q6_K = 14;

export const QK_K = 256;
/** Bytes per block and weights per block of the types this module writes. */
export const K_BLOCKS: Record<number, { bytes: number; weights: number }> = {
  [GGML_Q5_0]: { bytes: 22, weights: 32 },
  [GGML_Q4_K]: { bytes: 144, weights: QK_K },
  [GGML_Q6_K]: { bytes: 210, weights: QK_K },
};

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Q4_K: per sub-block of 32, a scale and a non-negative min (weight = d·sc·q − dmin·m). */
export function encodeQ4K(values: Float32Array): Buffer {
  const blocks = values.length / QK_K;
  const out = Buffer.alloc(blocks * 144);
  const scales = new Float32Array(8);
  const mins = new Float32Array(8);
  for (let b = 0; b < blocks; b++) {
    const x = values.subarray(b * QK_K, (b + 1) * QK_K);
    const at = b * 144;
    for (let j = 0; j < 8; j++) {
      let lo = 0;
      let hi = -Infinity;
      for (let l = 0; l < 32; l++) {
        lo = Math.min(lo, x[32 * j + l]!);
        hi = Math.max(hi, x[32 * j + l]!);
      }
      scales[j] = (hi - lo) / 15;
      mins[j] = -lo;
    }
    const dBits = toHalf(Math.max(...scales) / 63);
    const dminBits = toHalf(Math.max(...mins) / 63);
    const d = fromHalf(dBits);
    const dmin = fromHalf(dminBits);
    out.writeUInt16LE(dBits, at);
    out.writeUInt16LE(dminBits, at + 2);
    const sc = at + 4;
    for (let j = 0; j < 8; j++) {
      const ls = d ? clamp(Math.round(scales[j]! / d), 0, 63) : 0;
      const lm = dmin ? clamp(Math.round(mins[j]! / dmin), 0, 63) : 0;
      if (j < 4) {
        out[sc + j] = ls;
        out[sc + j + 4] = lm;
      } else {
        out[sc + j + 4] = (ls & 0xf) | ((lm & 0xf) << 4);
        out[sc + j - 4]! |= (ls >> 4) << 6;
        out[sc + j]! |= (lm >> 4) << 6;
      }
      scales[j] = d * ls;
      mins[j] = dmin * lm;
    }
    const qs = at + 16;
    for (let chunk = 0; chunk < 4; chunk++) {
      for (let l = 0; l < 32; l++) {
        const quant = (j: number, i: number) => (scales[j] ? clamp(Math.round((x[32 * j + i]! + mins[j]!) / scales[j]!), 0, 15) : 0);
        out[qs + 32 * chunk + l] = quant(2 * chunk, l) | (quant(2 * chunk + 1, l) << 4);
      }
    }
  }
  return out;
}

/** Q6_K: per sub-block of 16, a signed 8-bit scale (weight = d·scale·(q − 32)). */
export function encodeQ6K(values: Float32Array): Buffer {
  const blocks = values.length / QK_K;
  const out = Buffer.alloc(blocks * 210);
  const scales = new Float32Array(16);
  const q = new Uint8Array(QK_K);
  for (let b = 0; b < blocks; b++) {
    const x = values.subarray(b * QK_K, (b + 1) * QK_K);
    const at = b * 210;
    for (let j = 0; j < 16; j++) {
      let amax = 0;
      for (let l = 0; l < 16; l++) amax = Math.max(amax, Math.abs(x[16 * j + l]!));
      scales[j] = amax / 31;
    }
    const dBits = toHalf(Math.max(...scales) / 127);
    const d = fromHalf(dBits);
    for (let j = 0; j < 16; j++) {
      const ls = d ? clamp(Math.round(scales[j]! / d), -128, 127) : 0;
      out.writeInt8(ls, at + 192 + j);
      const step = d * ls;
      for (let l = 0; l < 16; l++) q[16 * j + l] = step ? clamp(Math.round(x[16 * j + l]! / step), -32, 31) + 32 : 32;
    }
    out.writeUInt16LE(dBits, at + 208);
    for (let half = 0; half < 2; half++) {
      const ql = at + 64 * half;
      const qh = at + 128 + 32 * half;
      const w = 128 * half;
      for (let l = 0; l < 32; l++) {
        out[ql + l] = (q[w + l]! & 0xf) | ((q[w + l + 64]! & 0xf) << 4);
        out[ql + l + 32] = (q[w + l + 32]! & 0xf) | ((q[w + l + 96]! & 0xf) << 4);
        out[qh + l] = (q[w + l]! >> 4) | ((q[w + l + 32]! >> 4) << 2) | ((q[w + l + 64]! >> 4) << 4) | ((q[w + l + 96]! >> 4) << 6);
      }
    }
  }
  return out;
}

/** q5_0: a signed scale per 32 weights (weight = d·(q − 16)), the max-magnitude weight at −16·d. */
export function encodeQ5_0(values: Float32Array): Buffer {
  const blocks = values.length / 32;
  const out = Buffer.alloc(blocks * 22);
  for (let b = 0; b < blocks; b++) {
    const x = values.subarray(b * 32, b * 32 + 32);
    let signedMax = 0;
    for (const v of x) if (Math.abs(v) > Math.abs(signedMax)) signedMax = v;
    const dBits = toHalf(signedMax / -16);
    const d = fromHalf(dBits);
    const at = b * 22;
    out.writeUInt16LE(dBits, at);
    let high = 0;
    for (let j = 0; j < 16; j++) {
      const q0 = d ? clamp(Math.round(x[j]! / d + 16), 0, 31) : 16;
      const q1 = d ? clamp(Math.round(x[j + 16]! / d + 16), 0, 31) : 16;
      out[at + 6 + j] = (q0 & 0xf) | ((q1 & 0xf) << 4);
      high |= ((q0 >> 4) << j) | ((q1 >> 4) << (j + 16));
    }
    out.writeUInt32LE(high >>> 0, at + 2);
  }
  return out;
}

export function encodeK(values: Float32Array, type: number): Buffer | null {
  if (type === GGML_Q4_K) return encodeQ4K(values);
  if (type === GGML_Q6_K) return encodeQ6K(values);
  if (type === GGML_Q5_0) return encodeQ5_0(values);
  return null;
}

/** llama.cpp's `use_more_bits`: the layers a Q4_K_M file keeps at Q6_K for attn_v and ffn_down. */
export function usesMoreBits(layer: number, nLayer: number): boolean {
  const eighth = Math.floor(nLayer / 8);
  return layer < eighth || layer >= Math.floor((7 * nLayer) / 8) || (layer - eighth) % 3 === 2;
}

/** llama.cpp's `tensor_type_fallback` for the types a Q4_K_M / pure K file can ask for. */
export function fallbackType(type: number, rowLength: number): number {
  const block = K_BLOCKS[type]?.weights ?? 32;
  if (rowLength % block === 0) return type;
  if (type === GGML_Q4_K) return GGML_Q5_0;
  if (type === GGML_Q6_K) return GGML_Q8_0;
  return type;
}

/**
 * The storage type llama.cpp's quantizer gives `name` (a 2-D weight, rows `rowLength` long) in a
 * Q4_K_M file of `nLayer` layers; `tied` when the model has no output.weight.
 */
export function q4KMType(name: string, rowLength: number, nLayer: number, tied: boolean): number {
  if (name === 'output.weight' || (tied && name === 'token_embd.weight')) {
    return rowLength % QK_K === 0 ? GGML_Q6_K : GGML_Q8_0;
  }
  const layer = Number(/^blk\.(\d+)\./.exec(name)?.[1] ?? -1);
  let type = GGML_Q4_K;
  if ((name.endsWith('.attn_v.weight') || name.endsWith('.ffn_down.weight')) && usesMoreBits(layer, nLayer)) type = GGML_Q6_K;
  return fallbackType(type, rowLength);
}
