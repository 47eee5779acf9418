/**
 * web-llm cannot run a model on this machine (no GPU, model hosts unreachable), so these tests
 * drive our adapter against a double of web-llm's module and engine object: they check what we
 * send to web-llm and what we make of its answers, not web-llm itself.
 */
import { describe, expect, it } from 'vitest';
import { EngineError, type ChatChunk, type LoadProgress } from './engine';
import type { WebLlmModelRecord } from './webllm-catalog';
import {
  createWebLlmEngine,
  readBundledModelLibs,
  type WebLlmAppConfig,
  type WebLlmChatRequest,
  type WebLlmChunk,
  type WebLlmModule,
} from './webllm-engine';
import type { WebLlmProgressReport } from './webllm-progress';

const MODEL = 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC';
const LIB = 'v0_2_86/base/Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm';
const RECORD: WebLlmModelRecord = {
  model: `https://huggingface.co/mlc-ai/${MODEL}`,
  model_id: MODEL,
  model_lib: `https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/${LIB}`,
  overrides: { context_window_size: 4096 },
};
const extensionUrl = (p: string) => `chrome-extension://id/${p}`;

function named(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

type Script = (req: WebLlmChatRequest, engine: FakeEngine) => AsyncGenerator<WebLlmChunk>;

class FakeEngine {
  appConfig: WebLlmAppConfig;
  progress: (r: WebLlmProgressReport) => void;
  reloads: Array<{ id: string; opts: unknown }> = [];
  requests: WebLlmChatRequest[] = [];
  interrupted = 0;
  unloads = 0;
  /** How many generations are open (web-llm holds a per-model lock while one is). */
  open = 0;
  reloadErrors: Error[] = [];
  scripts: Script[] = [];
  onReload?: () => Promise<void>;

  constructor(config: { appConfig: WebLlmAppConfig; initProgressCallback: (r: WebLlmProgressReport) => void }) {
    this.appConfig = config.appConfig;
    this.progress = config.initProgressCallback;
  }
  async reload(id: string, opts?: unknown) {
    this.reloads.push({ id, opts });
    const err = this.reloadErrors.shift();
    if (err) throw err;
    this.progress({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' });
    this.progress({ progress: 0.5, timeElapsed: 1, text: 'Fetching param cache[1/2]: 400MB fetched. 50% completed, 1 secs elapsed.' });
    await this.onReload?.();
    this.progress({ progress: 0.1, timeElapsed: 2, text: 'Loading GPU shader modules[1/10]: 10% completed, 2 secs elapsed.' });
    this.progress({ progress: 1, timeElapsed: 3, text: 'Finish loading on WebGPU - fake' });
  }
  chat = {
    completions: {
      create: async (req: WebLlmChatRequest): Promise<AsyncIterable<WebLlmChunk>> => {
        this.requests.push(req);
        const script = this.scripts.shift();
        if (!script) throw new Error('no script');
        const self = this;
        async function* tracked() {
          self.open++;
          try {
            yield* script!(req, self);
          } finally {
            self.open--;
          }
        }
        return tracked();
      },
    },
  };
  interruptGenerate() {
    this.interrupted++;
  }
  async unload() {
    this.unloads++;
  }
}

function fakeModule() {
  const engines: FakeEngine[] = [];
  const setup: Array<(e: FakeEngine) => void> = [];
  const mod: WebLlmModule = {
    MLCEngine: class {
      constructor(config: ConstructorParameters<typeof FakeEngine>[0]) {
        const e = new FakeEngine(config);
        for (const s of setup) s(e);
        engines.push(e);
        return e;
      }
    } as unknown as WebLlmModule['MLCEngine'],
    prebuiltAppConfig: { model_list: [RECORD] },
  };
  return { mod, engines, setup };
}

function delta(text: string): WebLlmChunk {
  return { choices: [{ delta: { content: text }, finish_reason: null }] };
}
const usageChunk: WebLlmChunk = {
  choices: [],
  usage: { prompt_tokens: 900, completion_tokens: 40, extra: { prefill_tokens_per_s: 850.5, decode_tokens_per_s: 31.2, time_to_first_token_s: 1.1 } },
};

async function collect(it: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

async function loadedEngine(extra: Partial<Parameters<typeof createWebLlmEngine>[0]> = {}) {
  const fake = fakeModule();
  const engine = createWebLlmEngine({
    modelId: MODEL,
    bundledLibs: new Set([LIB]),
    extensionUrl,
    loadWebLlm: async () => fake.mod,
    ...extra,
  });
  const progress: LoadProgress[] = [];
  await engine.load((p) => progress.push(p));
  return { engine, fake, web: fake.engines[0]!, progress };
}

const request = { messages: [{ role: 'user' as const, content: 'review this' }], maxTokens: 256 };

describe('WebLlmEngine.load', () => {
  it('loads the bundled library, weights from the mirror, and reports forward-only progress', async () => {
    const { engine, web, progress } = await loadedEngine({ modelHost: 'https://mirror.example/hf' });
    expect(engine.kind).toBe('webllm');
    expect(web.appConfig.model_list).toHaveLength(1);
    expect(web.appConfig.model_list[0]).toMatchObject({
      model: `https://mirror.example/hf/mlc-ai/${MODEL}`,
      model_lib: `chrome-extension://id/model-libs/${LIB}`,
    });
    expect(web.reloads).toEqual([{ id: MODEL, opts: undefined }]);
    const fractions = progress.map((p) => p.fraction).filter((f): f is number => f !== null);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    expect(progress.find((p) => p.loadedBytes)?.loadedBytes).toBe(400 * 1024 * 1024);
  });

  it('refuses a model whose library is not bundled, without touching web-llm', async () => {
    const fake = fakeModule();
    const engine = createWebLlmEngine({ modelId: MODEL, bundledLibs: new Set(), extensionUrl, loadWebLlm: async () => fake.mod });
    const error = await engine.load(() => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('load-failed');
    expect((error as EngineError).message).toMatch(/GPU library/);
    expect(fake.engines).toHaveLength(0);
  });

  it('uses the remote library only when a development build allows it', async () => {
    const { web } = await loadedEngine({ bundledLibs: new Set(), allowRemoteModelLib: true });
    expect(web.appConfig.model_list[0]?.model_lib).toBe(RECORD.model_lib);
  });

  it('rejects an unknown model id', async () => {
    const fake = fakeModule();
    const engine = createWebLlmEngine({ modelId: 'nope', loadWebLlm: async () => fake.mod });
    await expect(engine.load(() => undefined)).rejects.toMatchObject({ code: 'load-failed' });
  });

  it('maps web-llm load errors', async () => {
    const fake = fakeModule();
    fake.setup.push((e) => e.reloadErrors.push(named('WebGPUNotAvailableError')));
    const engine = createWebLlmEngine({ modelId: MODEL, bundledLibs: new Set([LIB]), extensionUrl, loadWebLlm: async () => fake.mod });
    await expect(engine.load(() => undefined)).rejects.toMatchObject({ code: 'no-webgpu' });
  });

  it('reloads once when the device is lost while loading', async () => {
    const fake = fakeModule();
    fake.setup.push((e) => e.reloadErrors.push(named('DeviceLostError')));
    const engine = createWebLlmEngine({ modelId: MODEL, bundledLibs: new Set([LIB]), extensionUrl, loadWebLlm: async () => fake.mod });
    await engine.load(() => undefined);
    expect(fake.engines[0]!.reloads).toHaveLength(2);

    const twice = fakeModule();
    twice.setup.push((e) => e.reloadErrors.push(named('DeviceLostError'), named('DeviceLostError')));
    const engine2 = createWebLlmEngine({ modelId: MODEL, bundledLibs: new Set([LIB]), extensionUrl, loadWebLlm: async () => twice.mod });
    await expect(engine2.load(() => undefined)).rejects.toMatchObject({ code: 'device-lost' });
    expect(twice.engines[0]!.reloads).toHaveLength(2);
  });

  it('cancels a download when the signal aborts', async () => {
    const fake = fakeModule();
    const controller = new AbortController();
    fake.setup.push((e) => {
      e.onReload = async () => controller.abort();
    });
    const engine = createWebLlmEngine({ modelId: MODEL, bundledLibs: new Set([LIB]), extensionUrl, loadWebLlm: async () => fake.mod });
    await expect(engine.load(() => undefined, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.engines[0]!.unloads).toBe(1);
    await expect(collect(engine.chat(request, new AbortController().signal))).rejects.toMatchObject({ code: 'not-loaded' });
  });

  it('reports the context window of the loaded model or the override', async () => {
    const { engine } = await loadedEngine();
    expect(engine.capabilities()).toEqual({ contextWindow: 4096, structuredOutput: true });
    const { engine: big, web } = await loadedEngine({ contextWindow: 8192 });
    expect(big.capabilities().contextWindow).toBe(8192);
    expect(web.reloads[0]?.opts).toEqual({ context_window_size: 8192 });
  });
});

describe('WebLlmEngine.chat', () => {
  it('streams with usage and a JSON schema, and maps deltas and speeds', async () => {
    const { engine, web } = await loadedEngine();
    web.scripts.push(async function* () {
      yield delta('{"find');
      yield delta('');
      yield delta('ings":[]}');
      yield { choices: [{ delta: {}, finish_reason: 'stop' }] };
      yield usageChunk;
    });
    const schema = { type: 'object', properties: { findings: { type: 'array' } } };
    const chunks = await collect(engine.chat({ ...request, temperature: 0, jsonSchema: schema }, new AbortController().signal));
    expect(web.requests[0]).toEqual({
      messages: [{ role: 'user', content: 'review this' }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 256,
      temperature: 0,
      response_format: { type: 'json_object', schema: JSON.stringify(schema) },
    });
    expect(chunks).toEqual([
      { type: 'delta', text: '{"find' },
      { type: 'delta', text: 'ings":[]}' },
      { type: 'usage', promptTokens: 900, completionTokens: 40, prefillTokensPerSecond: 850.5, decodeTokensPerSecond: 31.2 },
    ]);
  });

  it('switches thinking off for Qwen3 only', async () => {
    const fake = fakeModule();
    const qwen3 = { ...RECORD, model_id: 'Qwen3-1.7B-q4f16_1-MLC' };
    fake.mod.prebuiltAppConfig.model_list.push(qwen3);
    const engine = createWebLlmEngine({ modelId: qwen3.model_id, bundledLibs: new Set([LIB]), extensionUrl, loadWebLlm: async () => fake.mod });
    await engine.load(() => undefined);
    fake.engines[0]!.scripts.push(async function* () {
      yield delta('x');
    });
    await collect(engine.chat(request, new AbortController().signal));
    expect(fake.engines[0]!.requests[0]?.extra_body).toEqual({ enable_thinking: false });

    const { engine: coder, web } = await loadedEngine();
    web.scripts.push(async function* () {
      yield delta('x');
    });
    await collect(coder.chat(request, new AbortController().signal));
    expect(web.requests[0]).not.toHaveProperty('extra_body');
  });

  it('ends quietly on abort, interrupts web-llm and closes its stream', async () => {
    const { engine, web } = await loadedEngine();
    let release!: () => void;
    web.scripts.push(async function* () {
      yield delta('first');
      // A long step (prefill or decode) that web-llm cannot cut short.
      await new Promise<void>((r) => (release = r));
      yield delta('late');
    });
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    const done = (async () => {
      for await (const c of engine.chat(request, controller.signal)) {
        seen.push(c);
        controller.abort();
      }
    })();
    await done;
    expect(seen).toEqual([{ type: 'delta', text: 'first' }]);
    expect(web.interrupted).toBeGreaterThan(0);
    release();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(web.open).toBe(0);
  });

  it('closes web-llm stream when the consumer stops early', async () => {
    const { engine, web } = await loadedEngine();
    web.scripts.push(async function* () {
      yield delta('a');
      yield delta('b');
      yield delta('c');
    });
    for await (const c of engine.chat(request, new AbortController().signal)) {
      expect(c).toEqual({ type: 'delta', text: 'a' });
      break;
    }
    expect(web.open).toBe(0);
  });

  it('reloads once and retries when the device is lost before any text', async () => {
    const { engine, web } = await loadedEngine();
    web.scripts.push(async function* () {
      throw named('DeviceLostError', 'The WebGPU device was lost');
    });
    web.scripts.push(async function* () {
      yield delta('ok');
    });
    const chunks = await collect(engine.chat(request, new AbortController().signal));
    expect(chunks).toEqual([{ type: 'delta', text: 'ok' }]);
    expect(web.reloads).toHaveLength(2);
  });

  it('treats "not loaded" after a silent device loss the same way, but only once in a row', async () => {
    const { engine, web } = await loadedEngine();
    const notLoaded = async function* (): AsyncGenerator<WebLlmChunk> {
      throw named('ModelNotLoadedError', 'Model not loaded before trying to complete ChatCompletionRequest');
    };
    web.scripts.push(notLoaded, notLoaded);
    await expect(collect(engine.chat(request, new AbortController().signal))).rejects.toMatchObject({ code: 'not-loaded' });
    expect(web.reloads).toHaveLength(2);
  });

  it('after text was shown, a lost device is reported but the engine is reloaded for the next call', async () => {
    const { engine, web } = await loadedEngine();
    web.scripts.push(async function* () {
      yield delta('part');
      throw named('DeviceLostError', 'device lost');
    });
    web.scripts.push(async function* () {
      yield delta('next works');
    });
    await expect(collect(engine.chat(request, new AbortController().signal))).rejects.toMatchObject({ code: 'device-lost' });
    expect(web.reloads).toHaveLength(2);
    expect(await collect(engine.chat(request, new AbortController().signal))).toEqual([{ type: 'delta', text: 'next works' }]);
  });

  it('maps a context overflow without reloading', async () => {
    const { engine, web } = await loadedEngine();
    web.scripts.push(async function* () {
      throw named('ContextWindowSizeExceededError', 'Prompt tokens exceed context window size');
    });
    await expect(collect(engine.chat(request, new AbortController().signal))).rejects.toMatchObject({ code: 'context-exceeded' });
    expect(web.reloads).toHaveLength(1);
  });

  it('unload releases web-llm and later chats say not loaded', async () => {
    const { engine, web } = await loadedEngine();
    await engine.unload();
    expect(web.unloads).toBe(1);
    await expect(collect(engine.chat(request, new AbortController().signal))).rejects.toMatchObject({ code: 'not-loaded' });
  });
});

describe('readBundledModelLibs', () => {
  it('reads the index the packaging step writes, and treats a missing one as empty', async () => {
    const ok = (async (url: string) => {
      expect(url).toBe('chrome-extension://id/model-libs/index.json');
      return new Response(JSON.stringify({ files: [LIB] }));
    }) as unknown as typeof fetch;
    expect([...(await readBundledModelLibs(extensionUrl, ok))]).toEqual([LIB]);
    const missing = (async () => new Response('', { status: 404 })) as unknown as typeof fetch;
    expect((await readBundledModelLibs(extensionUrl, missing)).size).toBe(0);
    const broken = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect((await readBundledModelLibs(extensionUrl, broken)).size).toBe(0);
  });
});
