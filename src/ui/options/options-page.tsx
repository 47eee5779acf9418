/**
 * The options page: engine and model, review depth, language, custom instructions, ignore
 * patterns, the shortcut, and what leaves the machine. Every field saves as it changes.
 */
import { OPTIONS_CSS } from './options-css';
import { PANEL_CSS } from '../panel/panel-css';
import { ReviewHistory } from './review-history';
import { LocalServerSection } from './local-server-section';
import { MODEL_MANAGER_CSS } from '../model-manager/model-manager';
import { isWelcome, Welcome } from './welcome';
import { useOptionsSettings } from './use-options-settings';
import { ShortcutSection, useShortcut } from './shortcut-section';
import { EngineSection } from './engine-section';
import { DiffSection, PrivacySection, ReviewSection } from './review-section';

export function OptionsPage() {
  const { settings, status, error, setError, update } = useOptionsSettings();
  const shortcut = useShortcut();
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
      <EngineSection settings={settings} update={update} />
      <LocalServerSection settings={settings} update={update} />
      <ReviewSection settings={settings} update={update} />
      <DiffSection settings={settings} update={update} />
      <ShortcutSection shortcut={shortcut} onError={setError} />
      <ReviewHistory />
      <PrivacySection />
    </main>
  );
}
