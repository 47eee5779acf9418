/**
 * Real inference: native llama.cpp (node-llama-cpp's prebuilt CPU binary) runs the tiny generated
 * GGUF through the whole review pipeline. The tiny model's words mean nothing; the test proves the
 * wiring: load, exact token counts, streamed answers parsed by the pipeline, usage, cancel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_REPLY_TEXT, writeTinyGguf } from '../../e2e/support/tiny-gguf';
import { EngineError } from '../engine/engine';
import { runReview } from '../review/pipeline';
import { loadCases } from './corpus';
import { NodeLlamaEngine, isGrammarSchema } from './node-llama-engine';
import { mapJsonSchema, REDUCE_JSON_SCHEMA } from '../review/prompts';
import { VERIFY_JSON_SCHEMA } from '../review/verify';
import { evalSettings, evaluate } from './run-eval';

const dir = mkdtempSync(join(tmpdir(), 'lpr-llama-'));
const modelPath = join(dir, 'tiny.gguf');
// One thread: the CI machine is small and shared, and llama.cpp's threads spin while they wait.
const engine = new NodeLlamaEngine({ modelPath, contextSize: 4096, gpu: false, threads: 1 });
const cases = loadCases(resolve(import.meta.dirname, '../../eval/corpora/shim52/sql-injection-express'));

beforeAll(async () => {
  await writeTinyGguf(modelPath, { nCtx: 4096 });
  await engine.load(() => undefined);
}, 60_000);

afterAll(async () => {
  await engine.unload();
  rmSync(dir, { recursive: true, force: true });
});

describe('node-llama-cpp engine', () => {
  it('loads the prebuilt binary on the CPU and counts tokens with the model tokenizer', async () => {
    expect(engine.device).toBe('cpu');
    expect(engine.capabilities().contextWindow).toBe(4096);
    const n = await engine.capabilities().countTokens!('The change looks fine.');
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(12);
  });

  it('streams the model text and reports usage', async () => {
    let text = '';
    let usage: { promptTokens: number; completionTokens: number } | null = null;
    for await (const c of engine.chat({ messages: [{ role: 'user', content: 'Review this.' }], maxTokens: 12, temperature: 0 }, new AbortController().signal)) {
      if (c.type === 'delta') text += c.text;
      else usage = c;
    }
    expect(text.startsWith(TINY_REPLY_TEXT.trim())).toBe(true);
    expect(usage).toMatchObject({ completionTokens: 12 });
    expect(usage!.promptTokens).toBeGreaterThan(0);
  });

  it('runs a whole review of a corpus case and the eval scores it', async () => {
    const events: string[] = [];
    const review = await runReview({ diff: cases[0]!.diff, settings: evalSettings(true), engine }, (e) => events.push(e.type), new AbortController().signal);
    expect(review.stats.modelCalls).toBeGreaterThanOrEqual(1);
    expect(review.stats.promptTokens).toBeGreaterThan(500);
    expect(events).toContain('text');
    // The grammar-constrained answer is valid map JSON, so the pipeline read it: no note says an
    // answer could not be read. (What the tiny model writes inside it depends on sampling.)
    expect(review.notes ?? []).not.toContainEqual(expect.stringContaining('could not be read'));
    expect(review.walkthrough.map((w) => w.path)).toEqual(['src/routes/users.ts']);
    const report = await evaluate(cases, { runs: 1, verify: false, engineFor: () => engine });
    expect(report.off.cases[0]).toMatchObject({ id: 'shim52/sql-injection-express', issues: 2 });
    expect(report.off.cases[0]!.errors).toBeUndefined();
    expect(report.off.cost.calls).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('stops when the review is cancelled', async () => {
    const controller = new AbortController();
    const run = runReview({ diff: cases[0]!.diff, settings: evalSettings(false), engine }, (e) => (e.type === 'text' ? controller.abort() : 0), controller.signal);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  }, 60_000);

  it('says which file is missing', async () => {
    const missing = new NodeLlamaEngine({ modelPath: join(dir, 'nope.gguf') });
    await expect(missing.load(() => undefined)).rejects.toBeInstanceOf(EngineError);
    await expect(missing.load(() => undefined)).rejects.toThrow(/No model file at .*nope\.gguf/);
  });
});

describe('the schemas it turns into grammars', () => {
  it('takes every schema the review sends', () => {
    for (const schema of [mapJsonSchema('quick'), mapJsonSchema('thorough'), REDUCE_JSON_SCHEMA, VERIFY_JSON_SCHEMA]) expect(isGrammarSchema(schema)).toBe(true);
    expect(isGrammarSchema({ oneOf: [{ const: 1 }, { type: ['string', 'null'] }, { $ref: '#/$defs/x' }] })).toBe(true);
  });

  it('refuses a shape node-llama-cpp would read as null, at any depth (decoding is then unconstrained)', () => {
    expect(isGrammarSchema({})).toBe(false);
    expect(isGrammarSchema({ type: 'date' })).toBe(false);
    expect(isGrammarSchema({ type: 'object', properties: { a: { type: 'object', properties: { b: 'string' } } } })).toBe(false);
    expect(isGrammarSchema({ type: 'object', required: 'a' })).toBe(false);
    expect(isGrammarSchema({ type: 'array', items: { enum: [{}] } })).toBe(false);
    expect(isGrammarSchema({ type: [] })).toBe(false);
    expect(isGrammarSchema(['string'])).toBe(false);
  });
});
