/** Token-level helpers for the prompt-cache measurement (scripts/bench/prefix-reuse.ts). */
import type { ChatMessage } from '../../src/engine/engine';
import { qwenTokenizer } from '../../src/review/testing/reference-tokenizers';
import { chatMlText } from './chat-ml';

export { chatMlText };

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
