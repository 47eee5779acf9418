/**
 * Creates the engine the settings ask for. Each adapter is imported lazily so only the engine in
 * use is loaded (web-llm alone is 6 MB), and the scripted test engine exists only in the e2e
 * build (`__E2E__`). Runs in the engine host (offscreen document / Firefox background page).
 */
import { EngineError, type Engine, type EngineKind } from './engine';
import { resolveGgufModel, findGgufModel, type GgufModel } from './gguf-catalog';
import { checkGgufFit, ggufPlace, gpuPathAllowed, type GgufFit } from './gguf-fit';
import { estimateVramBudgetMB, ggufGpuBudgetMB } from './engine-choice';
import { isLocalModelId, openLocalModel } from './model-cache';
// Small and without a library behind it (it talks to the browser's own API): no lazy chunk.
import { createBuiltinEngine } from './builtin-engine';
import { checkWebGpu } from './webgpu-check';
import { localServerBase } from './local-server-url';
import { preflightWebGpu } from './webgpu-preflight';
import { fieldOf } from '../shared/guards';

/** False in the Firefox build, which leaves web-llm out (see vite.config.ts). */
declare const __WEBLLM__: boolean;
export const WEBLLM_IN_BUILD: boolean = typeof __WEBLLM__ === 'undefined' ? true : __WEBLLM__;
// The checks below spell the define out (not WEBLLM_IN_BUILD) so the bundler can drop the
// web-llm chunk from the Firefox build; `typeof` keeps them working where it is not defined (tests).

export interface EngineChoice {
  kind: EngineKind;
  modelId: string;
  /** Mirror base URL for model downloads ('' = the default host). */
  modelHost: string;
}

/** `chrome.runtime.getURL` where it exists (the offscreen document, Firefox's `chrome` alias). */
export function extensionUrl(path: string): string {
  // `typeof` first: unit tests run where there is no `chrome` at all.
  const runtime = typeof chrome === 'undefined' ? undefined : chrome.runtime;
  return typeof runtime?.getURL === 'function' ? runtime.getURL(path) : `/${path}`;
}

let bundledLibs: Promise<ReadonlySet<string>> | null = null;

/** The web-llm model libraries shipped in this build (read once from model-libs/index.json). */
export function bundledModelLibs(): Promise<ReadonlySet<string>> {
  if (typeof __WEBLLM__ !== 'undefined' && !__WEBLLM__) return Promise.resolve(new Set());
  bundledLibs ??= import('./webllm-engine').then((m) => m.readBundledModelLibs(extensionUrl));
  return bundledLibs;
}

/** The URL the CPU engine downloads for a settings model id, or a reason it cannot. */
export function ggufUrlFor(modelId: string, mirror: string): { ok: true; url: string } | { ok: false; reason: string } {
  const resolved = resolveGgufModel(modelId, mirror);
  return resolved.ok ? { ok: true, url: resolved.url } : resolved;
}

export async function createEngine(choice: EngineChoice): Promise<Engine> {
  switch (choice.kind) {
    case 'wllama': {
      const { WllamaEngine } = await import('./wllama-engine');
      if (isLocalModelId(choice.modelId)) {
        const file = await openLocalModel(choice.modelId);
        if (!file) {
          throw new EngineError('load-failed', 'The model file picked earlier is no longer stored in this browser.', 'Pick the file again in the options.');
        }
        return new WllamaEngine({ modelId: choice.modelId, files: [file] });
      }
      const resolved = ggufUrlFor(choice.modelId, choice.modelHost);
      if (!resolved.ok) throw new EngineError('load-failed', resolved.reason, 'Pick a model from the list or enter a .gguf URL in the options.');
      const known = findGgufModel(choice.modelId);
      // Catalog models: refuse before any download when this adapter (or wllama) cannot take the
      // model, and size the context window to the memory (8k–32k where it fits).
      const fit = known ? await ggufFitHere(known) : null;
      if (fit && !fit.ok) throw new EngineError(fit.limit === 'adapter' ? 'out-of-memory' : 'load-failed', fit.reason, fit.nextStep);
      // e2e build only: switches in the URL fragment, joined by "+" (e.g. #greedy+f16-shim).
      const switches = new Set(__E2E__ ? (/#([\w+-]+)$/.exec(resolved.url)?.[1]?.split('+') ?? []) : []);
      const testMode = switches.has('greedy-unconstrained') ? 'greedy-unconstrained' : switches.has('greedy') ? 'greedy' : undefined;
      // #greedy+max8: at most 8 generated tokens per call (a software GPU decodes about one a second).
      const maxTokens = Number([...switches].find((s) => /^max\d+$/.test(s))?.slice(3)) || undefined;
      const engine = new WllamaEngine({
        modelId: choice.modelId,
        // wllama insists that the URL itself ends in ".gguf".
        modelUrl: resolved.url.replace(/#.*$/, ''),
        ...(fit?.ok ? { nCtx: fit.nCtx } : {}),
        // #f16-shim lets the test-only shim stand in for shader-f16 (SwiftShader in CI lacks it).
        ...(switches.has('f16-shim') ? { f16ShimAvailable: true } : {}),
      });
      // e2e build only: a model URL ending in #greedy decodes greedily, so a test can compare runs
      // of the real engine token for token (sampling would differ between them);
      // #greedy-unconstrained also switches JSON-schema decoding off, so the model writes freely.
      if (testMode) return greedy(engine, testMode === 'greedy-unconstrained', maxTokens);
      return engine;
    }
    case 'webllm': {
      if (typeof __WEBLLM__ !== 'undefined' && !__WEBLLM__) {
        throw new EngineError('unavailable', 'The GPU engine is not part of the Firefox build.', 'Pick the CPU engine in the options.');
      }
      const { createWebLlmEngine, loadWebLlmCatalog } = await import('./webllm-engine');
      const engine = createWebLlmEngine({
        modelId: choice.modelId,
        modelHost: choice.modelHost,
        bundledLibs: await bundledModelLibs(),
        extensionUrl,
      });
      return withGpuPreflight(engine, async () => preflightWebGpu(choice.modelId, await checkWebGpu(), await loadWebLlmCatalog()));
    }
    case 'builtin':
      return createBuiltinEngine();
    case 'localserver': {
      // Only this machine's addresses, checked again here: the settings are untrusted storage.
      const base = localServerBase(choice.modelHost);
      if (!base.ok) throw new EngineError('load-failed', base.reason, 'Set the local server address in the options.');
      const { OpenAiEngine } = await import('./openai-engine');
      return new OpenAiEngine({ baseUrl: base.url, model: choice.modelId, kind: 'localserver' });
    }
    case 'native':
      throw new EngineError('unavailable', 'Native llama.cpp runs only in the evaluation command (npm run eval).', 'Pick an engine in the options.');
    case 'scripted':
      if (__E2E__) {
        const { createScriptedEngine } = await import('./scripted-engine');
        return createScriptedEngine(choice.modelId);
      }
      throw new EngineError('unavailable', 'The test engine is not part of this build.', 'Pick a model in the options.');
  }
}

/** The fit check with this browser's facts (adapter, memory, whether wllama may use WebGPU here). */
async function ggufFitHere(model: GgufModel): Promise<GgufFit> {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  // Chromium-only and not in the DOM types: read as unknown and checked.
  const memory = fieldOf(nav, 'deviceMemory');
  const deviceMemory = typeof memory === 'number' ? memory : undefined;
  const webgpu = await checkWebGpu();
  const jspi = typeof fieldOf(WebAssembly, 'Suspending') === 'function';
  const gpuAllowed = gpuPathAllowed(nav?.userAgent ?? '', jspi);
  const onGpu = ggufPlace({ webgpu, memoryBudgetMB: 0, gpuAllowed }) === 'gpu';
  const memoryBudgetMB = onGpu ? ggufGpuBudgetMB(deviceMemory) : estimateVramBudgetMB(deviceMemory);
  return checkGgufFit(model, { webgpu, memoryBudgetMB, gpuAllowed });
}

function greedy(engine: Engine, unconstrained: boolean, maxTokens?: number): Engine {
  return {
    kind: engine.kind,
    modelId: engine.modelId,
    load: (onProgress, signal) => engine.load(onProgress, signal),
    capabilities: () => ({ ...engine.capabilities(), ...(unconstrained ? { structuredOutput: false } : {}) }),
    placement: () => engine.placement?.(),
    chat: (request, signal) => engine.chat({ ...request, temperature: 0, ...(maxTokens ? { maxTokens: Math.min(request.maxTokens, maxTokens) } : {}) }, signal),
    unload: () => engine.unload(),
  };
}

/** Checks the GPU (WebGPU, shader-f16, buffer limits) before the adapter downloads anything. */
function withGpuPreflight(engine: Engine, check: () => Promise<EngineError | null>): Engine {
  return {
    kind: engine.kind,
    modelId: engine.modelId,
    async load(onProgress, signal) {
      const problem = await check();
      if (problem) throw problem;
      return engine.load(onProgress, signal);
    },
    capabilities: () => engine.capabilities(),
    chat: (request, signal) => engine.chat(request, signal),
    unload: () => engine.unload(),
  };
}
