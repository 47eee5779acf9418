/**
 * What this browser's WebGPU can do, asked once before choosing an engine or a model.
 * Never throws: every failure becomes `{available: false, reason}` with a sentence for people.
 *
 * Typed structurally (not with @webgpu/types) so it runs against any navigator-like object,
 * which is also how the tests double it.
 */

export type WebGpuCheck =
  | { available: false; reason: string }
  | {
      available: true;
      /** A software adapter (e.g. SwiftShader on the CPU): correct but far too slow for models. */
      fallbackAdapter: boolean;
      /** 16-bit float shaders; without them only q4f32 models run. */
      shaderF16: boolean;
      maxBufferSize: number;
      maxStorageBufferBindingSize: number;
      vendor: string;
      architecture: string;
    };

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  isFallbackAdapter?: boolean;
}

interface AdapterLike {
  features?: { has(name: string): boolean };
  limits?: { maxBufferSize?: number; maxStorageBufferBindingSize?: number };
  info?: AdapterInfoLike;
  /** Older Chrome (before adapter.info). */
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
  /** Deprecated location of the flag, still present in some versions. */
  isFallbackAdapter?: boolean;
}

export interface NavigatorLike {
  gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null> };
}

const ADAPTER_TIMEOUT_MS = 5000;

export async function checkWebGpu(
  nav: NavigatorLike | undefined = typeof navigator === 'undefined' ? undefined : navigator,
  timeoutMs = ADAPTER_TIMEOUT_MS,
): Promise<WebGpuCheck> {
  try {
    const gpu = nav?.gpu;
    if (!gpu || typeof gpu.requestAdapter !== 'function') {
      return { available: false, reason: 'This browser does not offer WebGPU here.' };
    }
    const adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), timeoutMs);
    if (adapter === 'timeout') {
      return { available: false, reason: 'The browser did not answer the request for a GPU adapter.' };
    }
    if (!adapter) {
      return {
        available: false,
        reason: 'WebGPU is turned off or no GPU adapter is available (blocked driver, or disabled on this system).',
      };
    }
    let info: AdapterInfoLike = adapter.info ?? {};
    if (!adapter.info && typeof adapter.requestAdapterInfo === 'function') {
      info = (await adapter.requestAdapterInfo().catch(() => ({}))) ?? {};
    }
    const limits = adapter.limits ?? {};
    return {
      available: true,
      fallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
      shaderF16: Boolean(adapter.features?.has('shader-f16')),
      maxBufferSize: numberOr(limits.maxBufferSize, 0),
      maxStorageBufferBindingSize: numberOr(limits.maxStorageBufferBindingSize, 0),
      vendor: typeof info.vendor === 'string' ? info.vendor : '',
      architecture: typeof info.architecture === 'string' ? info.architecture : '',
    };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { available: false, reason: `Asking for a GPU adapter failed: ${detail}` };
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
