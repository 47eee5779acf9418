/**
 * The model manager of the options page: every model each engine offers here with its size,
 * whether it is downloaded, and whether it fits; downloads with a real progress bar (bytes of
 * total, speed, time left), Cancel, Retry after a broken download, Delete; storage used; a custom
 * model URL or a model file from disk for the CPU engine; mirror hosts per engine; the idle time
 * after which a loaded model is unloaded.
 *
 * Everything about models is answered by the engine host (askHost), which owns the caches and
 * stores a picked model file. Settings changes go out through `onChange`, which the options page saves.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Settings } from '../../shared/settings';
import { askHost as realAskHost, type AskHost } from './host-client';
import { useModelHost } from './use-model-host';
import { CustomModelSection } from './custom-model-section';
import { EngineModels, FirstRunLine, IdleMinutes, MachineNotes, ModelHosts, StorageUsed } from './model-manager-parts';

export interface ModelManagerProps {
  settings: Settings;
  /** Saves a settings change (engine and model, mirrors, idle minutes). */
  onChange: (patch: Partial<Settings>) => void | Promise<void>;
  /** Injected in tests; defaults to the runtime-message client. */
  askHost?: AskHost;
  /** How often to follow what runs (downloads, a file being stored), ms. Nothing is polled while nothing runs. */
  pollMs?: number;
  /** Called when a download or a file copy starts or ends (the loaded model may have changed). */
  onActivity?: () => void;
}

export function ModelManager(props: ModelManagerProps) {
  const ask = props.askHost ?? realAskHost;
  const { settings, onChange } = props;
  const [storingFile, setStoringFile] = useState(false);
  const host = useModelHost(ask, settings, storingFile, props.pollMs);
  useOnChange(host.inProgress, props.onActivity);
  return (
    <div class="lpr-mm" data-testid="model-manager">
      {host.error ? (
        <p role="alert" class="error" data-testid="model-manager-error">
          {host.error}
        </p>
      ) : null}
      <FirstRunLine listing={host.listing} settings={settings} onChange={onChange} />
      <MachineNotes listing={host.listing} />
      <EngineModels host={host} settings={settings} onChange={onChange} />
      <CustomModelSection onChange={onChange} askHost={ask} onBusy={setStoringFile} />
      <ModelHosts settings={settings} onChange={onChange} />
      <IdleMinutes settings={settings} onChange={onChange} />
      <StorageUsed storage={host.storage} />
    </div>
  );
}

/** Calls `callback` when `value` changes after the first render. */
function useOnChange(value: boolean, callback: (() => void) | undefined): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else callback?.();
  }, [value]);
}

/** Styles the options page can add next to its own (class names are prefixed lpr-mm). */
export const MODEL_MANAGER_CSS = `/*css*/
.lpr-mm-list { list-style: none; margin: 0; padding: 0; }
.lpr-mm-row { padding: 8px 0; border-bottom: 1px solid var(--lpr-border-default); }
.lpr-mm-row:last-child { border-bottom: 0; }
.lpr-mm-selected strong { color: var(--lpr-accent-fg); }
.lpr-mm-badge { font-size: 12px; color: var(--lpr-success-fg); }
.lpr-mm progress { width: 100%; }
`;
