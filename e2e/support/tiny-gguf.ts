/**
 * Writes a small but complete GGUF v3 "llama" model from Node, so tests and benchmarks can run
 * real llama.cpp inference (through wllama) without downloading anything.
 *
 * The tiny default (64 wide, 2 layers, a few hundred tokens) loads in well under a second. Its
 * weights are seeded and shaped so that greedy decoding is deterministic AND readable: the
 * attention and feed-forward blocks are kept small, so the residual stream stays close to the
 * current token's embedding, and each row of `output.weight` is the embedding of the token that
 * should precede it. The model therefore walks `TINY_REPLY_CYCLE` token by token, forever (it
 * never emits an end token on its own, so tests bound replies with max tokens).
 *
 * The same writer also produces a model with a real model's shape (`QWEN2_5_0_5B_SHAPE`) for
 * speed measurements; its text is meaningless but every matmul has the real size.
 *
 * Format facts (llama.cpp gguf-py constants): little endian; header magic "GGUF", version 3,
 * tensor count and KV count as u64; strings are u64 length + UTF-8; tensor dims are listed
 * innermost first; tensor data starts at the next multiple of `general.alignment` (32) and each
 * tensor's offset is aligned too. Q8_0 stores blocks of 32 values as an f16 scale + 32 int8.
 */
import { open } from 'node:fs/promises';
import { toHalf } from './tiny-gguf-half';
import { GGML_Q4_K, GGML_Q5_0, GGML_Q6_K, K_BLOCKS, encodeK, fallbackType, q4KMType } from './tiny-gguf-kquants';

/**
 * 'q4_k_m' is llama.cpp's Q4_K_M mix (tiny-gguf-kquants.ts); 'q4_k', 'q6_k' and 'q5_0' store every
 * 2-D weight in that one type (what `llama-quantize --pure` writes), falling back like llama.cpp
 * where a row is not a multiple of 256.
 */
export { toHalf } from './tiny-gguf-half';

export type TinyGgufType = 'f32' | 'f16' | 'q8_0' | 'q4_0' | 'q4_1' | 'q4_k_m' | 'q4_k' | 'q6_k' | 'q5_0';

export interface TinyGgufOptions {
  seed?: number;
  nEmbd?: number;
  nLayer?: number;
  nHead?: number;
  nHeadKv?: number;
  nFf?: number;
  /** Trained context length written into the metadata (the runtime may use less). */
  nCtx?: number;
  /** 'tiny' (a few hundred tokens) or a total vocabulary size, padded with unreachable tokens. */
  vocab?: 'tiny' | number;
  /**
   * More whole words for the tokenizer, so a known prompt takes fewer tokens (a software GPU
   * prefills slowly). They are appended after the base pieces and score as noise in the output,
   * so the reply is unchanged.
   */
  extraWords?: string[];
  /** Storage type of the 2-D weight matrices; norms are always f32. */
  type?: TinyGgufType;
  /** Omit `output.weight` and reuse the token embeddings, as Qwen2.5-0.5B does. */
  tiedEmbeddings?: boolean;
  name?: string;
}

/** Qwen2.5-0.5B's dimensions, for benchmarks that need realistic matmul sizes. */
export const QWEN2_5_0_5B_SHAPE = {
  nEmbd: 896,
  nLayer: 24,
  nHead: 14,
  nHeadKv: 2,
  nFf: 4864,
  nCtx: 4096,
  vocab: 151936,
  type: 'q8_0',
  tiedEmbeddings: true,
  name: 'qwen2.5-0.5b-shaped',
} as const satisfies TinyGgufOptions;

/**
 * The reply the tiny model produces under greedy decoding, one vocabulary piece per step,
 * starting right after the chat template's "<|im_start|>assistant\n" and repeating.
 * `▁` is SentencePiece's space; `<0x0A>` is the newline byte token.
 */
export const TINY_REPLY_CYCLE = ['The', '▁change', '▁looks', '▁fine', '.', '<0x0A>'] as const;

/** TINY_REPLY_CYCLE as text: what a chat with the tiny model streams back, repeated. */
export const TINY_REPLY_TEXT = 'The change looks fine.\n';

/**
 * Weaker second choices, used only where a grammar forbids the first one: inside a JSON string
 * a raw newline is not allowed, so after "." the model closes the string, and after an opening
 * quote it starts the sentence. Free-text JSON fields then read "The change looks fine." and end.
 */
const SECOND_CHOICES: [after: string, next: string][] = [
  ['.', '"'],
  ['"', 'The'],
  ['":"', 'The'],
  ['","', 'The'],
  ['["', 'The'],
];
const SECOND_CHOICE_WEIGHT = 0.6;

const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// Words (with and without the SentencePiece space marker) that let JSON and review-ish prose be
// emitted in few tokens. Tokenizing them well is not the point; producing them is.
const WORDS = [
  'The', 'the', 'change', 'looks', 'fine', 'good', 'file', 'line', 'lines', 'code', 'test', 'tests',
  'bug', 'fix', 'error', 'risk', 'risks', 'summary', 'findings', 'finding', 'severity', 'message',
  'title', 'body', 'path', 'high', 'medium', 'low', 'info', 'true', 'false', 'null', 'function',
  'return', 'const', 'let', 'if', 'else', 'this', 'that', 'is', 'a', 'an', 'and', 'or', 'not', 'to',
  'of', 'in', 'for', 'with', 'missing', 'check', 'value', 'type', 'name', 'ok', 'yes', 'no',
];
const JSON_PIECES = ['{"', '"}', '":', '",', '":"', '","', '"]', '["', '[]', '{}', '},', '],', '": ', '", "'];

const TOKEN_NORMAL = 1;
const TOKEN_UNKNOWN = 2;
const TOKEN_CONTROL = 3;
const TOKEN_BYTE = 6;

interface Vocab {
  tokens: string[];
  scores: number[];
  types: number[];
  bos: number;
  eos: number;
  eot: number;
  unk: number;
}

/** llama.cpp's SentencePiece layout: unk, bos, eos, the 256 byte tokens, chat markers, pieces. */
export function buildVocab(size: 'tiny' | number = 'tiny', extraWords: readonly string[] = []): Vocab {
  const tokens: string[] = [];
  const types: number[] = [];
  const seen = new Set<string>();
  const add = (piece: string, type: number) => {
    if (seen.has(piece)) return;
    seen.add(piece);
    tokens.push(piece);
    types.push(type);
  };
  add('<unk>', TOKEN_UNKNOWN);
  add('<s>', TOKEN_CONTROL);
  add('</s>', TOKEN_CONTROL);
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, TOKEN_BYTE);
  add('<|im_start|>', TOKEN_CONTROL);
  add('<|im_end|>', TOKEN_CONTROL);
  add('▁', TOKEN_NORMAL);
  for (let c = 0x21; c <= 0x7e; c++) add(String.fromCharCode(c), TOKEN_NORMAL);
  // SentencePiece merges pairs of existing pieces, so every prefix of a word must exist for the
  // word itself to be reachable.
  const addWithPrefixes = (piece: string) => {
    for (let i = 2; i <= piece.length; i++) add(piece.slice(0, i), TOKEN_NORMAL);
  };
  for (const word of WORDS) {
    addWithPrefixes(word);
    addWithPrefixes(`▁${word}`);
  }
  for (const piece of JSON_PIECES) addWithPrefixes(piece);
  for (const word of extraWords) {
    addWithPrefixes(word);
    addWithPrefixes(`▁${word}`);
  }
  if (typeof size === 'number') {
    if (size < tokens.length) throw new Error(`vocab size ${size} is below the ${tokens.length} base tokens`);
    // "[PAD…" pieces cannot be formed by merges ("[P" is not a piece), so they are never produced
    // from text; they only make the embedding and output matrices the real size.
    for (let i = tokens.length; i < size; i++) add(`[PAD${i}]`, TOKEN_NORMAL);
  }
  // Longer pieces get higher scores so merges prefer them.
  const scores = tokens.map((t, i) => (types[i] === TOKEN_NORMAL ? [...t].length - i * 1e-6 : 0));
  const id = (piece: string) => {
    const i = tokens.indexOf(piece);
    if (i < 0) throw new Error(`missing piece ${piece}`);
    return i;
  };
  return { tokens, scores, types, bos: id('<s>'), eos: id('</s>'), eot: id('<|im_end|>'), unk: id('<unk>') };
}

// ---- small deterministic PRNG (mulberry32) ----
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform noise with the given standard deviation (uniform on ±std·√3). */
function noise(rand: () => number, std: number): number {
  return (rand() * 2 - 1) * std * Math.sqrt(3);
}

// ---- binary encoding ----
const GGUF_UINT32 = 4;
const GGUF_INT32 = 5;
const GGUF_FLOAT32 = 6;
const GGUF_BOOL = 7;
const GGUF_STRING = 8;
const GGUF_ARRAY = 9;

const GGML_F32 = 0;
const GGML_F16 = 1;
const GGML_Q8_0 = 8;
const GGML_Q4_0 = 2;
const GGML_Q4_1 = 3;
/** Bytes per block of 32 values (ggml's block_q8_0, block_q4_0, block_q4_1). */
const BLOCK_BYTES: Record<number, number> = { [GGML_Q8_0]: 34, [GGML_Q4_0]: 18, [GGML_Q4_1]: 20 };
const STORAGE: Record<TinyGgufType, { type: number; fileType: number }> = {
  // llama_ftype: ALL_F32, MOSTLY_F16, MOSTLY_Q8_0, MOSTLY_Q4_0, MOSTLY_Q4_1
  f32: { type: GGML_F32, fileType: 0 },
  f16: { type: GGML_F16, fileType: 1 },
  q8_0: { type: GGML_Q8_0, fileType: 7 },
  q4_0: { type: GGML_Q4_0, fileType: 2 },
  q4_1: { type: GGML_Q4_1, fileType: 3 },
  // MOSTLY_Q4_K_M; pure Q4_K is what `--pure` makes of MOSTLY_Q4_K_S; MOSTLY_Q6_K; MOSTLY_Q5_0
  q4_k_m: { type: GGML_Q4_K, fileType: 15 },
  q4_k: { type: GGML_Q4_K, fileType: 14 },
  q6_k: { type: GGML_Q6_K, fileType: 18 },
  q5_0: { type: GGML_Q5_0, fileType: 8 },
};
const ALIGNMENT = 32;

type KvValue =
  | { t: 'u32'; v: number }
  | { t: 'i32'; v: number }
  | { t: 'f32'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string }
  | { t: 'arr-str'; v: string[] }
  | { t: 'arr-f32'; v: number[] }
  | { t: 'arr-i32'; v: number[] };

class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;
  private push(b: Buffer) {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string) {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  bytes(b: Buffer) {
    this.push(b);
  }
  pad(to: number) {
    const rem = this.length % to;
    if (rem) this.push(Buffer.alloc(to - rem));
  }
  toBuffer() {
    return Buffer.concat(this.chunks);
  }
}

function writeKv(w: ByteWriter, key: string, value: KvValue) {
  w.str(key);
  switch (value.t) {
    case 'u32': w.u32(GGUF_UINT32); w.u32(value.v); break;
    case 'i32': w.u32(GGUF_INT32); w.i32(value.v); break;
    case 'f32': w.u32(GGUF_FLOAT32); w.f32(value.v); break;
    case 'bool': w.u32(GGUF_BOOL); w.bytes(Buffer.from([value.v ? 1 : 0])); break;
    case 'str': w.u32(GGUF_STRING); w.str(value.v); break;
    case 'arr-str': w.u32(GGUF_ARRAY); w.u32(GGUF_STRING); w.u64(value.v.length); value.v.forEach((s) => w.str(s)); break;
    case 'arr-f32': w.u32(GGUF_ARRAY); w.u32(GGUF_FLOAT32); w.u64(value.v.length); value.v.forEach((f) => w.f32(f)); break;
    case 'arr-i32': w.u32(GGUF_ARRAY); w.u32(GGUF_INT32); w.u64(value.v.length); value.v.forEach((i) => w.i32(i)); break;
  }
}

/**
 * ggml's 4-bit blocks of 32 values: q4_0 stores a scale (value = d·(q − 8)), q4_1 a scale and a
 * minimum (value = d·q + m); byte j holds value j in its low nibble and value j + 16 in its high one.
 */
function encodeQ4(values: Float32Array, type: number): Buffer {
  const size = BLOCK_BYTES[type]!;
  const blocks = values.length / 32;
  const out = Buffer.alloc(blocks * size);
  const q = new Uint8Array(32);
  for (let b = 0; b < blocks; b++) {
    const at = b * size;
    const v = values.subarray(b * 32, b * 32 + 32);
    let min = Infinity;
    let max = -Infinity;
    let signedMax = 0;
    for (const x of v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      if (Math.abs(x) > Math.abs(signedMax)) signedMax = x;
    }
    if (type === GGML_Q4_0) {
      const d = signedMax / -8;
      const inv = d ? 1 / d : 0;
      out.writeUInt16LE(toHalf(d), at);
      for (let i = 0; i < 32; i++) q[i] = Math.min(15, Math.max(0, Math.round(v[i]! * inv + 8)));
    } else {
      const d = (max - min) / 15;
      const inv = d ? 1 / d : 0;
      out.writeUInt16LE(toHalf(d), at);
      out.writeUInt16LE(toHalf(min), at + 2);
      for (let i = 0; i < 32; i++) q[i] = Math.min(15, Math.max(0, Math.round((v[i]! - min) * inv)));
    }
    const qs = at + size - 16;
    for (let j = 0; j < 16; j++) out[qs + j] = q[j]! | (q[j + 16]! << 4);
  }
  return out;
}

/** Encodes rows of floats in the tensor's storage type. */
function encode(values: Float32Array, type: number): Buffer {
  if (type === GGML_F32) return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  if (type === GGML_F16) {
    const out = Buffer.alloc(values.length * 2);
    for (let i = 0; i < values.length; i++) out.writeUInt16LE(toHalf(values[i]!), i * 2);
    return out;
  }
  if (type === GGML_Q4_0 || type === GGML_Q4_1) return encodeQ4(values, type);
  const k = encodeK(values, type);
  if (k) return k;
  const blocks = values.length / 32;
  const out = Buffer.alloc(blocks * 34);
  for (let b = 0; b < blocks; b++) {
    let amax = 0;
    for (let i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(values[b * 32 + i]!));
    const d = amax / 127;
    const inv = d ? 1 / d : 0;
    out.writeUInt16LE(toHalf(d), b * 34);
    for (let i = 0; i < 32; i++) out.writeInt8(Math.round(values[b * 32 + i]! * inv), b * 34 + 2 + i);
  }
  return out;
}

function bytesFor(elements: number, type: number): number {
  if (type === GGML_F32) return elements * 4;
  if (type === GGML_F16) return elements * 2;
  const k = K_BLOCKS[type];
  if (k) return (elements / k.weights) * k.bytes;
  return (elements / 32) * BLOCK_BYTES[type]!;
}

interface TensorPlan {
  name: string;
  /** ggml order: ne0 (row length) first. */
  dims: number[];
  type: number;
  /** Fills `out` with rows [row0, row0 + out.length / ne0). */
  fill: (row0: number, out: Float32Array) => void;
}

/**
 * Writes the model to `path`. Returns the file size. Large shapes are streamed row block by row
 * block, so memory stays small even for a 500 MB file.
 */
export async function writeTinyGguf(path: string, opts: TinyGgufOptions = {}): Promise<{ path: string; bytes: number }> {
  const nEmbd = opts.nEmbd ?? 64;
  const nLayer = opts.nLayer ?? 2;
  const nHead = opts.nHead ?? 4;
  const nHeadKv = opts.nHeadKv ?? nHead;
  const nFf = opts.nFf ?? 256;
  const nCtx = opts.nCtx ?? 512;
  const seed = opts.seed ?? 1;
  const storage = opts.type ?? 'f32';
  const wType = STORAGE[storage].type;
  const tied = opts.tiedEmbeddings ?? false;
  if (nEmbd % nHead !== 0) throw new Error('nEmbd must be a multiple of nHead');
  if (nHead % nHeadKv !== 0) throw new Error('nHead must be a multiple of nHeadKv');
  if ((BLOCK_BYTES[wType] || K_BLOCKS[wType]) && (nEmbd % 32 !== 0 || nFf % 32 !== 0)) throw new Error(`${storage} needs nEmbd and nFf to be multiples of 32`);
  const headDim = nEmbd / nHead;
  const nEmbdKv = headDim * nHeadKv;
  const vocab = buildVocab(opts.vocab ?? 'tiny', opts.extraWords);
  const nVocab = vocab.tokens.length;

  // Token embeddings are a pure function of (seed, token) so the output matrix can reuse them.
  const embRow = (token: number, out: Float32Array, at: number) => {
    const rand = prng(seed * 1_000_003 + token * 7919 + 17);
    for (let i = 0; i < nEmbd; i++) out[at + i] = noise(rand, 1);
  };
  // The step each token should lead to: the reply cycle, so row `next` of the output matrix is
  // the embedding of `prev`.
  const predecessor = new Map<number, number>();
  const cycleIds = TINY_REPLY_CYCLE.map((p) => vocab.tokens.indexOf(p));
  if (cycleIds.some((i) => i < 0)) throw new Error('reply cycle piece missing from vocab');
  for (let i = 0; i < cycleIds.length; i++) {
    predecessor.set(cycleIds[(i + 1) % cycleIds.length]!, cycleIds[i]!);
  }

  const secondChoices = new Map<number, number[]>();
  for (const [after, next] of SECOND_CHOICES) {
    // Several pieces may lead to the same token: their embeddings add up in that token's row.
    const list = secondChoices.get(vocab.tokens.indexOf(next)) ?? [];
    list.push(vocab.tokens.indexOf(after));
    secondChoices.set(vocab.tokens.indexOf(next), list);
  }

  const randomMatrix = (salt: number, std: number) => (row0: number, out: Float32Array) => {
    // One PRNG per block keyed by its first row keeps the content independent of block size
    // only per block; blocks are fixed below, so the file is reproducible.
    const rand = prng(seed * 31 + salt * 1_000_033 + row0);
    for (let i = 0; i < out.length; i++) out[i] = noise(rand, std);
  };
  const ones = (_row0: number, out: Float32Array) => out.fill(1);
  // Small blocks: each block's contribution stays ~1/40 of the embedding (see the file comment).
  const blockStd = 0.02;

  const tensors: TensorPlan[] = [];
  tensors.push({
    name: 'token_embd.weight',
    dims: [nEmbd, nVocab],
    type: wType,
    fill: (row0, out) => {
      for (let r = 0; r < out.length / nEmbd; r++) embRow(row0 + r, out, r * nEmbd);
    },
  });
  for (let l = 0; l < nLayer; l++) {
    const salt = (n: number) => (l + 1) * 100 + n;
    tensors.push({ name: `blk.${l}.attn_norm.weight`, dims: [nEmbd], type: GGML_F32, fill: ones });
    tensors.push({ name: `blk.${l}.attn_q.weight`, dims: [nEmbd, nEmbd], type: wType, fill: randomMatrix(salt(1), blockStd) });
    tensors.push({ name: `blk.${l}.attn_k.weight`, dims: [nEmbd, nEmbdKv], type: wType, fill: randomMatrix(salt(2), blockStd) });
    tensors.push({ name: `blk.${l}.attn_v.weight`, dims: [nEmbd, nEmbdKv], type: wType, fill: randomMatrix(salt(3), blockStd) });
    tensors.push({ name: `blk.${l}.attn_output.weight`, dims: [nEmbd, nEmbd], type: wType, fill: randomMatrix(salt(4), blockStd) });
    tensors.push({ name: `blk.${l}.ffn_norm.weight`, dims: [nEmbd], type: GGML_F32, fill: ones });
    tensors.push({ name: `blk.${l}.ffn_gate.weight`, dims: [nEmbd, nFf], type: wType, fill: randomMatrix(salt(5), blockStd) });
    tensors.push({ name: `blk.${l}.ffn_up.weight`, dims: [nEmbd, nFf], type: wType, fill: randomMatrix(salt(6), blockStd) });
    tensors.push({ name: `blk.${l}.ffn_down.weight`, dims: [nFf, nEmbd], type: wType, fill: randomMatrix(salt(7), blockStd) });
  }
  tensors.push({ name: 'output_norm.weight', dims: [nEmbd], type: GGML_F32, fill: ones });
  if (!tied) {
    tensors.push({
      name: 'output.weight',
      dims: [nEmbd, nVocab],
      type: wType,
      fill: (row0, out) => {
        const rows = out.length / nEmbd;
        for (let r = 0; r < rows; r++) {
          const prev = predecessor.get(row0 + r);
          const weakPrev = secondChoices.get(row0 + r);
          if (prev !== undefined || weakPrev !== undefined) {
            if (prev !== undefined) embRow(prev, out, r * nEmbd);
            else out.fill(0, r * nEmbd, (r + 1) * nEmbd);
            for (const weakId of weakPrev ?? []) {
              const weak = new Float32Array(nEmbd);
              embRow(weakId, weak, 0);
              for (let i = 0; i < nEmbd; i++) out[r * nEmbd + i]! += SECOND_CHOICE_WEIGHT * weak[i]!;
            }
          } else {
            // Other tokens score as noise, well below the planned next token.
            const rand = prng(seed * 977 + row0 + r);
            for (let i = 0; i < nEmbd; i++) out[r * nEmbd + i] = noise(rand, 0.5);
          }
        }
      },
    });
  }

  // K-quant files choose each matrix's type as llama.cpp's quantizer would.
  for (const t of tensors) {
    if (t.type !== wType) continue;
    t.type = storage === 'q4_k_m' ? q4KMType(t.name, t.dims[0]!, nLayer, tied) : fallbackType(wType, t.dims[0]!);
  }

  const fileType = STORAGE[storage].fileType;
  const kv: [string, KvValue][] = [
    ['general.architecture', { t: 'str', v: 'llama' }],
    ['general.name', { t: 'str', v: opts.name ?? 'tiny-test-model' }],
    ['general.alignment', { t: 'u32', v: ALIGNMENT }],
    ['general.file_type', { t: 'u32', v: fileType }],
    ['llama.vocab_size', { t: 'u32', v: nVocab }],
    ['llama.context_length', { t: 'u32', v: nCtx }],
    ['llama.embedding_length', { t: 'u32', v: nEmbd }],
    ['llama.block_count', { t: 'u32', v: nLayer }],
    ['llama.feed_forward_length', { t: 'u32', v: nFf }],
    ['llama.attention.head_count', { t: 'u32', v: nHead }],
    ['llama.attention.head_count_kv', { t: 'u32', v: nHeadKv }],
    ['llama.rope.dimension_count', { t: 'u32', v: headDim }],
    ['llama.rope.freq_base', { t: 'f32', v: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { t: 'f32', v: 1e-6 }],
    ['tokenizer.ggml.model', { t: 'str', v: 'llama' }],
    ['tokenizer.ggml.tokens', { t: 'arr-str', v: vocab.tokens }],
    ['tokenizer.ggml.scores', { t: 'arr-f32', v: vocab.scores }],
    ['tokenizer.ggml.token_type', { t: 'arr-i32', v: vocab.types }],
    ['tokenizer.ggml.bos_token_id', { t: 'u32', v: vocab.bos }],
    ['tokenizer.ggml.eos_token_id', { t: 'u32', v: vocab.eos }],
    ['tokenizer.ggml.eot_token_id', { t: 'u32', v: vocab.eot }],
    ['tokenizer.ggml.unknown_token_id', { t: 'u32', v: vocab.unk }],
    ['tokenizer.ggml.padding_token_id', { t: 'u32', v: vocab.eos }],
    ['tokenizer.ggml.add_bos_token', { t: 'bool', v: true }],
    ['tokenizer.ggml.add_eos_token', { t: 'bool', v: false }],
    ['tokenizer.chat_template', { t: 'str', v: CHATML_TEMPLATE }],
  ];

  const head = new ByteWriter();
  head.bytes(Buffer.from('GGUF', 'ascii'));
  head.u32(3);
  head.u64(tensors.length);
  head.u64(kv.length);
  for (const [key, value] of kv) writeKv(head, key, value);
  let offset = 0;
  for (const t of tensors) {
    head.str(t.name);
    head.u32(t.dims.length);
    t.dims.forEach((d) => head.u64(d));
    head.u32(t.type);
    head.u64(offset);
    const elements = t.dims.reduce((a, b) => a * b, 1);
    offset += bytesFor(elements, t.type);
    offset = Math.ceil(offset / ALIGNMENT) * ALIGNMENT;
  }
  head.pad(ALIGNMENT);

  const file = await open(path, 'w');
  try {
    let position = 0;
    const write = async (b: Buffer) => {
      await file.write(b, 0, b.length, position);
      position += b.length;
    };
    await write(head.toBuffer());
    const dataStart = position;
    for (const t of tensors) {
      const ne0 = t.dims[0]!;
      const rows = t.dims.slice(1).reduce((a, b) => a * b, 1);
      // About 1 M values per block keeps memory flat for the big shape.
      const rowsPerBlock = Math.max(1, Math.floor((1 << 20) / ne0));
      for (let row0 = 0; row0 < rows; row0 += rowsPerBlock) {
        const n = Math.min(rowsPerBlock, rows - row0);
        const values = new Float32Array(n * ne0);
        t.fill(row0, values);
        await write(encode(values, t.type));
      }
      const rel = position - dataStart;
      const aligned = Math.ceil(rel / ALIGNMENT) * ALIGNMENT;
      if (aligned > rel) await write(Buffer.alloc(aligned - rel));
    }
    return { path, bytes: position };
  } finally {
    await file.close();
  }
}
