/**
 * The "Local server" engine in the options: off by default. Enabling it asks the browser for the
 * host permission of that one address (http://localhost or http://127.0.0.1, any port) at that
 * moment, then lists the server's models; picking one makes it the review engine. Turning it off
 * gives the permission back.
 */
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { EngineError } from '../../engine/engine';
import { LOCAL_SERVER_ORIGINS, localServerBase, localServerOrigin } from '../../engine/local-server-url';
import { listServerModels } from '../../engine/openai-engine';
import type { Settings } from '../../shared/settings';

export interface LocalServerSectionProps {
  settings: Settings;
  update: (patch: Partial<Settings>) => Promise<void>;
}

function describe(e: unknown): string {
  if (e instanceof EngineError) return e.nextStep ? `${e.message} ${e.nextStep}` : e.message;
  return e instanceof Error ? e.message : String(e);
}

export function LocalServerSection({ settings, update }: LocalServerSectionProps) {
  const [url, setUrl] = useState(settings.localServerUrl);
  const [models, setModels] = useState<string[] | null>(null);
  const [phase, setPhase] = useState<'idle' | 'asking' | 'listing'>('idle');
  const [error, setError] = useState('');
  const on = settings.engine === 'localserver';

  // Runs in the click handler: the browser shows its permission prompt only for a user gesture,
  // so nothing may be awaited before the request.
  async function enable(): Promise<void> {
    const base = localServerBase(url);
    if (!base.ok) {
      setError(base.reason);
      return;
    }
    setError('');
    setPhase('asking');
    let granted = false;
    try {
      granted = await browser.permissions.request({ origins: [localServerOrigin(base.url)] });
    } catch (e) {
      setError(`The browser did not ask for the permission: ${describe(e)}`);
    }
    if (!granted) {
      setPhase('idle');
      setError((prev) => prev || `Permission refused: without it the extension cannot reach ${base.url}. Nothing was changed.`);
      return;
    }
    setPhase('listing');
    try {
      const list = await listServerModels(base.url);
      setModels(list);
      await update({ localServerUrl: base.url });
      if (list.length === 0) setError('The server lists no models: load or pull one first (for example `ollama pull qwen2.5-coder:7b`).');
    } catch (e) {
      setError(describe(e));
    }
    setPhase('idle');
  }

  async function turnOff(): Promise<void> {
    await update({ engine: null, modelId: null });
    setModels(null);
    await browser.permissions.remove({ origins: [...LOCAL_SERVER_ORIGINS] }).catch(() => false);
  }

  return (
    <section data-testid="local-server">
      <h2>Local server (optional)</h2>
      <p class="muted">
        Already running Ollama, LM Studio or llama-server? Reviews can use it instead of a model in the browser. Off unless you
        enable it; only <code>http://localhost</code> and <code>http://127.0.0.1</code> are allowed, and nothing is sent anywhere
        else.
      </p>
      <label>
        Server address (OpenAI-compatible, usually ending in <code>/v1</code>)
        <input type="url" data-testid="local-server-url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
      </label>
      <button type="button" class="btn" data-testid="local-server-enable" disabled={phase !== 'idle'} onClick={() => void enable()}>
        {on || models ? 'List the models again' : 'Enable and list models'}
      </button>
      {phase !== 'idle' ? (
        <p role="status" data-testid="local-server-status">
          {phase === 'asking' ? 'Waiting for your answer to the browser’s permission prompt…' : 'Asking the server for its models…'}
        </p>
      ) : null}
      {models && models.length > 0 ? (
        <label>
          Model
          <select
            data-testid="local-server-model"
            value={on ? (settings.modelId ?? '') : ''}
            onChange={(e) => e.currentTarget.value && void update({ engine: 'localserver', modelId: e.currentTarget.value })}
          >
            <option value="">Choose…</option>
            {models.map((m) => (
              <option value={m}>{m}</option>
            ))}
          </select>
        </label>
      ) : null}
      {on ? (
        <p data-testid="local-server-active">
          Reviews run on <strong>{settings.modelId}</strong> at {settings.localServerUrl}.{' '}
          <button type="button" class="btn" data-testid="local-server-off" onClick={() => void turnOff()}>
            Turn off
          </button>
        </p>
      ) : null}
      {error ? (
        <p role="alert" class="error" data-testid="local-server-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
