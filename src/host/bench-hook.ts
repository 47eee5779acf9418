/**
 * e2e build only (`__E2E__`): lets `npm run bench` measure the CPU engine inside the built
 * extension's engine host, where reviews really run (cross-origin isolated offscreen document,
 * the wasm bundled in the package). The production build has no such message.
 */
import type { BenchCpuEngineRequest, BenchCpuEngineResponse } from '../protocol';

export async function runCpuBench(request: BenchCpuEngineRequest): Promise<BenchCpuEngineResponse> {
  try {
    const [{ WllamaEngine }, { measureCpuEngine }] = await Promise.all([import('../engine/wllama-engine'), import('../engine/wllama-bench')]);
    const engine = new WllamaEngine({
      modelUrl: request.modelUrl,
      ...(request.nThreads !== undefined ? { nThreads: request.nThreads } : {}),
      ...(request.nCtx !== undefined ? { nCtx: request.nCtx } : {}),
      ...(request.tuning ? { tuning: request.tuning } : {}),
      // The bench measures the CPU; a GPU offload would not compare with native on the CPU.
      gpu: 'off',
    });
    try {
      return { ok: true, result: await measureCpuEngine(engine, request.bench) };
    } finally {
      await engine.unload();
    }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
