import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCompleteDownload, localModelName, wllamaCacheKey } from './model-cache';

describe('model cache helpers', () => {
  it('names cache files the way wllama does: sha1 of the URL, then the file name', async () => {
    const url = 'https://example.org/models/m.gguf';
    expect(await wllamaCacheKey(url)).toBe(`${createHash('sha1').update(url).digest('hex')}_m.gguf`);
    expect(await wllamaCacheKey('https://example.org/m.gguf')).not.toBe(await wllamaCacheKey('https://mirror.example/m.gguf'));
  });

  it('counts a download as complete only with metadata for this URL and the full size', () => {
    const url = 'https://example.org/m.gguf';
    expect(isCompleteDownload(1000, { originalURL: url, originalSize: 1000 }, url)).toBe(true);
    expect(isCompleteDownload(400, { originalURL: url, originalSize: 1000 }, url)).toBe(false); // broken mid-way
    expect(isCompleteDownload(1000, null, url)).toBe(false); // metadata is written last
    expect(isCompleteDownload(1000, { originalURL: 'https://other/m.gguf', originalSize: 1000 }, url)).toBe(false);
    expect(isCompleteDownload(null, { originalURL: url, originalSize: 1000 }, url)).toBe(false);
  });

  it('stores picked files under a safe name', () => {
    expect(localModelName('C:\\models\\My Model (q8).gguf')).toBe('My_Model_q8_.gguf');
    expect(localModelName('../../etc/passwd')).toBe('passwd');
    expect(localModelName('...')).toBe('model.gguf');
  });
});
