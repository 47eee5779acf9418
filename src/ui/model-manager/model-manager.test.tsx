import { describe, expect, it, vi } from 'vitest';
import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { ModelManager } from './model-manager';
import type { DownloadStatus, ModelEntry, ModelQuery } from '../../protocol';
import type { AskHost } from './host-client';
import { DEFAULT_SETTINGS } from '../../shared/settings';

// The real client is replaced by `askHost` below; the polyfill only loads inside an extension.
vi.mock('webextension-polyfill', () => ({ default: {} }));

const entry = (id: string, extra: Partial<ModelEntry> = {}): ModelEntry => ({
  engine: 'wllama',
  id,
  label: `Model ${id}`,
  sizeBytes: 676_000_000,
  vramMB: null,
  contextWindow: 4096,
  fits: null,
  cached: false,
  recommended: false,
  code: true,
  runnable: true,
  ...extra,
});

/** A fake engine host: one model downloads in steps as it is polled. */
function fakeHost() {
  const calls: ModelQuery[] = [];
  let download: DownloadStatus | null = null;
  let cached = false;
  const ask = (async (q: ModelQuery) => {
    calls.push(q);
    switch (q.kind) {
      case 'models/list':
        return {
          ok: true,
          models: [entry('small', { recommended: true, cached }), entry('big', { sizeBytes: 1_890_000_000 })],
          choice: { engine: 'wllama', modelId: 'small', label: 'Small on the CPU', sentence: 'No WebGPU here: the CPU engine runs a small model.', alternatives: [] },
          capabilities: { webgpu: { available: false, reason: 'No adapter.' }, builtin: 'unavailable', crossOriginIsolated: true, cores: 2, bundledModelLibs: 0, engines: [] },
        };
      case 'models/storage':
        return { ok: true, storage: { usageBytes: 1_234_000_000, quotaBytes: 50_000_000_000, persisted: true } };
      case 'models/download':
        download = { engine: 'wllama', modelId: q.modelId, state: 'downloading', loadedBytes: 0, totalBytes: 676_000_000, bytesPerSecond: null, etaSeconds: null };
        return { ok: true, status: download };
      case 'models/downloads':
        // Half-way at the first poll after the start; done once the test says so.
        if (download?.state === 'downloading' && download.loadedBytes === 0) {
          download = { ...download, loadedBytes: 338_000_000, bytesPerSecond: 20_000_000, etaSeconds: 17 };
        }
        return { ok: true, downloads: download ? [download] : [] };
      default:
        return { ok: true };
    }
  }) as AskHost;
  const finish = () => {
    if (download) download = { ...download, state: 'done', loadedBytes: 676_000_000, etaSeconds: 0 };
    cached = true;
  };
  return { ask, calls, finish };
}

async function settle(ms = 20) {
  await act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
}

/** Lets effects and polls run until `check` holds (or fails after a second). */
async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) await settle(10);
  expect(check()).toBe(true);
}

describe('ModelManager', () => {
  it('lists models with size and download state, downloads with a progress bar, then shows the model as downloaded', async () => {
    const { document, window } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
    vi.stubGlobal('document', document);
    vi.stubGlobal('window', window);
    const root = document.getElementById('root')!;
    const host = fakeHost();
    const onChange = vi.fn();
    await act(() => render(<ModelManager settings={{ ...DEFAULT_SETTINGS }} onChange={onChange} askHost={host.ask} pollMs={5} />, root as unknown as Element));
    await settle();

    expect(root.querySelector('[data-testid="first-run-sentence"]')?.textContent).toContain('No WebGPU here');
    expect(root.querySelector('[data-testid="webgpu-unavailable"]')).not.toBeNull();
    const rows = [...root.querySelectorAll('[data-testid="model-row"]')];
    expect(rows.map((r) => r.getAttribute('data-model-id'))).toEqual(['small', 'big']);
    expect(rows[0]!.querySelector('[data-testid="model-facts"]')?.textContent).toContain('676 MB');
    expect(rows[0]!.getAttribute('data-cached')).toBe('false');
    expect(root.querySelector('[data-testid="storage-used"]')?.textContent).toContain('1.23 GB of 50.00 GB');

    await act(() => (rows[0]!.querySelector('[data-testid="model-download"]') as unknown as HTMLElement).click());
    const downloadText = () => root.querySelector('[data-testid="download-text"]')?.textContent ?? '';
    await until(() => downloadText().includes('338 MB'));
    const text = downloadText();
    expect(text).toContain('338 MB of 676 MB');
    expect(text).toContain('20.0 MB/s');
    expect(text).toContain('17 s left');
    expect(root.querySelector('[data-testid="download-progress"]')).not.toBeNull();
    host.finish();
    await until(() => root.querySelector('[data-model-id="small"]')?.getAttribute('data-cached') === 'true');
    const small = root.querySelector('[data-model-id="small"]')!;
    expect(small.getAttribute('data-cached')).toBe('true');
    expect(small.querySelector('[data-testid="model-delete"]')).not.toBeNull();
    expect(host.calls.some((c) => c.kind === 'models/download' && c.modelId === 'small')).toBe(true);

    // Choosing the recommended model saves it as the settings' engine and model.
    await act(() => (root.querySelector('[data-testid="use-recommended"]') as unknown as HTMLElement).click());
    expect(onChange).toHaveBeenCalledWith({ engine: 'wllama', modelId: 'small' });
    vi.unstubAllGlobals();
  });

  it('asks the host nothing while nothing runs, and looks again when the page is shown or focused', async () => {
    const { document, window } = parseHTML('<!doctype html><html><body><div id="root"></div></body></html>');
    vi.stubGlobal('document', document);
    vi.stubGlobal('window', window);
    const root = document.getElementById('root')!;
    const host = fakeHost();
    await act(() => render(<ModelManager settings={{ ...DEFAULT_SETTINGS }} onChange={vi.fn()} askHost={host.ask} pollMs={5} />, root as unknown as Element));
    await until(() => root.querySelector('[data-testid="model-row"]') !== null);
    const asked = () => host.calls.length;
    const before = asked();
    // Longer than the 2 s idle poll the page once had, with nothing running: not one question (an
    // idle options tab must not keep Firefox's event page awake).
    await settle(2_200);
    expect(asked()).toBe(before);

    await act(() => void window.dispatchEvent(new window.Event('focus')));
    await until(() => host.calls.filter((c) => c.kind === 'models/list').length === 2);
    await act(() => void document.dispatchEvent(new window.Event('visibilitychange')));
    await until(() => host.calls.filter((c) => c.kind === 'models/list').length === 3);

    // A download runs: followed live, then nothing once it is done and the list is refreshed.
    await act(() => (root.querySelector('[data-testid="model-download"]') as unknown as HTMLElement).click());
    await until(() => (root.querySelector('[data-testid="download-text"]')?.textContent ?? '').includes('338 MB'));
    host.finish();
    await until(() => root.querySelector('[data-model-id="small"]')?.getAttribute('data-cached') === 'true');
    const settled = asked();
    await settle(200);
    expect(asked()).toBe(settled);
    await act(() => render(null, root as unknown as Element));
    await settle();
    vi.unstubAllGlobals();
  });
});
