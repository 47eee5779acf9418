/**
 * `npm run bench -- --only=onnx`: onnxruntime-web (its wasm build: SIMD, threads) in headless
 * Chromium on a cross-origin-isolated page, on a decoder of the Qwen2.5-0.5B shape with random
 * int8 weights (DynamicQuantizeMatMul) and, with --onnx-weights=int8,int4, 4-bit ones
 * (MatMulNBits) (scripts/bench/onnx-decoder.ts), next to the CPU engine (wllama in the extension's
 * engine host) and native llama.cpp on the same shape in q8_0 (the engine's format) and, when
 * int4 is measured, q4_0 — the GGUF format with the same arithmetic as the 4-bit ONNX weights
 * (blocks of 32, value = scale·(q − 8)). For each thread count and prompt length the runtimes are measured back to back, so
 * the machine's load weighs on all of them alike.
 *
 * Rows: `{runtime, model, threads, promptTokens, prefillTokS, decodeTokS}` as the cpu rows;
 * onnx rows also have `ratio: {prefill, decode}` = onnx ÷ wllama, int8 against q8_0 and int4 against q4_0.
 *
 * Flags: --threads=1,2 --lengths=200,2000 --max-tokens=32 --onnx-only (no llama.cpp rows)
 *        --onnx-weights=int8,int4 (int4 decodes one token per several seconds in the wasm build,
 *        so its rows decode at most 4 tokens)
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildBenchPage, repoImport } from './bench-page';
import { startModelServer } from '../../e2e/support/model-server';
import { QWEN2_5_0_5B_SHAPE } from '../../e2e/support/tiny-gguf';
import { ensureModel } from './cpu-engine';
import { bigModel, calibrateWords, formatTable, measurePair, ratioOf, round, type BenchModel, type SideBySideRow } from './cpu-vs-native';
import { buildDecoder, type DecoderShape } from './onnx-decoder';
import type { OnnxRun } from './onnx-measure';
import { ExtensionHost } from './extension-host';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ORT_DIST = join(repo, 'node_modules/onnxruntime-web/dist');
const ORT_FILES = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];

export const ONNX_SHAPE: DecoderShape = {
  nEmbd: QWEN2_5_0_5B_SHAPE.nEmbd,
  nLayer: QWEN2_5_0_5B_SHAPE.nLayer,
  nHead: QWEN2_5_0_5B_SHAPE.nHead,
  nHeadKv: QWEN2_5_0_5B_SHAPE.nHeadKv,
  nFf: QWEN2_5_0_5B_SHAPE.nFf,
  vocab: QWEN2_5_0_5B_SHAPE.vocab,
  maxSeq: QWEN2_5_0_5B_SHAPE.nCtx,
};

/** The page: onnxruntime-web from its own dist files (so it finds its wasm beside it) and the measuring code. */
function buildOnnxPage(outDir: string): Promise<void> {
  return buildBenchPage(outDir, {
    title: 'onnx bench',
    main: `import { measureOnnxDecoder } from '${repoImport('scripts/bench/onnx-measure.ts')}';
Object.assign(window, { benchOnnx: async (modelUrl: string, threads: number, shape: any, lengths: number[], maxTokens: number) => {
  const ort: any = await import(/* @vite-ignore */ new URL('../ort/ort.wasm.min.mjs', location.href).href);
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(modelUrl, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const loadMs = performance.now() - t0;
  try {
    await measureOnnxDecoder(ort.Tensor, session, shape, { promptTokens: 16, maxTokens: 2 });
    const runs = [];
    for (const promptTokens of lengths) runs.push(await measureOnnxDecoder(ort.Tensor, session, shape, { promptTokens, maxTokens }));
    return { loadMs, crossOriginIsolated, runs };
  } finally {
    await session.release();
  }
} });
`,
  });
}

/** Writes the ONNX model once into the cache folder (about 450 MB in int4, 630 MB in int8, for the Qwen shape). */
export function ensureOnnxModel(path: string, shape: DecoderShape, weights: OnnxWeights): number {
  if (existsSync(path)) return statSync(path).size;
  const t0 = performance.now();
  const bytes = buildDecoder(shape, { weights, accuracyLevel: 4 });
  writeFileSync(path, bytes);
  console.error(`wrote ${path} (${bytes.length} bytes) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return bytes.length;
}

interface OnnxPage {
  /** Loads model `index` of those the page serves on a fresh page with `threads` threads and measures each prompt length. */
  run(index: number, threads: number, lengths: number[], maxTokens: number): Promise<{ loadMs: number; crossOriginIsolated: boolean; runs: OnnxRun[] }>;
  close(): Promise<void>;
  chromiumVersion: string;
}

async function startOnnxPage(modelPaths: string[]): Promise<OnnxPage> {
  const site = mkdtempSync(join(tmpdir(), 'onnx-bench-site-'));
  await buildOnnxPage(join(site, 'page'));
  mkdirSync(join(site, 'ort'));
  for (const f of ORT_FILES) copyFileSync(join(ORT_DIST, f), join(site, 'ort', f));
  mkdirSync(join(site, 'models'));
  modelPaths.forEach((path, i) => symlinkSync(path, join(site, 'models', `decoder-${i}.onnx`)));
  const server = await startModelServer({ root: site, crossOriginIsolated: true });
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const runShape = { nLayer: ONNX_SHAPE.nLayer, nHeadKv: ONNX_SHAPE.nHeadKv, headDim: ONNX_SHAPE.nEmbd / ONNX_SHAPE.nHead, vocab: ONNX_SHAPE.vocab };
  return {
    chromiumVersion: browser.version(),
    async run(index, threads, lengths, maxTokens) {
      // A fresh page per thread count: onnxruntime-web fixes its thread pool at the first session.
      const page = await browser.newPage();
      try {
        await page.goto(server.url + 'page/index.html');
        await page.waitForFunction(() => 'benchOnnx' in window);
        return await page.evaluate(
          ([url, t, shape, ls, max]) => Reflect.get(window, 'benchOnnx')(url, t, shape, ls, max),
          [`${server.url}models/decoder-${index}.onnx`, threads, runShape, lengths, maxTokens] as const,
        );
      } finally {
        await page.close();
      }
    },
    async close() {
      await browser.close();
      await server.close();
      rmSync(site, { recursive: true, force: true });
    },
  };
}


export type OnnxWeights = 'int8' | 'int4';

/** The model file of a weight format, written once into `dir`. */
function onnxModel(dir: string, weights: OnnxWeights): { path: string; name: string; bytes: number } {
  const path = join(dir, `qwen2.5-0.5b-shape-${weights}.onnx`);
  const bytes = ensureOnnxModel(path, ONNX_SHAPE, weights);
  const name = weights === 'int8' ? 'Qwen2.5-0.5B shape, int8 DynamicQuantizeMatMul' : 'Qwen2.5-0.5B shape, int4 MatMulNBits (accuracy 4)';
  return { path, name, bytes };
}

export async function benchOnnx(opts: { threads?: number[]; lengths?: number[]; maxTokens?: number; llama?: boolean; weights?: OnnxWeights[] } = {}): Promise<Record<string, unknown>> {
  const threads = opts.threads ?? Array.from({ length: availableParallelism() }, (_, i) => i + 1);
  const lengths = opts.lengths ?? [200, 2000];
  const maxTokens = opts.maxTokens ?? 32;
  const dir = join(tmpdir(), 'local-pr-review-bench-models');
  mkdirSync(dir, { recursive: true });
  const models = (opts.weights ?? ['int8']).map((w) => ({ weights: w, ...onnxModel(dir, w) }));
  const llamaModels: BenchModel[] = [];
  // The GGUF peers of the ONNX formats measured: q4_0 for int4, q8_0 (the engine's format) always.
  if ((opts.llama ?? true) && models.some((m) => m.weights === 'int4')) {
    const q4 = join(dir, 'qwen2.5-0.5b-shape-q4_0.gguf');
    await ensureModel(q4, { ...QWEN2_5_0_5B_SHAPE, type: 'q4_0' });
    llamaModels.push({ name: 'Qwen2.5-0.5B shape, q4_0', path: q4 });
  }
  if (opts.llama ?? true) llamaModels.push(await bigModel(true));
  // Prompt sizes in the GGUF's own tokens, as the side-by-side benchmark does; the ONNX side gets the same counts.
  let words: number[] = [];
  if (llamaModels.length) {
    words = await calibrateWords(llamaModels[0]!.path, lengths);
  }
  const page = await startOnnxPage(models.map((m) => m.path));
  const host = llamaModels.length ? await ExtensionHost.start() : null;
  const rows: SideBySideRow[] = [];
  const loads: { model: string; threads: number; loadMs: number; crossOriginIsolated: boolean }[] = [];
  try {
    for (const t of threads) {
      for (const [i, length] of lengths.entries()) {
        const pairs: SideBySideRow[] = [];
        for (const model of llamaModels) pairs.push(...(await measurePair(host!, model, { threads: t, words: words[i]!, maxTokens, nCtx: 4096 })));
        const onnxRows: SideBySideRow[] = [];
        for (const [m, model] of models.entries()) {
          const o = await page.run(m, t, [pairs[0]?.promptTokens || length], model.weights === 'int4' ? Math.min(4, maxTokens) : maxTokens);
          loads.push({ model: model.name, threads: t, loadMs: Math.round(o.loadMs), crossOriginIsolated: o.crossOriginIsolated });
          const run = o.runs[0]!;
          // int8 against wllama's q8_0, int4 against its q4_0: the GGUF format of the same width.
          const peer = pairs.find((r) => r.runtime === 'wasm' && r.model.endsWith(model.weights === 'int8' ? 'q8_0' : 'q4_0'));
          onnxRows.push({
            runtime: 'onnx',
            model: model.name,
            threads: o.crossOriginIsolated ? t : 1,
            promptTokens: run.promptTokens,
            prefillTokS: round(run.prefillTokS),
            decodeTokS: round(run.decodeTokS),
            ...(peer ? { ratio: { prefill: ratioOf(run.prefillTokS, peer.prefillTokS), decode: ratioOf(run.decodeTokS, peer.decodeTokS) } } : {}),
          });
        }
        rows.push(...onnxRows, ...pairs);
        console.error(formatTable([...onnxRows, ...pairs]));
      }
    }
  } finally {
    await page.close();
    await host?.close();
  }
  console.error(`\n${formatTable(rows)}`);
  const onnxModelBytes = Object.fromEntries(models.map((m) => [m.name, m.bytes]));
  return { date: new Date().toISOString(), chromium: page.chromiumVersion, hardwareConcurrency: availableParallelism(), loadAverage: loadavg(), onnxModelBytes, maxTokens, loads, rows };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]?.split(',').map(Number);
  const weights = process.argv.find((a) => a.startsWith('--onnx-weights='))?.split('=')[1]?.split(',').filter((w): w is OnnxWeights => w === 'int8' || w === 'int4');
  const out = await benchOnnx({
    ...(arg('threads') ? { threads: arg('threads') } : {}),
    ...(arg('lengths') ? { lengths: arg('lengths') } : {}),
    ...(arg('max-tokens') ? { maxTokens: arg('max-tokens')![0] } : {}),
    ...(weights?.length ? { weights } : {}),
    llama: !process.argv.includes('--onnx-only'),
  });
  console.log(JSON.stringify(out, null, 2));
}
