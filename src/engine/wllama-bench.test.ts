import { describe, expect, it } from 'vitest';
import type { ChatChunk, ChatRequest, Engine } from './engine';
import { benchPrompt, measureCpuEngine } from './wllama-bench';

function fakeEngine(rates: [number, number][]): Engine & { prompts: string[]; loads: number } {
  let call = 0;
  const prompts: string[] = [];
  return {
    kind: 'scripted',
    modelId: 'fake',
    prompts,
    loads: 0,
    async load() {
      this.loads++;
    },
    capabilities: () => ({ contextWindow: 4096, structuredOutput: false }),
    async *chat(req: ChatRequest): AsyncIterable<ChatChunk> {
      prompts.push(req.messages.at(-1)!.content);
      const [prefill, decode] = rates[call++]!;
      yield { type: 'delta', text: 'x' };
      yield { type: 'usage', promptTokens: 100, completionTokens: 8, prefillTokensPerSecond: prefill, decodeTokensPerSecond: decode };
    },
    async unload() {},
  };
}

describe('benchPrompt', () => {
  it('has the requested length and differs between runs from the first word', () => {
    const a = benchPrompt(1, 50);
    const b = benchPrompt(2, 50);
    expect(a.split(' ')).toHaveLength(50);
    expect(a.split(' ')[0]).not.toBe(b.split(' ')[0]);
  });
});

describe('measureCpuEngine', () => {
  it('loads once, skips the warm-up run and reports medians of the measured runs', async () => {
    const engine = fakeEngine([[1, 1], [10, 4], [30, 2], [20, 3]]);
    const r = await measureCpuEngine(engine, { runs: 3, promptWords: 20 });
    expect(engine.loads).toBe(1);
    expect(r.runs).toHaveLength(3);
    expect(r.prefillTokensPerSecond).toBe(20);
    expect(r.decodeTokensPerSecond).toBe(3);
    expect(new Set(engine.prompts).size).toBe(4);
    expect(r.runs[0]!.promptTokens).toBe(100);
  });
});
