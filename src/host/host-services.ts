/**
 * Builds the engine host and its model service from the real browser APIs. Shared by the Chrome
 * offscreen document and Firefox's background page, so both hosts behave the same.
 */
import { EngineHost, type PostToSession } from './engine-host';
import { ModelService } from './model-service';
import { localSpeedStore } from './speed-store';
import { bundledModelLibs, createEngine, WEBLLM_IN_BUILD, type EngineChoice } from '../engine/engine-factory';
import { checkWebGpu } from '../engine/webgpu-check';
import { builtinAvailability } from '../engine/builtin-engine';
import { browserFacts } from '../engine/browser-facts';
import { GGUF_CATALOG } from '../engine/gguf-catalog';
import {
  cachedGgufBytes,
  deleteCachedGguf,
  deleteLocalModel,
  deleteWebllmModel,
  openLocalModel,
  saveLocalModel,
  webllmCachedBytes,
} from '../engine/model-cache';
import { receiveModelFile } from './model-file-import';
import type { CatalogModel } from '../engine/webllm-catalog';
import { MODEL_FILE_CHANNEL, type StorageReport } from '../protocol';
import { fieldOf } from '../shared/guards';

/** A smaller catalog model of the same engine, to offer when a review would take long. */
export function smallerModel(choice: EngineChoice, webllmCatalog: readonly CatalogModel[] = []): { id: string; label: string } | undefined {
  if (choice.kind === 'webllm') {
    const current = webllmCatalog.find((m) => m.id === choice.modelId);
    if (!current?.paramsB) return undefined;
    // Same weight format (so it runs on this GPU), fewer parameters; code models first.
    const smaller = webllmCatalog
      .filter((m) => m.quantization === current.quantization && m.paramsB !== null && m.paramsB < current.paramsB! && (m.code || !current.code))
      .sort((a, b) => (b.paramsB ?? 0) - (a.paramsB ?? 0))[0];
    return smaller ? { id: smaller.id, label: `${smaller.label} (${smaller.quantization})` } : undefined;
  }
  if (choice.kind !== 'wllama') return undefined;
  const current = GGUF_CATALOG.find((m) => m.id === choice.modelId);
  if (!current) return undefined;
  const smaller = GGUF_CATALOG.filter((m) => m.approxBytes < current.approxBytes).sort((a, b) => b.approxBytes - a.approxBytes)[0];
  return smaller ? { id: smaller.id, label: smaller.label } : undefined;
}

/** See engine-factory.ts: false in the Firefox build. */
declare const __WEBLLM__: boolean;

let catalog: Promise<readonly CatalogModel[]> | null = null;
/** The catalog once loaded, for synchronous look-ups (the smaller-model suggestion). */
let loadedCatalog: readonly CatalogModel[] = [];

async function storageReport(): Promise<StorageReport> {
  try {
    const estimate = await navigator.storage.estimate();
    const persisted = typeof navigator.storage.persisted === 'function' ? await navigator.storage.persisted() : null;
    return { usageBytes: estimate.usage ?? null, quotaBytes: estimate.quota ?? null, persisted };
  } catch {
    return { usageBytes: null, quotaBytes: null, persisted: null };
  }
}

function webllmCatalog(): Promise<readonly CatalogModel[]> {
  if (typeof __WEBLLM__ !== 'undefined' && !__WEBLLM__) return Promise.resolve([]);
  catalog ??= import('../engine/webllm-engine').then((m) => m.loadWebLlmCatalog());
  catalog.then(
    (c) => (loadedCatalog = c),
    () => (catalog = null),
  );
  return catalog;
}

export function createHostServices(post: PostToSession): { host: EngineHost; models: ModelService } {
  const host = new EngineHost({
    createEngine: (choice) => {
      // Read the GPU catalog alongside, so a slow review can suggest a smaller GPU model.
      if (choice.kind === 'webllm') void webllmCatalog().catch(() => undefined);
      return createEngine(choice);
    },
    post,
    speeds: localSpeedStore(),
    smallerModel: (c) => smallerModel(c, loadedCatalog),
  });
  const models = new ModelService({
    host,
    machine: async () => {
      const nav = navigator;
      // Chromium-only, and not in the DOM types.
      const deviceMemory = fieldOf(nav, 'deviceMemory');
      const [webgpu, builtin] = await Promise.all([checkWebGpu(), builtinAvailability()]);
      return {
        webgpu,
        builtin,
        ...(typeof deviceMemory === 'number' ? { deviceMemoryGB: deviceMemory } : {}),
        ...(typeof nav.hardwareConcurrency === 'number' ? { cores: nav.hardwareConcurrency } : {}),
        browser: browserFacts(nav.userAgent),
        crossOriginIsolated: typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated,
      };
    },
    webllmCatalog,
    bundledLibs: bundledModelLibs,
    cache: {
      ggufBytes: cachedGgufBytes,
      localBytes: async (id) => (await openLocalModel(id))?.size ?? null,
      webllmBytes: webllmCachedBytes,
      deleteGguf: deleteCachedGguf,
      deleteLocal: deleteLocalModel,
      deleteWebllm: deleteWebllmModel,
    },
    storage: storageReport,
    files: {
      // One channel per import, so a finished import's listeners go with it.
      receive: (importId) => receiveModelFile(importId, new BroadcastChannel(MODEL_FILE_CHANNEL)),
      save: (file, name, onProgress) => saveLocalModel(new File([file], name), onProgress),
    },
    webllmInBuild: WEBLLM_IN_BUILD,
  });
  return { host, models };
}
