import { describe, expect, it, vi } from 'vitest';
import { ModelService, type ModelServiceDeps } from './model-service';
import { EngineHost } from './engine-host';
import { EngineError, type Engine, type LoadProgress } from '../engine/engine';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { GGUF_CATALOG } from '../engine/gguf-catalog';

/** An engine whose load reports download progress and then succeeds, fails, or waits for abort. */
function engine(modelId: string, behaviour: 'ok' | 'fail' | 'hang'): Engine {
  return {
    kind: 'wllama',
    modelId,
    async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal) {
      onProgress({ fraction: 0.5, loadedBytes: 500, totalBytes: 1000, text: 'Downloading the model' });
      if (behaviour === 'fail') throw new EngineError('download-failed', 'The model could not be downloaded.', 'Try again.');
      if (behaviour === 'hang') {
        await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError'))));
      }
      onProgress({ fraction: 1, loadedBytes: 1000, totalBytes: 1000, text: 'Model ready' });
    },
    capabilities: () => ({ contextWindow: 4096, structuredOutput: true }),
    async *chat() {},
    unload: vi.fn(async () => undefined),
  };
}

function service(behaviours: Array<'ok' | 'fail' | 'hang'>) {
  let n = 0;
  const host = new EngineHost({ createEngine: async (c) => engine(c.modelId, behaviours[n++] ?? 'ok'), post: () => undefined, calibrate: false, setTimer: () => 0, clearTimer: () => undefined });
  const cached = new Map<string, number>();
  const deps: ModelServiceDeps = {
    host,
    machine: async () => ({ webgpu: { available: false, reason: 'No adapter.' }, builtin: 'unavailable', cores: 2, crossOriginIsolated: true }),
    webllmCatalog: async () => [],
    bundledLibs: async () => new Set(),
    cache: {
      ggufBytes: async (url) => cached.get(url) ?? null,
      localBytes: async () => null,
      webllmBytes: async () => null,
      deleteGguf: async (url) => {
        const bytes = cached.get(url) ?? 0;
        cached.delete(url);
        return bytes;
      },
      deleteLocal: async () => 0,
      deleteWebllm: async () => null,
    },
    storage: async () => ({ usageBytes: 10, quotaBytes: 100, persisted: true }),
    // Picked model files: model-file-import.test.ts.
    files: { receive: () => Promise.reject(new Error('no file')), save: () => Promise.reject(new Error('no file')) },
  };
  return { models: new ModelService(deps), host, cached };
}

const settings = { ...DEFAULT_SETTINGS, modelHosts: { webllm: '', wllama: 'http://127.0.0.1:8000/hf' } };
const model = GGUF_CATALOG[0]!.id;

async function settle(models: ModelService) {
  await vi.waitFor(async () => {
    const r = await models.handle({ kind: 'models/downloads' });
    if ('downloads' in r && r.downloads.some((d) => d.state === 'downloading')) throw new Error('still downloading');
  });
  const r = await models.handle({ kind: 'models/downloads' });
  return 'downloads' in r ? r.downloads[0]! : null;
}

describe('ModelService', () => {
  it('lists the CPU models with the first-run choice explained when there is no WebGPU', async () => {
    const { models } = service([]);
    const list = await models.handle({ kind: 'models/list', settings });
    expect(list).toMatchObject({ ok: true, choice: { engine: 'wllama', modelId: model } });
    if (!('models' in list)) throw new Error('no list');
    expect(list.choice.sentence).toMatch(/No WebGPU here/);
    expect(list.capabilities.engines.find((e) => e.engine === 'webllm')).toMatchObject({ available: false });
  });

  it('a failed download says what to do, and a retry through the same button succeeds', async () => {
    const { models, host } = service(['fail', 'ok']);
    await models.handle({ kind: 'models/download', engine: 'wllama', modelId: model, settings });
    const failed = await settle(models);
    expect(failed).toMatchObject({ state: 'failed', failure: { code: 'download-failed', nextStep: 'Try again.' } });
    await models.handle({ kind: 'models/download', engine: 'wllama', modelId: model, settings });
    const done = await settle(models);
    expect(done).toMatchObject({ state: 'done', loadedBytes: 1000, totalBytes: 1000 });
    // The mirror setting reached the engine choice, and the engine is warm.
    expect(host.warmChoice()).toEqual({ kind: 'wllama', modelId: model, modelHost: 'http://127.0.0.1:8000/hf' });
  });

  it('Cancel stops a running download and leaves no engine behind', async () => {
    const { models, host } = service(['hang']);
    await models.handle({ kind: 'models/download', engine: 'wllama', modelId: model, settings });
    await vi.waitFor(() => expect(host.status().engine).not.toBeNull());
    await models.handle({ kind: 'models/cancel-download', engine: 'wllama', modelId: model });
    expect(await settle(models)).toMatchObject({ state: 'cancelled', loadedBytes: 500, totalBytes: 1000 });
    expect(host.status().engine).toBeNull();
  });

  it('Delete removes the file from the mirror URL it was downloaded from, and reports storage', async () => {
    const { models, cached } = service([]);
    const url = `http://127.0.0.1:8000/hf/${GGUF_CATALOG[0]!.repo}/resolve/main/${GGUF_CATALOG[0]!.file}`;
    cached.set(url, 777);
    const before = await models.handle({ kind: 'models/list', settings });
    expect('models' in before && before.models.find((m) => m.id === model)).toMatchObject({ cached: true, sizeBytes: 777 });
    expect(await models.handle({ kind: 'models/delete', engine: 'wllama', modelId: model, settings })).toEqual({ ok: true, freedBytes: 777 });
    expect(cached.size).toBe(0);
    expect(await models.handle({ kind: 'models/storage' })).toEqual({ ok: true, storage: { usageBytes: 10, quotaBytes: 100, persisted: true } });
  });
});

describe('one download state', () => {
  it('a download a review started in a tab shows among the downloads the options page asks for', async () => {
    const { models, host } = service(['hang']);
    host.handle({ kind: 'session/start', session: 'tab-1', request: { diff: { ref: { owner: 'o', repo: 'r', number: 1 }, files: [], missing: [] } as never, settings: { ...settings, engine: 'wllama', modelId: model } } });
    await vi.waitFor(async () => {
      const r = await models.handle({ kind: 'models/downloads' });
      expect('downloads' in r && r.downloads).toEqual([expect.objectContaining({ engine: 'wllama', modelId: model, state: 'downloading', loadedBytes: 500, totalBytes: 1000 })]);
    });
    host.handle({ kind: 'session/cancel', session: 'tab-1' });
    await vi.waitFor(async () => {
      const r = await models.handle({ kind: 'models/downloads' });
      expect('downloads' in r && r.downloads).toEqual([]);
    });
  });
});
