/**
 * The built-in model exists only in Chrome windows with Gemini Nano installed, so these tests run
 * the adapter against a double of the Prompt API's `LanguageModel` (current shape: contextWindow,
 * contextUsage, measureContextUsage; older builds: inputQuota, inputUsage, measureInputUsage).
 */
import { describe, expect, it } from 'vitest';
import type { ChatChunk, LoadProgress } from './engine';
import {
  builtinAvailability,
  createBuiltinEngine,
  isBuiltinAvailable,
  splitConversation,
  type LanguageModelSession,
  type LanguageModelStatic,
} from './builtin-engine';

interface FakeOptions {
  availability?: string | Error;
  chunks?: string[];
  /** Use the pre-138 names. */
  legacy?: boolean;
  streamError?: Error;
  createError?: Error;
  /** Answer as a ReadableStream (Chrome's actual return type), optionally without async iteration. */
  stream?: 'readable' | 'reader-only';
}

function fakeLanguageModel(opts: FakeOptions = {}) {
  const created: Array<Record<string, unknown>> = [];
  const prompts: Array<{ input: unknown; options: Record<string, unknown> | undefined }> = [];
  let destroyed = 0;
  const api: LanguageModelStatic = {
    async availability() {
      if (opts.availability instanceof Error) throw opts.availability;
      return opts.availability ?? 'available';
    },
    async create(options = {}) {
      if (opts.createError) throw opts.createError;
      created.push(options as Record<string, unknown>);
      options.monitor?.({
        addEventListener: (_type, fn) => {
          fn({ loaded: 0.25 });
          fn({ loaded: 1 });
        },
      });
      let used = (options.initialPrompts ?? []).reduce((n, m) => n + m.content.length, 0);
      const measure = async (input: unknown) => String(input).length;
      const session: LanguageModelSession = {
        promptStreaming(input, o) {
          prompts.push({ input, options: o as Record<string, unknown> });
          const chunks = opts.chunks ?? ['{"a":', '1}'];
          used += String(input).length;
          if (opts.stream) {
            const readable = new ReadableStream<string>({
              start(controller) {
                for (const c of chunks) controller.enqueue(c);
                controller.close();
              },
            });
            // Browsers before async-iterable streams: only getReader().
            if (opts.stream === 'reader-only') Object.defineProperty(readable, Symbol.asyncIterator, { value: undefined });
            return readable;
          }
          return (async function* () {
            for (const c of chunks) {
              if (o?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
              await Promise.resolve();
              used += c.length;
              yield c;
            }
            if (opts.streamError) throw opts.streamError;
          })();
        },
        destroy: () => {
          destroyed++;
        },
      };
      if (opts.legacy) {
        Object.defineProperty(session, 'inputQuota', { get: () => 6144 });
        Object.defineProperty(session, 'inputUsage', { get: () => used });
        session.measureInputUsage = measure;
      } else {
        Object.defineProperty(session, 'contextWindow', { get: () => 9216 });
        Object.defineProperty(session, 'contextUsage', { get: () => used });
        session.measureContextUsage = measure;
      }
      return session;
    },
  };
  return { scope: { LanguageModel: api }, created, prompts, destroyed: () => destroyed };
}

async function collect(it: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

const request = {
  messages: [
    { role: 'system' as const, content: 'You review code.' },
    { role: 'user' as const, content: 'diff here' },
  ],
  maxTokens: 100,
};

describe('availability', () => {
  it('is unavailable where LanguageModel is missing (service workers, other browsers)', async () => {
    expect(await builtinAvailability({})).toBe('unavailable');
    expect(await isBuiltinAvailable({})).toBe(false);
  });

  it('is unavailable where LanguageModel lacks availability() or create() (an older or foreign API)', async () => {
    expect(await builtinAvailability({ LanguageModel: { availability: async () => 'available' } })).toBe('unavailable');
    expect(await builtinAvailability({ LanguageModel: { create: async () => ({}) } })).toBe('unavailable');
    expect(await builtinAvailability({ LanguageModel: 'available' })).toBe('unavailable');
    expect(await builtinAvailability(null)).toBe('unavailable');
  });

  it('passes the browser status through and counts a possible download as available', async () => {
    expect(await builtinAvailability(fakeLanguageModel({ availability: 'downloadable' }).scope)).toBe('downloadable');
    expect(await isBuiltinAvailable(fakeLanguageModel({ availability: 'downloading' }).scope)).toBe(true);
    expect(await isBuiltinAvailable(fakeLanguageModel({ availability: 'unavailable' }).scope)).toBe(false);
    expect(await builtinAvailability(fakeLanguageModel({ availability: 'something-new' }).scope)).toBe('unavailable');
    expect(await builtinAvailability(fakeLanguageModel({ availability: new Error('boom') }).scope)).toBe('unavailable');
  });
});

describe('BuiltinEngine', () => {
  it('loads with download progress and reports the context window and a token counter', async () => {
    const fake = fakeLanguageModel({ availability: 'downloadable' });
    const engine = createBuiltinEngine({ scope: fake.scope });
    const progress: LoadProgress[] = [];
    await engine.load((p) => progress.push(p));
    expect(progress.map((p) => p.fraction)).toEqual([0, 0.25, 1, 1]);
    expect(progress[1]?.text).toBe('Downloading the built-in model: 25%');
    const caps = engine.capabilities();
    expect(caps.contextWindow).toBe(9216);
    expect(caps.structuredOutput).toBe(true);
    expect(await caps.countTokens?.('12345')).toBe(5);
  });

  it('refuses to load where the model is unavailable', async () => {
    const engine = createBuiltinEngine({ scope: fakeLanguageModel({ availability: 'unavailable' }).scope });
    await expect(engine.load(() => undefined)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(createBuiltinEngine({ scope: {} }).load(() => undefined)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('sends the system prompt as an initial prompt, the schema as a response constraint, and measures speed', async () => {
    const fake = fakeLanguageModel();
    let t = 0;
    const engine = createBuiltinEngine({ scope: fake.scope, now: () => (t += 500) });
    await engine.load(() => undefined);
    const schema = { type: 'object' };
    const chunks = await collect(engine.chat({ ...request, jsonSchema: schema }, new AbortController().signal));
    const perCall = fake.created[1]!;
    expect(perCall.initialPrompts).toEqual([{ role: 'system', content: 'You review code.' }]);
    expect(fake.prompts[0]?.input).toBe('diff here');
    expect(fake.prompts[0]?.options?.responseConstraint).toBe(schema);
    expect(chunks.slice(0, 2)).toEqual([
      { type: 'delta', text: '{"a":' },
      { type: 'delta', text: '1}' },
    ]);
    const usage = chunks[2];
    expect(usage).toMatchObject({ type: 'usage', promptTokens: 9, completionTokens: 7 });
    // Clock: start 500, first chunk 1000, end 1500 → 9 tokens in 0.5 s, 7 tokens in 0.5 s.
    expect(usage).toMatchObject({ prefillTokensPerSecond: 18, decodeTokensPerSecond: 14 });
    expect(fake.destroyed()).toBe(1); // the per-call session, not the base one
  });

  it('works with the older inputQuota / measureInputUsage names', async () => {
    const fake = fakeLanguageModel({ legacy: true });
    const engine = createBuiltinEngine({ scope: fake.scope });
    await engine.load(() => undefined);
    expect(engine.capabilities().contextWindow).toBe(6144);
    const chunks = await collect(engine.chat(request, new AbortController().signal));
    expect(chunks.at(-1)).toMatchObject({ type: 'usage', promptTokens: 9, completionTokens: 7 });
  });

  it('reads an answer given as a ReadableStream, with or without async iteration', async () => {
    for (const stream of ['readable', 'reader-only'] as const) {
      const engine = createBuiltinEngine({ scope: fakeLanguageModel({ stream, chunks: ['{"b":', '2}'] }).scope });
      await engine.load(() => undefined);
      const chunks = await collect(engine.chat(request, new AbortController().signal));
      expect(chunks.filter((c) => c.type === 'delta')).toEqual([
        { type: 'delta', text: '{"b":' },
        { type: 'delta', text: '2}' },
      ]);
    }
  });

  it('stops a runaway answer at about maxTokens', async () => {
    const fake = fakeLanguageModel({ chunks: Array.from({ length: 100 }, () => 'xxxxxxxxxx') });
    const engine = createBuiltinEngine({ scope: fake.scope });
    await engine.load(() => undefined);
    const chunks = await collect(engine.chat({ ...request, maxTokens: 10 }, new AbortController().signal));
    const text = chunks.filter((c) => c.type === 'delta').length;
    expect(text).toBe(3); // 30 chars ≈ 10 tokens at 3 chars a token
    expect(chunks.at(-1)?.type).toBe('usage');
  });

  it('ends without error when aborted', async () => {
    const fake = fakeLanguageModel({ chunks: ['a', 'b', 'c'] });
    const engine = createBuiltinEngine({ scope: fake.scope });
    await engine.load(() => undefined);
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    for await (const c of engine.chat(request, controller.signal)) {
      seen.push(c);
      controller.abort();
    }
    expect(seen).toEqual([{ type: 'delta', text: 'a' }]);
    expect(fake.destroyed()).toBe(1);
  });

  it('maps an over-long input to context-exceeded', async () => {
    const fake = fakeLanguageModel({ streamError: new DOMException('The input is too large.', 'QuotaExceededError') });
    const engine = createBuiltinEngine({ scope: fake.scope });
    await engine.load(() => undefined);
    await expect(collect(engine.chat(request, new AbortController().signal))).rejects.toMatchObject({ code: 'context-exceeded' });
  });

  it('says not loaded before load and after unload', async () => {
    const fake = fakeLanguageModel();
    const engine = createBuiltinEngine({ scope: fake.scope });
    await expect(collect(engine.chat(request, new AbortController().signal))).rejects.toMatchObject({ code: 'not-loaded' });
    await engine.load(() => undefined);
    await engine.unload();
    expect(fake.destroyed()).toBe(1);
    await expect(collect(engine.chat(request, new AbortController().signal))).rejects.toMatchObject({ code: 'not-loaded' });
  });
});

describe('splitConversation', () => {
  it('keeps earlier turns as initial prompts and the last user turn as the prompt', () => {
    expect(
      splitConversation([
        { role: 'system', content: 's' },
        { role: 'user', content: 'u1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'u2' },
      ]),
    ).toEqual({
      initial: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'u1' },
        { role: 'assistant', content: 'a1' },
      ],
      prompt: 'u2',
    });
  });
});
