/** ChatML, as llama.cpp's built-in template lays out a chat for the Qwen models, ending with the assistant's turn. */
import type { ChatMessage } from '../../src/engine/engine';

export function chatMlText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') + '<|im_start|>assistant\n';
}
