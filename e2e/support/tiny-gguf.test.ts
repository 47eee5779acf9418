import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf } from '@huggingface/gguf';
import { afterAll, describe, expect, it } from 'vitest';
import { buildVocab, TINY_REPLY_CYCLE, toHalf, writeTinyGguf } from './tiny-gguf';

const dir = mkdtempSync(join(tmpdir(), 'tiny-gguf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function parse(path: string) {
  const { metadata, tensorInfos } = await gguf(path, { allowLocalFile: true });
  return { meta: metadata as unknown as Record<string, unknown>, tensors: tensorInfos };
}

describe('writeTinyGguf', () => {
  it('writes a GGUF v3 llama model with every key llama.cpp needs', async () => {
    const { path, bytes } = await writeTinyGguf(join(dir, 'default.gguf'));
    expect(bytes).toBe(readFileSync(path).length);
    const { meta, tensors } = await parse(path);
    expect(meta.version).toBe(3);
    expect(meta['general.architecture']).toBe('llama');
    expect(meta['llama.embedding_length']).toBe(64);
    expect(meta['llama.block_count']).toBe(2);
    expect(meta['llama.attention.head_count']).toBe(4);
    expect(meta['llama.attention.head_count_kv']).toBe(4);
    expect(meta['llama.feed_forward_length']).toBe(256);
    expect(meta['llama.context_length']).toBe(512);
    expect(meta['llama.rope.dimension_count']).toBe(16);
    expect(meta['llama.attention.layer_norm_rms_epsilon']).toBeGreaterThan(0);
    expect(meta['tokenizer.ggml.model']).toBe('llama');
    expect(String(meta['tokenizer.chat_template'])).toContain('<|im_start|>');
    const tokens = meta['tokenizer.ggml.tokens'] as string[];
    expect((meta['tokenizer.ggml.scores'] as number[]).length).toBe(tokens.length);
    expect((meta['tokenizer.ggml.token_type'] as number[]).length).toBe(tokens.length);
    expect(tokens[meta['tokenizer.ggml.bos_token_id'] as number]).toBe('<s>');
    expect(tokens[meta['tokenizer.ggml.eos_token_id'] as number]).toBe('</s>');
    expect(tokens[meta['tokenizer.ggml.eot_token_id'] as number]).toBe('<|im_end|>');
    const names = tensors.map((t) => t.name);
    for (const n of ['token_embd.weight', 'output_norm.weight', 'output.weight', 'blk.1.attn_q.weight', 'blk.1.ffn_down.weight']) {
      expect(names).toContain(n);
    }
    expect(names).toHaveLength(3 + 2 * 9);
    const down = tensors.find((t) => t.name === 'blk.0.ffn_down.weight')!;
    expect(down.shape.map(Number)).toEqual([256, 64]);
    expect(tensors.find((t) => t.name === 'token_embd.weight')!.shape.map(Number)).toEqual([64, tokens.length]);
  });

  it('lays the vocabulary out like llama.cpp SentencePiece models', () => {
    const v = buildVocab();
    expect(v.tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    expect(v.tokens[3]).toBe('<0x00>');
    expect(v.tokens[3 + 0x0a]).toBe('<0x0A>');
    expect(v.tokens[258]).toBe('<0xFF>');
    expect(v.types.slice(3, 259).every((t) => t === 6)).toBe(true);
    expect(v.tokens).toContain('<|im_start|>');
    for (const piece of ['{', '}', '"', ':', ',', '[', ']', '▁', 'true', 'false', ...TINY_REPLY_CYCLE]) expect(v.tokens).toContain(piece);
    expect(new Set(v.tokens).size).toBe(v.tokens.length);
  });

  it('pads the vocabulary to a requested size with unique pieces', () => {
    const v = buildVocab(2000);
    expect(v.tokens).toHaveLength(2000);
    expect(new Set(v.tokens).size).toBe(2000);
    expect(() => buildVocab(10)).toThrow(/below/);
  });

  it('writes grouped-query shapes, q8_0 blocks and tied embeddings', async () => {
    const { path, bytes } = await writeTinyGguf(join(dir, 'gqa.gguf'), {
      nEmbd: 128, nHead: 4, nHeadKv: 2, nFf: 256, nLayer: 1, vocab: 1024, type: 'q8_0', tiedEmbeddings: true, nCtx: 4096,
    });
    const { meta, tensors } = await parse(path);
    expect(meta['llama.context_length']).toBe(4096);
    expect(meta['llama.attention.head_count_kv']).toBe(2);
    expect(meta['general.file_type']).toBe(7);
    expect(tensors.map((t) => t.name)).not.toContain('output.weight');
    const k = tensors.find((t) => t.name === 'blk.0.attn_k.weight')!;
    expect(k.shape.map(Number)).toEqual([128, 64]);
    expect(k.dtype).toBe(8);
    expect(tensors.find((t) => t.name === 'blk.0.attn_norm.weight')!.dtype).toBe(0);
    // q8_0 stores 32 weights in 34 bytes: the file is about a quarter of the f32 one.
    const f32 = await writeTinyGguf(join(dir, 'gqa-f32.gguf'), { nEmbd: 128, nHead: 4, nHeadKv: 2, nFf: 256, nLayer: 1, vocab: 1024, tiedEmbeddings: true });
    expect(bytes / f32.bytes).toBeGreaterThan(0.25);
    expect(bytes / f32.bytes).toBeLessThan(0.32);
  });

  it('is reproducible for a seed and changes with it', async () => {
    const a = await writeTinyGguf(join(dir, 'a.gguf'), { seed: 7, type: 'f16' });
    const b = await writeTinyGguf(join(dir, 'b.gguf'), { seed: 7, type: 'f16' });
    const c = await writeTinyGguf(join(dir, 'c.gguf'), { seed: 8, type: 'f16' });
    expect(readFileSync(a.path).equals(readFileSync(b.path))).toBe(true);
    expect(readFileSync(a.path).equals(readFileSync(c.path))).toBe(false);
  });

  it('rejects shapes llama.cpp could not load', async () => {
    await expect(writeTinyGguf(join(dir, 'x.gguf'), { nEmbd: 60, nHead: 8 })).rejects.toThrow(/multiple of nHead/);
    await expect(writeTinyGguf(join(dir, 'y.gguf'), { nEmbd: 48, nHead: 4, type: 'q8_0' })).rejects.toThrow(/multiples of 32/);
  });

  it('converts floats to IEEE half precision', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.5)).toBe(0x3800);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e9)).toBe(0x7c00);
    expect(toHalf(0)).toBe(0);
  });
});
