/** Token-level helpers for the prompt-cache measurement (scripts/bench/prefix-reuse.ts). */
import type { ChatMessage } from '../../src/engine/engine';
import { qwenTokenizer } from '../../src/review/testing/reference-tokenizers';

/** ChatML, as llama.cpp's built-in template lays out a chat for the Qwen models, ending with the assistant's turn. */
export function chatMlText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') + '<|im_start|>assistant\n';
}

export function promptTokenIds(messages: readonly ChatMessage[]): number[] {
  return qwenTokenizer.encode(chatMlText(messages));
}

/** Length of the longest common prefix of two token sequences. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
