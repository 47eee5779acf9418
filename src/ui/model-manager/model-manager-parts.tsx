/** The smaller sections of the model manager: the first-run choice, machine notes, hosts, idle time, storage. */
import type { EngineKind } from '../../engine/engine';
import type { Settings } from '../../shared/settings';
import type { StorageReport } from '../../protocol';
import { formatBytes } from '../../shared/format';
import { entryKey, ENGINE_TITLES } from './model-format';
import type { Listing, ModelHostView } from './use-model-host';
import { ModelRow } from './model-row';

type OnChange = (patch: Partial<Settings>) => void | Promise<void>;

export function FirstRunLine({ listing, settings, onChange }: { listing: Listing | null; settings: Settings; onChange: OnChange }) {
  if (!listing) return <p class="muted">Asking the engine what this machine can do…</p>;
  const { choice } = listing;
  return (
    <p data-testid="first-run-sentence">
      {choice.sentence}{' '}
      {settings.engine !== choice.engine || (choice.modelId !== null && settings.modelId !== choice.modelId) ? (
        <button type="button" class="btn" data-testid="use-recommended" onClick={() => void onChange({ engine: choice.engine, modelId: choice.modelId ?? 'builtin' })}>
          Use {choice.label}
        </button>
      ) : null}
    </p>
  );
}

/** What the GPU here cannot do, and GPU models this build cannot run. */
export function MachineNotes({ listing }: { listing: Listing | null }) {
  const caps = listing?.capabilities;
  return (
    <>
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
    </>
  );
}

/** One fieldset per engine with its models. */
export function EngineModels({ host, settings, onChange }: { host: ModelHostView; settings: Settings; onChange: OnChange }) {
  const byEngine = (engine: EngineKind) => (host.listing?.models ?? []).filter((m) => m.engine === engine);
  return (
    <>
      {(['webllm', 'wllama', 'builtin'] as const).map((engine) =>
        byEngine(engine).length ? (
          <fieldset data-testid={`models-${engine}`}>
            <legend>{ENGINE_TITLES[engine]}</legend>
            <ul class="lpr-mm-list">
              {byEngine(engine).map((m) => (
                <ModelRow
                  model={m}
                  selected={settings.engine === m.engine && (settings.modelId ?? 'builtin') === m.id}
                  download={host.downloads.get(entryKey(m))}
                  onSelect={() => void onChange({ engine: m.engine, modelId: m.id })}
                  onDownload={() => void host.download(m.engine, m.id)}
                  onCancel={() => void host.cancel(m.engine, m.id)}
                  onDelete={() => void host.remove(m.engine, m.id)}
                />
              ))}
            </ul>
          </fieldset>
        ) : null,
      )}
    </>
  );
}

export function ModelHosts({ settings, onChange }: { settings: Settings; onChange: OnChange }) {
  return (
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
            onChange={(e) => void onChange({ modelHosts: { ...settings.modelHosts, [engine]: e.currentTarget.value.trim() } })}
          />
        </label>
      ))}
    </fieldset>
  );
}

export function IdleMinutes({ settings, onChange }: { settings: Settings; onChange: OnChange }) {
  return (
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
          if (Number.isFinite(n) && n >= 1) void onChange({ idleUnloadMinutes: Math.round(n) });
        }}
      />
    </label>
  );
}

export function StorageUsed({ storage }: { storage: StorageReport | null }) {
  return (
    <p class="muted small" data-testid="storage-used">
      {storage?.usageBytes !== null && storage?.usageBytes !== undefined
        ? `Storage used by the extension: ${formatBytes(storage.usageBytes)}${storage.quotaBytes ? ` of ${formatBytes(storage.quotaBytes)} available` : ''}.`
        : 'Storage use unknown.'}{' '}
      Models download once per browser and are shared by every tab.
    </p>
  );
}
