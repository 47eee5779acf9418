/**
 * Answers the model manager's questions (ModelQuery) in the engine host: which models exist here,
 * which are downloaded, downloads with progress, deleting, storage use, and what the machine can
 * do. Downloads go through the EngineHost's shared load, so a model downloads once per browser
 * and the download a user starts in the options page is the same one a review would wait on.
 */
import type { DownloadStatus, EngineCapabilitiesReport, ModelQuery, ModelQueryResponse, RequestOf, StorageReport } from '../protocol';
import { dispatch, type Handlers } from '../messaging/handlers';
import type { EngineKind } from '../engine/engine';
import { chooseEngine, type MachineFacts } from '../engine/engine-choice';
import { ggufUrlFor, type EngineChoice } from '../engine/engine-factory';
import { GGUF_CATALOG } from '../engine/gguf-catalog';
import { buildModelList, cacheKey, firstRunChoice, unrunnableWebllm, webllmModelsHere } from '../engine/model-list';
import { withMirror, type CatalogModel } from '../engine/webllm-catalog';
import type { Settings } from '../shared/settings';
import type { EngineHost } from './engine-host';
import { failureFrom } from './session-failure';
import { DownloadMeter } from './download-meter';
import type { IncomingFile } from './model-file-import';

export interface ModelServiceDeps {
  host: EngineHost;
  /** checkWebGpu + builtinAvailability + navigator facts. */
  machine: () => Promise<MachineFacts & { crossOriginIsolated: boolean }>;
  webllmCatalog: () => Promise<readonly CatalogModel[]>;
  bundledLibs: () => Promise<ReadonlySet<string>>;
  cache: {
    ggufBytes(url: string): Promise<number | null>;
    localBytes(modelId: string): Promise<number | null>;
    webllmBytes(modelBaseUrl: string): Promise<number | null>;
    deleteGguf(url: string): Promise<number>;
    deleteLocal(modelId: string): Promise<number>;
    deleteWebllm(modelBaseUrl: string): Promise<number | null>;
  };
  storage: () => Promise<StorageReport>;
  /** A model file picked in an extension page: how it reaches the host, and where it is stored. */
  files: {
    receive(importId: string): Promise<IncomingFile>;
    /** Writes the file; returns its `local:` model id. */
    save(file: Blob, name: string, onProgress: (written: number) => void): Promise<string>;
  };
  now?: () => number;
  /** False where the build leaves the GPU engine out (Firefox). */
  webllmInBuild?: boolean;
}

type Answer<K extends ModelQuery['kind']> = ModelQueryResponse[K];

export class ModelService {
  private readonly downloads = new Map<string, { status: DownloadStatus; abort: AbortController }>();
  /** A download a review started (not the model manager): measured as it is asked about. */
  private reviewLoad: { key: string; meter: DownloadMeter } | null = null;

  constructor(private readonly deps: ModelServiceDeps) {}

  /** One handler per kind. Every answer is a plain object; failures are answers too, never thrown across the message boundary. */
  private readonly handlers: Handlers<ModelQuery['kind']> = {
    'models/list': (query) => this.list(query.settings),
    'models/download': (query) => this.download(query.engine, query.modelId, query.settings),
    'models/cancel-download': (query) => {
      this.downloads.get(cacheKey(query.engine, query.modelId))?.abort.abort();
      return { ok: true };
    },
    'models/downloads': () => ({ ok: true, downloads: this.allDownloads() }),
    'models/delete': (query) => this.remove(query.engine, query.modelId, query.settings),
    'models/storage': async () => ({ ok: true, storage: await this.deps.storage() }),
    'models/import-file': (query) => this.importFile(query.importId, query.name, query.size),
    'engine/capabilities': async () => ({ ok: true, capabilities: (await this.facts()).capabilities }),
    'engine/unload': async () => {
      await this.deps.host.unloadNow();
      return { ok: true };
    },
  };

  /** Answers one query with its own kind's reply. */
  handle<K extends ModelQuery['kind']>(query: RequestOf<K>): Promise<Answer<K>> {
    return dispatch(this.handlers, query);
  }

  private async facts(): Promise<{ capabilities: EngineCapabilitiesReport; machine: MachineFacts; catalog: readonly CatalogModel[]; bundled: ReadonlySet<string> }> {
    const [machine, bundled] = await Promise.all([this.deps.machine(), this.deps.bundledLibs()]);
    const catalog = machine.webgpu.available ? await this.deps.webllmCatalog().catch(() => []) : [];
    const { webgpu } = machine;
    const capabilities: EngineCapabilitiesReport = {
      webgpu: webgpu.available
        ? {
            available: true,
            fallbackAdapter: webgpu.fallbackAdapter,
            shaderF16: webgpu.shaderF16,
            vendor: webgpu.vendor,
            architecture: webgpu.architecture,
            maxBufferSize: webgpu.maxBufferSize,
            maxStorageBufferBindingSize: webgpu.maxStorageBufferBindingSize,
          }
        : { available: false, reason: webgpu.reason },
      builtin: machine.builtin,
      crossOriginIsolated: machine.crossOriginIsolated,
      cores: machine.cores ?? null,
      bundledModelLibs: bundled.size,
      engines: [
        this.deps.webllmInBuild === false
          ? { engine: 'webllm', available: false, reason: 'The GPU engine is not part of this build (Firefox): use the CPU engine.' }
          : webgpu.available
          ? { engine: 'webllm', available: true, ...(webgpu.fallbackAdapter ? { reason: 'Only a software GPU adapter: far too slow for models.' } : {}) }
          : { engine: 'webllm', available: false, reason: `WebGPU is unavailable: ${webgpu.reason} Use the CPU engine instead.` },
        { engine: 'wllama', available: true },
        machine.builtin === 'unavailable'
          ? { engine: 'builtin', available: false, reason: "This browser has no built-in model." }
          : { engine: 'builtin', available: true },
      ],
    };
    return { capabilities, machine, catalog, bundled };
  }

  private async list(settings: Settings): Promise<Answer<'models/list'>> {
    try {
      const { capabilities, machine, catalog, bundled } = await this.facts();
      const recommendation = chooseEngine({
        ...machine,
        webllmCatalog: catalog,
        bundledLibs: bundled,
        cpuModels: GGUF_CATALOG.filter((m) => !m.gpu),
        ggufCatalog: GGUF_CATALOG,
        ...(this.deps.webllmInBuild === false ? { webllmInBuild: false } : {}),
      });
      const cachedBytes = new Map<string, number>();
      const note = (engine: EngineKind, id: string, bytes: number | null) => {
        if (bytes !== null) cachedBytes.set(cacheKey(engine, id), bytes);
      };
      await Promise.all([
        ...webllmModelsHere(catalog, capabilities).map(async (m) =>
          note('webllm', m.id, await this.deps.cache.webllmBytes(withMirror(m.record, settings.modelHosts.webllm).model)),
        ),
        ...GGUF_CATALOG.map(async (m) => {
          const url = ggufUrlFor(m.id, settings.modelHosts.wllama);
          if (url.ok) note('wllama', m.id, await this.deps.cache.ggufBytes(url.url));
        }),
        (async () => {
          if (settings.engine !== 'wllama' || !settings.modelId) return;
          note('wllama', settings.modelId, await this.wllamaBytes(settings.modelId, settings.modelHosts.wllama));
        })(),
      ]);
      const models = buildModelList({
        capabilities,
        webllmCatalog: catalog,
        bundledLibs: bundled,
        ...(machine.deviceMemoryGB !== undefined ? { deviceMemoryGB: machine.deviceMemoryGB } : {}),
        cachedBytes,
        current: { engine: settings.engine, modelId: settings.modelId },
        recommendation,
      });
      const unrunnable = unrunnableWebllm(catalog, capabilities, bundled);
      return { ok: true, models, choice: firstRunChoice(recommendation), capabilities, ...(unrunnable ? { unrunnable } : {}) };
    } catch (error) {
      return { ok: false, message: `The model list could not be read: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private async wllamaBytes(modelId: string, mirror: string): Promise<number | null> {
    if (modelId.startsWith('local:')) return this.deps.cache.localBytes(modelId);
    const url = ggufUrlFor(modelId, mirror);
    return url.ok ? this.deps.cache.ggufBytes(url.url) : null;
  }

  /**
   * One download state for the whole extension: the model manager's downloads, plus the one a
   * review is waiting on (a review started in a tab loads through the same EngineHost).
   */
  private allDownloads(): DownloadStatus[] {
    const list = [...this.downloads.values()].map((d) => d.status);
    const loading = this.deps.host.loading();
    const bytes = loading?.progress.loadedBytes;
    if (!loading || bytes === undefined || !loading.progress.totalBytes || bytes >= loading.progress.totalBytes) {
      this.reviewLoad = null;
      return list;
    }
    const { kind: engine, modelId } = loading.choice;
    const key = cacheKey(engine, modelId);
    if (this.downloads.get(key)?.status.state === 'downloading') return list;
    if (this.reviewLoad?.key !== key) this.reviewLoad = { key, meter: new DownloadMeter(this.deps.now) };
    const rate = this.reviewLoad.meter.sample(loading.progress);
    return [...list.filter((d) => cacheKey(d.engine, d.modelId) !== key), { engine, modelId, state: 'downloading', ...rate, totalBytes: rate.totalBytes ?? loading.progress.totalBytes }];
  }

  private download(engine: EngineKind, modelId: string, settings: Settings): Answer<'models/download'> {
    const key = cacheKey(engine, modelId);
    const running = this.downloads.get(key);
    if (running?.status.state === 'downloading') return { ok: true, status: running.status };
    const choice: EngineChoice = {
      kind: engine,
      modelId,
      modelHost: engine === 'webllm' || engine === 'wllama' ? settings.modelHosts[engine] : '',
    };
    const abort = new AbortController();
    const meter = new DownloadMeter(this.deps.now);
    const status: DownloadStatus = { engine, modelId, state: 'downloading', loadedBytes: 0, totalBytes: null, bytesPerSecond: null, etaSeconds: null };
    const entry = { abort, status };
    this.downloads.set(key, entry);
    void this.deps.host
      .prepare(
        choice,
        (progress) => {
          // Reports without byte counts ("Loading the model", "Model ready") keep the last figures.
          if (progress.loadedBytes === undefined) return;
          const rate = meter.sample(progress);
          entry.status = { ...entry.status, ...rate, totalBytes: rate.totalBytes ?? entry.status.totalBytes };
        },
        abort.signal,
        settings.idleUnloadMinutes,
      )
      .then(
        () => {
          entry.status = { ...entry.status, state: 'done', etaSeconds: 0, ...(entry.status.totalBytes ? { loadedBytes: entry.status.totalBytes } : {}) };
        },
        (error: unknown) => {
          entry.status = abort.signal.aborted
            ? { ...entry.status, state: 'cancelled' }
            : { ...entry.status, state: 'failed', failure: failureFrom(error) };
        },
      );
    return { ok: true, status: entry.status };
  }

  /** Stores a picked model file; the answer names it (`local:<name>`) or says why it could not. */
  private async importFile(importId: string, name: string, size: number): Promise<Answer<'models/import-file'>> {
    let incoming: IncomingFile | null = null;
    try {
      incoming = await this.deps.files.receive(importId);
      if (incoming.file.size !== size) return { ok: false, message: `The file arrived with ${incoming.file.size} bytes instead of ${size}.` };
      const modelId = await this.deps.files.save(incoming.file, name, incoming.progress);
      return { ok: true, modelId };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    } finally {
      incoming?.done();
    }
  }

  private async remove(engine: EngineKind, modelId: string, settings: Settings): Promise<Answer<'models/delete'>> {
    try {
      this.downloads.get(cacheKey(engine, modelId))?.abort.abort();
      this.downloads.delete(cacheKey(engine, modelId));
      await this.deps.host.unloadIf((c) => c.kind === engine && c.modelId === modelId);
      if (engine === 'wllama') {
        if (modelId.startsWith('local:')) return { ok: true, freedBytes: await this.deps.cache.deleteLocal(modelId) };
        const url = ggufUrlFor(modelId, settings.modelHosts.wllama);
        if (!url.ok) return { ok: false, message: url.reason };
        return { ok: true, freedBytes: await this.deps.cache.deleteGguf(url.url) };
      }
      if (engine === 'webllm') {
        const catalog = await this.deps.webllmCatalog();
        const model = catalog.find((m) => m.id === modelId);
        if (!model) return { ok: false, message: `Unknown GPU model "${modelId}".` };
        return { ok: true, freedBytes: await this.deps.cache.deleteWebllm(withMirror(model.record, settings.modelHosts.webllm).model) };
      }
      return { ok: false, message: 'This model is managed by the browser and cannot be deleted here.' };
    } catch (error) {
      return { ok: false, message: `The model could not be deleted: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
