import { describe, expect, it } from 'vitest';
import { DEFAULT_GGUF_MODEL_ID, GGUF_CATALOG, findGgufModel, ggufModelUrl, normaliseHost, resolveGgufModel } from './gguf-catalog';

const model = GGUF_CATALOG[0]!;

describe('gguf catalog', () => {
  it('lists q8_0 CPU models and GPU-sized Qwen2.5-Coder 1.5B/3B/7B, with unique ids and a default that exists', () => {
    const ids = GGUF_CATALOG.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(GGUF_CATALOG.every((m) => m.file.toLowerCase().endsWith(`${m.quantization.toLowerCase()}.gguf`))).toBe(true);
    expect(GGUF_CATALOG.filter((m) => m.gpu).map((m) => m.parameters)).toEqual(['1.54B', '3.09B', '7.62B']);
    expect(GGUF_CATALOG.filter((m) => !m.gpu).every((m) => m.quantization === 'q8_0')).toBe(true);
    expect(findGgufModel(DEFAULT_GGUF_MODEL_ID)).not.toBeNull();
    expect(GGUF_CATALOG.every((m) => m.defaultContext <= m.trainedContext)).toBe(true);
  });

  it('builds Hugging Face resolve URLs by default', () => {
    const r = ggufModelUrl(model);
    expect(r).toEqual({ ok: true, model, url: `https://huggingface.co/${model.repo}/resolve/main/${model.file}` });
  });

  it('puts a mirror in place of the host and keeps the repository layout', () => {
    const r = ggufModelUrl(model, '  https://mirror.example.org/hf/  ');
    expect(r.ok && r.url).toBe(`https://mirror.example.org/hf/${model.repo}/resolve/main/${model.file}`);
    const local = ggufModelUrl(model, 'http://127.0.0.1:8080');
    expect(local.ok && local.url).toBe(`http://127.0.0.1:8080/${model.repo}/resolve/main/${model.file}`);
  });

  it('treats a blank mirror as the default host', () => {
    expect(ggufModelUrl(model, '   ')).toEqual(ggufModelUrl(model));
  });

  it('rejects mirrors that are not plain http(s) bases, with a reason', () => {
    for (const bad of ['ftp://x.org', 'not a url', 'javascript:alert(1)', 'https://x.org/?a=1', 'https://u:p@x.org']) {
      const r = ggufModelUrl(model, bad);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(/mirror/);
    }
    expect(normaliseHost('https://x.org///')).toBe('https://x.org');
  });

  it('resolves ids, the default, and custom .gguf URLs', () => {
    expect(resolveGgufModel(null)).toEqual(ggufModelUrl(findGgufModel(DEFAULT_GGUF_MODEL_ID)!));
    expect(resolveGgufModel(model.id, 'https://m.example')).toEqual(ggufModelUrl(model, 'https://m.example'));
    const custom = resolveGgufModel('https://example.org/models/My%20Model.Q8_0.gguf', 'https://ignored.example');
    expect(custom).toEqual({ ok: true, model: null, url: 'https://example.org/models/My%20Model.Q8_0.gguf' });
  });

  it('explains why a custom model id cannot be used', () => {
    expect(resolveGgufModel('gpt-5')).toMatchObject({ ok: false, reason: expect.stringMatching(/neither/) });
    expect(resolveGgufModel('file:///home/me/m.gguf')).toMatchObject({ ok: false, reason: expect.stringMatching(/https/) });
    expect(resolveGgufModel('https://example.org/model.bin')).toMatchObject({ ok: false, reason: expect.stringMatching(/\.gguf/) });
  });
});
