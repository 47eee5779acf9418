/**
 * The generator's 4-bit formats (q4_0, q4_1) decode to the weights it meant: native llama.cpp
 * (node-llama-cpp's prebuilt CPU binary, runs here) loads each file and the tiny model's greedy
 * reply comes out exactly as with f32 weights. A wrong block size would fail the load, a wrong
 * scale or offset would scramble the reply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf } from '@huggingface/gguf';
import { afterAll, describe, expect, it } from 'vitest';
import { NativeLlama } from '../../scripts/bench/native-llama';
import { chatMl } from '../../scripts/bench/cpu-vs-native';
import { TINY_REPLY_TEXT, writeTinyGguf, type TinyGgufType } from './tiny-gguf';

const dir = mkdtempSync(join(tmpdir(), 'tiny-gguf-q4-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeTinyGguf 4-bit formats', () => {
  it.each([
    ['q4_0', 2, 2, 18],
    ['q4_1', 3, 3, 20],
    ['q8_0', 8, 7, 34],
  ] as const)('%s: ggml type %i, file type %i, %i bytes per 32 weights, and the greedy reply survives', async (type, ggmlType, fileType, blockBytes) => {
    const path = join(dir, `${type}.gguf`);
    await writeTinyGguf(path, { type: type as TinyGgufType, nCtx: 1024 });
    const { metadata, tensorInfos } = await gguf(path, { allowLocalFile: true });
    expect((metadata as unknown as Record<string, unknown>)['general.file_type']).toBe(fileType);
    const q = tensorInfos.find((t) => t.name === 'blk.0.attn_q.weight')!;
    expect(q.dtype).toBe(ggmlType);
    const next = tensorInfos.find((t) => t.name === 'blk.0.attn_k.weight')!;
    // 64×64 weights in blocks of 32, then padding to the 32-byte alignment.
    expect(Number(next.offset - q.offset)).toBe(Math.ceil(((64 * 64) / 32) * blockBytes / 32) * 32);

    const native = await NativeLlama.open(path, { threads: 1, contextSize: 1024 });
    try {
      const text = await native.complete(chatMl('You review code changes.', 'Review this change.'), 12);
      expect(text).toBe(TINY_REPLY_TEXT.repeat(2));
    } finally {
      await native.close();
    }
  }, 60_000);
});
