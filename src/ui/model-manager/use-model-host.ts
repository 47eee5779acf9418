/**
 * The model manager's view of the engine host: the model list, downloads, storage, and the
 * actions on them. Asks the host often while something is in progress (a download, which lasts
 * until the model has loaded, or a file being stored) and otherwise only when the page shows
 * again or gets focus: an idle options tab sends nothing, so it does not keep Firefox's event page
 * (the engine host there) alive for nothing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DownloadStatus, EngineCapabilitiesReport, FirstRunChoice, ModelEntry, StorageReport } from '../../protocol';
import type { Settings } from '../../shared/settings';
import type { EngineKind } from '../../engine/engine';
import type { AskHost } from './host-client';
import { entryKey } from './model-format';
import { useOnPageReturn } from '../page-return';

export interface Listing {
  models: ModelEntry[];
  choice: FirstRunChoice;
  capabilities: EngineCapabilitiesReport;
  unrunnable?: { count: number; reason: string };
}

export interface ModelHostView {
  /** A download (which lasts until its model has loaded) or a file copy is in progress. */
  inProgress: boolean;
  listing: Listing | null;
  error: string;
  downloads: Map<string, DownloadStatus>;
  storage: StorageReport | null;
  download(engine: EngineKind, modelId: string): Promise<void>;
  cancel(engine: EngineKind, modelId: string): Promise<void>;
  remove(engine: EngineKind, modelId: string): Promise<void>;
}

const byKey = (downloads: DownloadStatus[]) => new Map(downloads.map((d) => [entryKey(d), d]));
const anyRunning = (downloads: Map<string, DownloadStatus>) => [...downloads.values()].some((d) => d.state === 'downloading');

/**
 * `busy`: something the page itself runs (storing a file), which also needs the host kept awake:
 * each poll is an incoming runtime event for the background, which keeps Firefox's event page from
 * idling out mid-download, mid-load or mid-copy. See src/shared/keep-alive.ts for the tab's side.
 */
export function useModelHost(ask: AskHost, settings: Settings, busy: boolean, pollMs = 500): ModelHostView {
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState('');
  const [downloads, setDownloads] = useState<Map<string, DownloadStatus>>(new Map());
  const [storage, setStorage] = useState<StorageReport | null>(null);
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
      setDownloads(byKey(running.downloads));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  useEffect(() => {
    void refresh();
  }, [settings.engine, settings.modelId, settings.modelHosts.webllm, settings.modelHosts.wllama]);
  useOnPageReturn(() => void refresh());

  // While anything runs, follow it live; refresh the list when the last download ends.
  const running = anyRunning(downloads);
  useEffect(() => {
    if (!running && !busy) return undefined;
    const timer = setInterval(async () => {
      try {
        const next = byKey((await ask({ kind: 'models/downloads' })).downloads);
        setDownloads(next);
        if (running && !anyRunning(next)) void refresh();
      } catch {
        /* the next tick tries again */
      }
    }, pollMs);
    return () => clearInterval(timer);
  }, [running, busy]);

  return {
    inProgress: running || busy,
    listing,
    error,
    downloads,
    storage,
    async download(engine, modelId) {
      const answer = await ask({ kind: 'models/download', engine, modelId, settings: settingsRef.current });
      if (!answer.ok) return setError(answer.message);
      setDownloads((d) => new Map(d).set(entryKey(answer.status), answer.status));
    },
    async cancel(engine, modelId) {
      await ask({ kind: 'models/cancel-download', engine, modelId });
      setDownloads(byKey((await ask({ kind: 'models/downloads' })).downloads));
    },
    async remove(engine, modelId) {
      const answer = await ask({ kind: 'models/delete', engine, modelId, settings: settingsRef.current });
      if (!answer.ok) setError(answer.message);
      await refresh();
    },
  };
}
