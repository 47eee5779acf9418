/**
 * A model file picked in an extension page reaches the engine host's storage through the host
 * (`models/import-file` plus the file over a real BroadcastChannel), with progress on the page.
 * The page side is the real client of the options page; only the write into OPFS, which Node lacks,
 * is replaced (see model-service.test.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import { ModelService, type ModelServiceDeps } from './model-service';
import { EngineHost } from './engine-host';
import { receiveModelFile, type FileChannel } from './model-file-import';
import { importModelFile } from '../ui/model-manager/model-file-client';
import type { AskHost } from '../ui/model-manager/host-client';
import { MODEL_FILE_CHANNEL } from '../protocol';

// The real client is replaced below by one that asks the service directly (no extension here).
vi.mock('webextension-polyfill', () => ({ default: {} }));

function service(waitMs = 5_000) {
  const stored = new Map<string, string>();
  const files: ModelServiceDeps['files'] = {
    receive: (importId) => receiveModelFile(importId, new BroadcastChannel(MODEL_FILE_CHANNEL), waitMs),
    save: async (file, name, onProgress) => {
      let text = '';
      for (let at = 0; at < file.size; at += 4) {
        text += await file.slice(at, at + 4).text();
        onProgress(Math.min(file.size, at + 4));
        // A real write of a 64 MB slice takes a while; progress is posted meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      stored.set(name, text);
      return `local:${name}`;
    },
  };
  // Only `files` is used by models/import-file; the rest of the host is not reached.
  const unused = () => Promise.reject(new Error('not used'));
  const models = new ModelService({
    host: new EngineHost({ createEngine: unused, post: () => undefined, calibrate: false, setTimer: () => 0, clearTimer: () => undefined }),
    machine: unused,
    webllmCatalog: unused,
    bundledLibs: unused,
    cache: { ggufBytes: unused, localBytes: unused, webllmBytes: unused, deleteGguf: unused, deleteLocal: unused, deleteWebllm: unused },
    storage: unused,
    files,
  });
  const ask: AskHost = (query) => models.handle(query);
  return { ask, stored };
}

describe('a model file picked in a page', () => {
  it('is stored by the engine host under its own name, with progress shown on the page', async () => {
    const { ask, stored } = service();
    const progress: number[] = [];
    const answer = await importModelFile(new File(['GGUF and then the weights'], 'my model.gguf'), (n) => progress.push(n), ask);
    expect(answer).toEqual({ ok: true, modelId: 'local:my model.gguf' });
    expect(stored.get('my model.gguf')).toBe('GGUF and then the weights');
    await vi.waitFor(() => expect(progress.at(-1)).toBe(25));
    expect(progress.length).toBeGreaterThan(1);
  });

  it('fails with a sentence when the page never sends the file (closed meanwhile)', async () => {
    const { ask, stored } = service(100);
    const answer = await ask({ kind: 'models/import-file', importId: 'gone', name: 'a.gguf', size: 10 });
    expect(answer).toMatchObject({ ok: false, message: expect.stringMatching(/did not send it.*Pick the file again/) });
    expect(stored.size).toBe(0);
  });

  it('@adversarial refuses a file whose size is not the one announced, and ignores malformed channel messages', async () => {
    const { ask, stored } = service();
    const intruder = new BroadcastChannel(MODEL_FILE_CHANNEL);
    intruder.onmessage = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (typeof data !== 'object' || data === null || !('kind' in data) || data.kind !== 'model-file/want') return;
      // A message of the right kind with a string for a file is ignored; then the wrong size.
      intruder.postMessage({ kind: 'model-file/data', importId: 'x', file: 'not a file' });
      setTimeout(() => intruder.postMessage({ kind: 'model-file/data', importId: 'x', file: new File(['abc'], 'b.gguf') }), 10);
    };
    const answer = await ask({ kind: 'models/import-file', importId: 'x', name: 'b.gguf', size: 10 });
    intruder.close();
    expect(answer).toEqual({ ok: false, message: 'The file arrived with 3 bytes instead of 10.' });
    expect(stored.size).toBe(0);
  });

  it('the page stops listening once the host has answered', async () => {
    const posted: unknown[] = [];
    let listener: ((event: MessageEvent) => void) | null = null;
    const channel: FileChannel = {
      postMessage: (m) => posted.push(m),
      addEventListener: (_type, l) => (listener = l),
      removeEventListener: (_type, l) => {
        if (listener === l) listener = null;
      },
      close: vi.fn(),
    };
    // The host never hears from this channel, so it gives up waiting for the file.
    const { ask } = service(50);
    const answer = await importModelFile(new File(['x'], 'c.gguf'), () => undefined, ask, channel);
    expect(answer).toMatchObject({ ok: false });
    expect(posted).toEqual([]);
    expect(listener).toBeNull();
    expect(channel.close).toHaveBeenCalled();
  });
});
