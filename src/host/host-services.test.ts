import { describe, expect, it } from 'vitest';
import { smallerModel } from './host-services';
import { GGUF_CATALOG } from '../engine/gguf-catalog';
import { buildCatalog } from '../engine/webllm-catalog';

const lib = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_80/x.wasm';
const gpuCatalog = buildCatalog(
  ['Qwen2.5-Coder-7B-Instruct-q4f16_1-MLC', 'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC', 'Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC', 'Qwen2.5-Coder-0.5B-Instruct-q4f16_1-MLC'].map(
    (id) => ({ model: `https://huggingface.co/mlc-ai/${id}`, model_id: id, model_lib: lib }),
  ),
);

describe('smallerModel (offered when a review would take long)', () => {
  it('suggests the next smaller CPU catalog model, and nothing below the smallest', () => {
    const big = GGUF_CATALOG.find((m) => m.id.includes('1.5b'))!;
    const small = GGUF_CATALOG.find((m) => m.id.includes('0.5b'))!;
    expect(smallerModel({ kind: 'wllama', modelId: big.id, modelHost: '' })).toEqual({ id: small.id, label: small.label });
    expect(smallerModel({ kind: 'wllama', modelId: small.id, modelHost: '' })).toBeUndefined();
    expect(smallerModel({ kind: 'wllama', modelId: 'https://example.org/x.gguf', modelHost: '' })).toBeUndefined();
  });

  it('suggests the next smaller GPU model in the same weight format, so it runs on the same GPU', () => {
    expect(smallerModel({ kind: 'webllm', modelId: 'Qwen2.5-Coder-7B-Instruct-q4f16_1-MLC', modelHost: '' }, gpuCatalog)?.id).toBe(
      'Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC',
    );
    expect(smallerModel({ kind: 'webllm', modelId: 'Qwen2.5-Coder-1.5B-Instruct-q4f32_1-MLC', modelHost: '' }, gpuCatalog)).toBeUndefined();
  });
});
