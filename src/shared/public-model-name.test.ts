import { describe, expect, it } from 'vitest';
import { privateSources, publicModelName, scrubSources } from './public-model-name';

describe('publicModelName', () => {
  it('names a model from a URL by its file, without host, folders or query', () => {
    expect(publicModelName('https://models.corp.example/mirror/qwen/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf?token=abc')).toBe('qwen2.5-coder-1.5b-instruct-q4_k_m');
    expect(publicModelName('http://127.0.0.1:8080/tiny%20model.gguf')).toBe('tiny-model');
  });
  it('names a local file by its name only, never its path', () => {
    expect(publicModelName('local:/home/alice/models/secret-project/coder.gguf')).toBe('coder');
    expect(publicModelName('local:C:\\Users\\alice\\coder-7b.gguf')).toBe('coder-7b');
    expect(publicModelName('local:coder.gguf')).toBe('coder');
  });
  it('keeps a catalog id as it is', () => {
    expect(publicModelName('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC')).toBe('Qwen2.5-Coder-1.5B-Instruct-q4f16_1-MLC');
    expect(publicModelName('scripted?delay=20')).toBe('scripted');
  });
});

describe('scrubSources', () => {
  it('removes the model URL, its host and the mirror hosts from text', () => {
    const sources = privateSources({
      modelId: 'https://models.corp.example/m/coder.gguf',
      modelHosts: { webllm: 'https://hf-mirror.internal.example/', wllama: '' },
    });
    const text = 'Download failed from https://models.corp.example/m/coder.gguf (models.corp.example); mirror https://hf-mirror.internal.example/x';
    const out = scrubSources(text, sources);
    expect(out).not.toContain('corp.example');
    expect(out).not.toContain('internal.example');
    expect(out).toContain('Download failed from');
  });
  it('removes a local model path', () => {
    const out = scrubSources('read /home/alice/models/coder.gguf', privateSources({ modelId: 'local:/home/alice/models/coder.gguf' }));
    expect(out).not.toContain('/home/alice');
  });
});
