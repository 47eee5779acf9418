import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAiServer, type FakeServer } from '../../e2e/support/fake-openai-server';
import { EngineError } from './engine';
import { listServerModels, OpenAiEngine } from './openai-engine';
import { runReview } from '../review/pipeline';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { parseUnifiedDiff } from '../github/diff-text';

let server: FakeServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function collect(engine: OpenAiEngine, signal = new AbortController().signal) {
  let text = '';
  let usage: unknown = null;
  for await (const c of engine.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 50 }, signal)) {
    if (c.type === 'delta') text += c.text;
    else usage = c;
  }
  return { text, usage };
}

describe('OpenAI-compatible client against a local server', () => {
  it('lists models and streams an answer in pieces, with usage', async () => {
    server = await startFakeOpenAiServer({ models: ['a', 'b'], answer: () => 'The quick brown fox jumps over the lazy dog.', chunkChars: 5 });
    expect(await listServerModels(server.base)).toEqual(['a', 'b']);
    const engine = new OpenAiEngine({ baseUrl: `${server.base}/`, model: 'b' });
    await engine.load(() => undefined);
    const deltas: string[] = [];
    for await (const c of engine.chat({ messages: [{ role: 'user', content: 'x' }], maxTokens: 9 }, new AbortController().signal)) if (c.type === 'delta') deltas.push(c.text);
    expect(deltas.length).toBe(9);
    expect(deltas.join('')).toBe('The quick brown fox jumps over the lazy dog.');
    expect(server.requests[0]).toMatchObject({ model: 'b', stream: true, max_tokens: 9 });
    expect((await collect(engine)).usage).toMatchObject({ type: 'usage', promptTokens: 1, completionTokens: 11 });
  });

  it('cancels: aborting ends the stream without an error and closes the connection', async () => {
    server = await startFakeOpenAiServer({ answer: () => 'x'.repeat(2000), chunkChars: 10, delayMs: 10 });
    const engine = new OpenAiEngine({ baseUrl: server.base, model: 'tiny-coder' });
    await engine.load(() => undefined);
    const controller = new AbortController();
    let received = '';
    for await (const c of engine.chat({ messages: [{ role: 'user', content: 'x' }], maxTokens: 900 }, controller.signal)) {
      if (c.type === 'delta') received += c.text;
      if (received.length >= 30) controller.abort();
    }
    expect(received.length).toBeLessThan(200);
    await expect.poll(() => server!.aborted).toBe(1);
  });

  it('turns failures into clear errors: unreachable, unknown model, HTTP errors, an error mid-stream', async () => {
    const down = new OpenAiEngine({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm' });
    await expect(down.load(() => undefined)).rejects.toThrow(/Could not reach the server at http:\/\/127\.0\.0\.1:9\/v1/);
    server = await startFakeOpenAiServer({ models: ['qwen'] });
    const wrong = new OpenAiEngine({ baseUrl: server.base, model: 'llama' });
    await expect(wrong.load(() => undefined)).rejects.toThrow('has no model "llama" (it lists qwen)');
    await expect(new OpenAiEngine({ baseUrl: server.url, model: 'qwen' }).load(() => undefined)).rejects.toThrow(/answered 404 to GET \/models/);

    const engine = new OpenAiEngine({ baseUrl: server.base, model: 'qwen' });
    await engine.load(() => undefined);
    server.options.fail = { status: 403, message: 'forbidden' };
    await expect(collect(engine)).rejects.toMatchObject({ nextStep: expect.stringContaining('OLLAMA_ORIGINS') });
    server.options.fail = { status: 500, message: 'model crashed' };
    await expect(collect(engine)).rejects.toThrow('answered 500: model crashed');
    server.options.fail = { status: 400, message: 'the request exceeds the available context size' };
    await expect(collect(engine)).rejects.toMatchObject({ code: 'context-exceeded' });
    server.options.fail = null;
    server.options.failMidStream = 'out of memory';
    const e = await collect(engine).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EngineError);
    expect((e as Error).message).toContain('reported an error: out of memory');
  });

  it('runs the review pipeline end to end against the server', async () => {
    server = await startFakeOpenAiServer();
    const engine = new OpenAiEngine({ baseUrl: server.base, model: 'tiny-coder' });
    await engine.load(() => undefined);
    const diff = parseUnifiedDiff('diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,2 @@\n const a = 1;\n+const b = a + 1;\n');
    const review = await runReview({ diff: { ref: { owner: 'o', repo: 'r', number: 1 }, files: diff, missing: [] }, settings: { ...DEFAULT_SETTINGS }, engine }, () => undefined, new AbortController().signal);
    expect(review.findings).toMatchObject([{ file: 'a.ts', line: 2, title: 'Fake server finding' }]);
    expect(review.stats.verify).toMatchObject({ checked: 1, rejected: 0, calls: 1 });
    expect(server.requests.length).toBe(2);
  });
});
