/**
 * The llama.cpp engine's GPU decisions, with a stand-in for wllama's wasm instance (the real one
 * needs a browser; e2e/real-gpu.spec.ts runs it on WebGPU for real). The stand-in logs what
 * llama.cpp logs ("offloaded N/M layers to GPU", "Device lost") and fails the way wllama fails.
 */
import { describe, expect, it } from 'vitest';
import { WllamaRuntimeError, type Wllama } from '@wllama/wllama';
import { EngineError, type ChatChunk } from './engine';
import { WllamaEngine } from './wllama-engine';
import type { GpuProbe } from './wllama-gpu';

const GiB = 1024 ** 3;
const probe = (f16: boolean): GpuProbe => ({
  f16,
  limits: { maxBufferSize: GiB, maxStorageBufferBindingSize: GiB },
  adapter: { vendor: 'test', architecture: 'test', isFallbackAdapter: false },
});

interface Script {
  /** Per load: throw this instead of loading (GPU loads only). */
  failGpuLoad?: boolean;
  /** Chat calls (counted over all instances) that lose the device before any token... */
  loseBeforeAnswer?: number[];
  /** ...or after the first token. */
  loseMidAnswer?: number[];
}

function fakeWllama(script: Script) {
  const loads: Array<{ nGpuLayers: number; cacheTypeK?: string }> = [];
  let calls = 0;
  const create = (_paths: unknown, config: { logger?: { debug(...a: unknown[]): void; error(...a: unknown[]): void } } | undefined) => {
    const logger = config!.logger!;
    const instance = {
      setCompat() {},
      async loadModelFromUrl(_url: string, params: { n_gpu_layers: number; cache_type_k?: string }) {
        loads.push({ nGpuLayers: params.n_gpu_layers, ...(params.cache_type_k ? { cacheTypeK: params.cache_type_k } : {}) });
        if (script.failGpuLoad && params.n_gpu_layers > 0) throw new WllamaRuntimeError('(ABORT) ', '');
        logger.debug(`load_tensors: offloaded ${params.n_gpu_layers > 0 ? 3 : 0}/3 layers to GPU`);
      },
      getLoadedContextInfo: () => ({ n_ctx: 4096, n_layer: 2 }),
      async createChatCompletion() {
        const call = ++calls;
        const lose = () => {
          logger.error('ggml_webgpu: Device lost! Reason: 1, Message: the GPU process went away');
          return new WllamaRuntimeError('(ABORT) ', '');
        };
        return (async function* () {
          if (script.loseBeforeAnswer?.includes(call)) throw lose();
          yield { choices: [{ delta: { content: 'The' } }] };
          if (script.loseMidAnswer?.includes(call)) throw lose();
          yield { choices: [{ delta: { content: ' end' } }] };
        })();
      },
      async exit() {},
    };
    return instance as unknown as Wllama;
  };
  return { create, loads, calls: () => calls };
}

function engine(script: Script, gpu: GpuProbe | null, extra: { f16ShimAvailable?: boolean } = {}) {
  const fake = fakeWllama(script);
  const e = new WllamaEngine({ modelUrl: 'http://127.0.0.1/m.gguf', probeGpu: async () => gpu, createWllama: fake.create, ...extra });
  return { e, fake };
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<string> {
  let text = '';
  for await (const c of stream) if (c.type === 'delta') text += c.text;
  return text;
}

const ask = (e: WllamaEngine) => collect(e.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 8 }, new AbortController().signal));

describe('WllamaEngine on the GPU', () => {
  it('offloads every layer on a GPU with shader-f16 and reports what llama.cpp logged', async () => {
    const { e, fake } = engine({}, probe(true));
    await e.load(() => {});
    expect(fake.loads).toEqual([{ nGpuLayers: 999 }]);
    expect(e.placement()).toEqual({ device: 'gpu', layersOffloaded: 3, layersTotal: 3, label: 'GPU · llama.cpp' });
  });

  it('stays on the CPU and says why without shader-f16 (no silent fallback)', async () => {
    const { e, fake } = engine({}, probe(false));
    await e.load(() => {});
    expect(fake.loads).toEqual([{ nGpuLayers: 0 }]);
    expect(e.placement()).toMatchObject({ device: 'cpu', label: 'CPU', reason: expect.stringMatching(/shader-f16/) });
  });

  it('loads with the f32 KV cache when the test-only shim stands in for f16', async () => {
    const { e, fake } = engine({}, probe(false), { f16ShimAvailable: true });
    await e.load(() => {});
    expect(fake.loads).toEqual([{ nGpuLayers: 999, cacheTypeK: 'f32' }]);
    expect(e.placement()?.device).toBe('gpu');
  });

  it('loads on the CPU, and says so, when the model cannot be loaded on the GPU', async () => {
    const { e, fake } = engine({ failGpuLoad: true }, probe(true));
    await e.load(() => {});
    expect(fake.loads.map((l) => l.nGpuLayers)).toEqual([999, 0]);
    expect(e.placement()).toMatchObject({ device: 'cpu', reason: expect.stringMatching(/could not be loaded on the GPU/) });
  });

  it('reloads once and runs the request again when the GPU device is lost before anything streamed', async () => {
    const { e, fake } = engine({ loseBeforeAnswer: [1] }, probe(true));
    await e.load(() => {});
    expect(await ask(e)).toBe('The end');
    expect(fake.loads.map((l) => l.nGpuLayers)).toEqual([999, 999]);
    expect(fake.calls()).toBe(2);
    expect(e.placement()?.device).toBe('gpu');
  });

  it('reloads, and says the answer was cut, when the device is lost mid-answer', async () => {
    const { e, fake } = engine({ loseMidAnswer: [1] }, probe(true));
    await e.load(() => {});
    // "The" streamed before the loss, so the request is not silently repeated: a clear error, a reloaded model.
    const err = await ask(e).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('device-lost');
    expect((err as EngineError).nextStep).toMatch(/Retry/);
    expect(fake.loads.map((l) => l.nGpuLayers)).toEqual([999, 999]);
    expect(e.placement()?.device).toBe('gpu');
    // The reloaded model answers the next request.
    expect(await ask(e)).toBe('The end');
  });

  it('offers the CPU when the device is lost again right after the reload', async () => {
    const { e, fake } = engine({ loseBeforeAnswer: [1, 2] }, probe(true));
    await e.load(() => {});
    let text = '';
    const err = await (async () => {
      for await (const c of e.chat({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 8 }, new AbortController().signal)) if (c.type === 'delta') text += c.text;
    })().catch((x: unknown) => x);
    expect((err as EngineError).code).toBe('device-lost');
    expect((err as EngineError).message).toMatch(/twice/);
    expect((err as EngineError).nextStep).toMatch(/CPU/);
    expect(fake.loads.map((l) => l.nGpuLayers)).toEqual([999, 999, 0]);
    expect(e.placement()).toMatchObject({ device: 'cpu', label: 'CPU', reason: expect.stringMatching(/lost twice/) });
    expect(await ask(e)).toBe('The end');
    expect(text).toBe('');
  });
});
