/**
 * The model manager of the options page: every model each engine offers here with its size,
 * whether it is downloaded, and whether it fits; downloads with a real progress bar (bytes of
 * total, speed, time left), Cancel, Retry after a broken download, Delete; storage used; a custom
 * model URL or a model file from disk for the CPU engine; mirror hosts per engine; the idle time
 * after which a loaded model is unloaded.
 *
 * Everything about models is answered by the engine host (askHost), which owns the caches.
 * Settings changes go out through `onChange`, which the options page saves.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DownloadStatus, EngineCapabilitiesReport, FirstRunChoice, ModelEntry, StorageReport } from '../../protocol';
import type { Settings } from '../../shared/settings';
import type { EngineKind } from '../../engine/engine';
import { saveLocalModel } from '../../engine/model-cache';
import { askHost as realAskHost, type AskHost } from './host-client';
import { downloadLine, entryKey, ENGINE_TITLES } from './model-format';
import { formatBytes } from '../../shared/format';

export interface ModelManagerProps {
  settings: Settings;
  /** Saves a settings change (engine and model, mirrors, idle minutes). */
  onChange: (patch: Partial<Settings>) => void | Promise<void>;
  /** Injected in tests; defaults to the runtime-message client. */
  askHost?: AskHost;
  /** How often to refresh running downloads, ms. */
  pollMs?: number;
  /** How often to look for downloads started elsewhere (a review in a tab) while none runs. */
  idlePollMs?: number;
}

interface Listing {
  models: ModelEntry[];
  choice: FirstRunChoice;
  capabilities: EngineCapabilitiesReport;
  unrunnable?: { count: number; reason: string };
}

export function ModelManager(props: ModelManagerProps) {
  const ask = props.askHost ?? realAskHost;
  const { settings } = props;
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState('');
  const [downloads, setDownloads] = useState<Map<string, DownloadStatus>>(new Map());
  const [storage, setStorage] = useState<StorageReport | null>(null);
  const [customUrl, setCustomUrl] = useState('');
  const [fileNote, setFileNote] = useState('');
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  async function refresh(): Promise<void> {
    try {
      const [list, store, running] = await Promise.all([
        ask({ kind: 'models/list', settings: settingsRef.current }),
        ask({ kind: 'models/storage' }),
        ask({ kind: 'models/downloads' }),
      ]);
      if (list.ok) {
        setListing({ models: list.models, choice: list.choice, capabilities: list.capabilities, ...(list.unrunnable ? { unrunnable: list.unrunnable } : {}) });
        setError('');
      } else setError(list.message);
      setStorage(store.storage);
      setDownloads(new Map(running.downloads.map((d) => [entryKey(d), d])));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  useEffect(() => {
    void refresh();
  }, [settings.engine, settings.modelId, settings.modelHosts.webllm, settings.modelHosts.wllama]);

  // Poll often while anything downloads, and now and then otherwise: a review in a tab can start
  // a download at any time, and this page shows it live. Refresh the list when one ends.
  // Each poll is also an incoming runtime event for the background, which keeps Firefox's event
  // page (the engine host there) from idling out mid-download or mid-load: a download stays
  // 'downloading' until the model has loaded. See src/shared/keep-alive.ts for the tab's side.
  const active = [...downloads.values()].some((d) => d.state === 'downloading');
  useEffect(() => {
    const timer = setInterval(async () => {
      try {
        const running = await ask({ kind: 'models/downloads' });
        const next = new Map(running.downloads.map((d) => [entryKey(d), d]));
        setDownloads(next);
        if (active && ![...next.values()].some((d) => d.state === 'downloading')) void refresh();
      } catch {
        /* the next tick tries again */
      }
    }, active ? (props.pollMs ?? 500) : (props.idlePollMs ?? 2000));
    return () => clearInterval(timer);
  }, [active]);

  async function download(engine: EngineKind, modelId: string): Promise<void> {
    const answer = await ask({ kind: 'models/download', engine, modelId, settings: settingsRef.current });
    if (!answer.ok) return setError(answer.message);
    setDownloads((d) => new Map(d).set(entryKey(answer.status), answer.status));
  }

  async function cancel(engine: EngineKind, modelId: string): Promise<void> {
    await ask({ kind: 'models/cancel-download', engine, modelId });
    const running = await ask({ kind: 'models/downloads' });
    setDownloads(new Map(running.downloads.map((d) => [entryKey(d), d])));
  }

  async function remove(engine: EngineKind, modelId: string): Promise<void> {
    const answer = await ask({ kind: 'models/delete', engine, modelId, settings: settingsRef.current });
    if (!answer.ok) setError(answer.message);
    await refresh();
  }

  async function pickFile(file: File | undefined): Promise<void> {
    if (!file) return;
    try {
      setFileNote(`Copying ${file.name} into the extension's storage…`);
      const id = await saveLocalModel(file, (written) => setFileNote(`Copying ${file.name}: ${formatBytes(written)} of ${formatBytes(file.size)}`));
      setFileNote(`${file.name} is stored; it works offline.`);
      await props.onChange({ engine: 'wllama', modelId: id });
    } catch (e) {
      setFileNote(`The file could not be stored: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const caps = listing?.capabilities;
  const byEngine = (engine: EngineKind) => (listing?.models ?? []).filter((m) => m.engine === engine);

  return (
    <div class="lpr-mm" data-testid="model-manager">
      {error ? (
        <p role="alert" class="error" data-testid="model-manager-error">
          {error}
        </p>
      ) : null}
      {listing ? (
        <p data-testid="first-run-sentence">
          {listing.choice.sentence}{' '}
          {settings.engine !== listing.choice.engine || (listing.choice.modelId !== null && settings.modelId !== listing.choice.modelId) ? (
            <button
              type="button"
              class="btn"
              data-testid="use-recommended"
              onClick={() => void props.onChange({ engine: listing.choice.engine, modelId: listing.choice.modelId ?? 'builtin' })}
            >
              Use {listing.choice.label}
            </button>
          ) : null}
        </p>
      ) : (
        <p class="muted">Asking the engine what this machine can do…</p>
      )}

      {caps && !caps.webgpu.available ? (
        <p class="muted" data-testid="webgpu-unavailable">
          WebGPU is unavailable here ({caps.webgpu.reason}). The CPU engine works on every machine.
        </p>
      ) : null}
      {caps?.webgpu.available && !caps.webgpu.shaderF16 ? (
        <p class="muted small" data-testid="webgpu-no-f16">
          This GPU has no shader-f16: only the f32 builds of the GPU models are offered.
          {caps.webgpu.fallbackAdapter ? ' It is a software adapter, far too slow for real reviews.' : ''}
        </p>
      ) : null}
      {listing?.unrunnable ? (
        <p class="muted small" data-testid="no-model-libs">
          {listing.unrunnable.reason}
        </p>
      ) : null}

      {(['webllm', 'wllama', 'builtin'] as const).map((engine) =>
        byEngine(engine).length ? (
          <fieldset data-testid={`models-${engine}`}>
            <legend>{ENGINE_TITLES[engine]}</legend>
            <ul class="lpr-mm-list">
              {byEngine(engine).map((m) => (
                <ModelRow
                  model={m}
                  selected={settings.engine === m.engine && (settings.modelId ?? 'builtin') === m.id}
                  download={downloads.get(entryKey(m))}
                  onSelect={() => void props.onChange({ engine: m.engine, modelId: m.id })}
                  onDownload={() => void download(m.engine, m.id)}
                  onCancel={() => void cancel(m.engine, m.id)}
                  onDelete={() => void remove(m.engine, m.id)}
                />
              ))}
            </ul>
          </fieldset>
        ) : null,
      )}

      <fieldset>
        <legend>Custom CPU model</legend>
        <label>
          GGUF model URL
          <div class="row">
            <input
              type="text"
              data-testid="custom-model-url"
              placeholder="https://example.org/models/my-model-q8_0.gguf"
              value={customUrl}
              onInput={(e) => setCustomUrl(e.currentTarget.value)}
            />
            <button
              type="button"
              class="btn"
              data-testid="custom-model-use"
              disabled={!customUrl.trim()}
              onClick={() => void props.onChange({ engine: 'wllama', modelId: customUrl.trim() })}
            >
              Use this URL
            </button>
          </div>
        </label>
        <label>
          Or a .gguf file from this computer (for offline and air-gapped use)
          <input type="file" accept=".gguf" data-testid="custom-model-file" onChange={(e) => void pickFile(e.currentTarget.files?.[0])} />
        </label>
        {fileNote ? <p class="muted small" data-testid="custom-model-file-note">{fileNote}</p> : null}
      </fieldset>

      <fieldset>
        <legend>Model hosts</legend>
        <p class="muted small">A mirror that keeps Hugging Face's layout, for self-hosting. Empty: Hugging Face.</p>
        {(['webllm', 'wllama'] as const).map((engine) => (
          <label>
            {ENGINE_TITLES[engine]}
            <input
              type="text"
              data-testid={`mirror-${engine}`}
              value={settings.modelHosts[engine]}
              placeholder="https://huggingface.co"
              onChange={(e) => void props.onChange({ modelHosts: { ...settings.modelHosts, [engine]: e.currentTarget.value.trim() } })}
            />
          </label>
        ))}
      </fieldset>

      <label>
        Unload an idle model after (minutes)
        <input
          type="number"
          min={1}
          max={240}
          data-testid="idle-minutes"
          value={settings.idleUnloadMinutes}
          onChange={(e) => {
            const n = Number(e.currentTarget.value);
            if (Number.isFinite(n) && n >= 1) void props.onChange({ idleUnloadMinutes: Math.round(n) });
          }}
        />
      </label>

      <p class="muted small" data-testid="storage-used">
        {storage?.usageBytes !== null && storage?.usageBytes !== undefined
          ? `Storage used by the extension: ${formatBytes(storage.usageBytes)}${storage.quotaBytes ? ` of ${formatBytes(storage.quotaBytes)} available` : ''}.`
          : 'Storage use unknown.'}{' '}
        Models download once per browser and are shared by every tab.
      </p>
    </div>
  );
}

interface ModelRowProps {
  model: ModelEntry;
  selected: boolean;
  download: DownloadStatus | undefined;
  onSelect(): void;
  onDownload(): void;
  onCancel(): void;
  onDelete(): void;
}

function ModelRow({ model: m, selected, download, onSelect, onDownload, onCancel, onDelete }: ModelRowProps) {
  const downloading = download?.state === 'downloading';
  const deletable = m.cached && m.engine !== 'builtin';
  return (
    <li
      class={`lpr-mm-row${selected ? ' lpr-mm-selected' : ''}`}
      data-testid="model-row"
      data-engine={m.engine}
      data-model-id={m.id}
      data-cached={String(m.cached)}
      data-recommended={String(m.recommended)}
    >
      <label class="inline">
        <input type="radio" name="lpr-model" checked={selected} disabled={!m.runnable} onChange={onSelect} data-testid="model-select" />
        <span>
          <strong>{m.label}</strong>
          {m.recommended ? <span class="lpr-mm-badge"> recommended</span> : null}
          <br />
          <span class="muted small" data-testid="model-facts">
            {m.sizeBytes !== null ? formatBytes(m.sizeBytes) : 'size unknown'}
            {m.vramMB !== null ? ` · needs ~${formatBytes(m.vramMB * 1e6)} of GPU memory` : ''}
            {m.contextWindow ? ` · ${m.contextWindow.toLocaleString('en')} tokens context` : ''}
            {m.fits === false ? ' · may not fit this machine' : ''}
            {' · '}
            <span data-testid="model-cached">{m.cached ? 'downloaded' : 'not downloaded'}</span>
            {m.note ? ` · ${m.note}` : ''}
          </span>
        </span>
      </label>
      <div class="row">
        {!m.cached && !downloading && m.runnable && m.engine !== 'builtin' ? (
          <button type="button" class="btn" data-testid={download?.state === 'failed' ? 'model-retry' : 'model-download'} onClick={onDownload}>
            {download?.state === 'failed' ? 'Retry download' : 'Download'}
          </button>
        ) : null}
        {downloading ? (
          <button type="button" class="btn" data-testid="model-cancel" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        {deletable ? (
          <button type="button" class="btn" data-testid="model-delete" onClick={onDelete}>
            Delete
          </button>
        ) : null}
      </div>
      {download && download.state !== 'done' ? (
        <div data-testid="download-status" data-state={download.state}>
          {downloading ? (
            <progress
              data-testid="download-progress"
              max={download.totalBytes ?? undefined}
              value={download.totalBytes ? download.loadedBytes : undefined}
            />
          ) : null}
          <span class="small" data-testid="download-text">
            {download.state === 'failed'
              ? `${download.failure?.message ?? 'The download failed.'} ${download.failure?.nextStep ?? ''}`
              : download.state === 'cancelled'
                ? 'Download cancelled.'
                : downloadLine(download)}
          </span>
        </div>
      ) : null}
    </li>
  );
}

/** Styles the options page can add next to its own (class names are prefixed lpr-mm). */
export const MODEL_MANAGER_CSS = `
.lpr-mm-list { list-style: none; margin: 0; padding: 0; }
.lpr-mm-row { padding: 8px 0; border-bottom: 1px solid var(--lpr-border-default); }
.lpr-mm-row:last-child { border-bottom: 0; }
.lpr-mm-selected strong { color: var(--lpr-accent-fg); }
.lpr-mm-badge { font-size: 12px; color: var(--lpr-success-fg); }
.lpr-mm progress { width: 100%; }
`;
