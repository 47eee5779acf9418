/**
 * The options page: engine and model, review depth, language, custom instructions, ignore
 * patterns, the shortcut, and what leaves the machine. Every field saves as it changes.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { Settings } from '../../shared/settings';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { loadSettings, saveSettings } from '../../shared/settings-store';
import { browserStorageArea } from '../../shared/storage-area';
import type { EngineKind } from '../../engine/engine';
import { OPTIONS_CSS } from './options-css';
import { PANEL_CSS } from '../panel/panel-css';
import { ReviewHistory } from './review-history';
import { EnginePlacementLine } from './engine-placement';
import { LocalServerSection } from './local-server-section';
import { MODEL_MANAGER_CSS, ModelManager } from '../model-manager/model-manager';
import { isWelcome, Welcome } from './welcome';

const area = () => browserStorageArea(browser.storage, 'sync');

/** Engines the user can pick in this build; the test engine only exists in the e2e build. */
function engineChoices(): Array<{ kind: EngineKind; label: string }> {
  const choices: Array<{ kind: EngineKind; label: string }> = [
    { kind: 'webllm', label: 'GPU (WebGPU, web-llm)' },
    { kind: 'wllama', label: 'CPU (WebAssembly, wllama)' },
    { kind: 'builtin', label: "Browser's built-in model" },
  ];
  if (__E2E__) choices.push({ kind: 'scripted', label: 'Scripted test engine' });
  return choices;
}

export function OptionsPage() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  const [shortcut, setShortcut] = useState<string | null>(null);

  useEffect(() => {
    loadSettings(area()).then(setSettings, (e: unknown) => setError(String(e)));
    // The shortcut as the browser has it now (the user may have changed or cleared it).
    browser.commands
      ?.getAll()
      .then((commands) => setShortcut(commands.find((c) => c.name === 'start-review')?.shortcut ?? ''))
      .catch(() => setShortcut(null));
  }, []);

  function openShortcutSettings(): void {
    const url = navigator.userAgent.includes('Firefox') ? 'about:addons' : 'chrome://extensions/shortcuts';
    void browser.tabs.create({ url }).catch(() => setError(`Open ${url} in the address bar to change the shortcut.`));
  }

  async function update(patch: Partial<Settings>): Promise<void> {
    if (!settings) return;
    const next = { ...settings, ...patch };
    setSettings(next);
    const result = await saveSettings(area(), patch);
    if (result.ok) {
      setSettings(result.settings);
      setError('');
      setStatus('Saved');
    } else {
      setError(result.reason);
      setStatus('');
    }
  }

  if (!settings) return <p>Loading…</p>;
  return (
    <main class="opt">
      <style>{PANEL_CSS}</style>
      <style>{OPTIONS_CSS}</style>
      <style>{MODEL_MANAGER_CSS}</style>
      <h1>local-pr-review</h1>
      <p class="muted">Reviews GitHub pull requests with a language model that runs on this machine.</p>
      {isWelcome(location.hash) ? <Welcome shortcut={shortcut} /> : null}
      <p role="status" aria-live="polite" class="status" data-testid="options-status">
        {status}
      </p>
      {error ? (
        <p role="alert" class="error" data-testid="options-error">
          {error}
        </p>
      ) : null}

      <section data-testid="engine-section">
        <h2>Engine and model</h2>
        <ModelManager settings={settings} onChange={(patch) => update(patch)} />
        <h3 class="subhead">Or name an engine and model yourself</h3>
        <label>
          Engine
          <select
            data-testid="engine-select"
            value={settings.engine ?? ''}
            onChange={(e) => void update({ engine: (e.currentTarget.value || null) as EngineKind | null })}
          >
            <option value="">Choose…</option>
            {engineChoices().map((c) => (
              <option value={c.kind}>{c.label}</option>
            ))}
          </select>
        </label>
        <EnginePlacementLine />
        <label>
          Model (catalog id, or a GGUF URL for the CPU engine)
          <input
            type="text"
            data-testid="model-input"
            value={settings.modelId ?? ''}
            onChange={(e) => void update({ modelId: e.currentTarget.value.trim() || null })}
          />
        </label>
      </section>

      <LocalServerSection settings={settings} update={update} />

      <section>
        <h2>Review</h2>
        <fieldset>
          <legend>Depth</legend>
          {(['quick', 'thorough'] as const).map((depth) => (
            <label class="inline">
              <input
                type="radio"
                name="depth"
                data-testid={`depth-${depth}`}
                checked={settings.depth === depth}
                onChange={() => void update({ depth })}
              />
              {depth === 'quick' ? 'Quick: summary and critical/major issues' : 'Thorough: everything'}
            </label>
          ))}
        </fieldset>
        <label class="inline">
          <input type="checkbox" data-testid="verify-setting" checked={settings.verifyFindings} onChange={(e) => void update({ verifyFindings: e.currentTarget.checked })} />
          In thorough reviews, re-check each finding with a short extra call and drop those the model rejects (one call per finding)
        </label>
        <label>
          Output language
          <input type="text" data-testid="language-input" value={settings.language} onChange={(e) => void update({ language: e.currentTarget.value.trim() || DEFAULT_SETTINGS.language })} />
        </label>
        <label>
          Custom instructions
          <textarea
            rows={4}
            data-testid="instructions-input"
            value={settings.customInstructions}
            onChange={(e) => void update({ customInstructions: e.currentTarget.value })}
          />
        </label>
        <label>
          Ignore patterns (one glob per line, e.g. <code>docs/**</code>)
          <textarea
            rows={4}
            data-testid="ignore-input"
            value={settings.ignorePatterns.join('\n')}
            onChange={(e) =>
              void update({
                ignorePatterns: e.currentTarget.value
                  .split('\n')
                  .map((s) => s.trim())
                  .filter(Boolean),
              })
            }
          />
        </label>
      </section>

      <section>
        <h2>On the diff</h2>
        <label class="inline">
          <input
            type="checkbox"
            data-testid="markers-setting"
            checked={settings.showMarkers}
            onChange={(e) => void update({ showMarkers: e.currentTarget.checked })}
          />
          Show finding markers next to the lines of the diff
        </label>
      </section>

      <section data-testid="shortcut">
        <h2>Keyboard shortcut</h2>
        <p>
          {shortcut ? (
            <>
              <kbd data-testid="shortcut-keys">{shortcut}</kbd> opens the panel and starts a review.
            </>
          ) : shortcut === '' ? (
            'No shortcut is set for starting a review (the suggested Alt+Shift+R may be taken by another extension). Set one below.'
          ) : (
            'A shortcut (Alt+Shift+R unless you changed it) opens the panel and starts a review.'
          )}
        </p>
        <button type="button" class="btn" data-testid="shortcut-change" onClick={openShortcutSettings}>
          Change the shortcut
        </button>
      </section>

      <ReviewHistory />

      <section data-testid="privacy">
        <h2>Privacy: what leaves this machine</h2>
        <p>
          <strong>Only model downloads.</strong> The one-time download of the model you choose is the only network traffic this
          extension adds. Your code, the diff, the reviews and your settings never leave this machine: the model runs in your
          browser, the diff is read from the page (or fetched from GitHub with your own session, as the page itself would), and
          reviews are kept in this browser's storage. There is no server, no account and no telemetry. If you enable the Local
          server engine, the diff goes to that server on this machine (localhost) and nowhere else.
        </p>
      </section>
    </main>
  );
}
