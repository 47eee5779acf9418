/** The options page's review settings (depth, verify, language, instructions, ignore patterns) and diff markers. */
import type { Settings } from '../../shared/settings';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { UpdateSettings } from './use-options-settings';

export function ReviewSection({ settings, update }: { settings: Settings; update: UpdateSettings }) {
  return (
    <section>
      <h2>Review</h2>
      <fieldset>
        <legend>Depth</legend>
        {(['quick', 'thorough'] as const).map((depth) => (
          <label class="inline">
            <input type="radio" name="depth" data-testid={`depth-${depth}`} checked={settings.depth === depth} onChange={() => void update({ depth })} />
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
        <textarea rows={4} data-testid="instructions-input" value={settings.customInstructions} onChange={(e) => void update({ customInstructions: e.currentTarget.value })} />
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
  );
}

export function DiffSection({ settings, update }: { settings: Settings; update: UpdateSettings }) {
  return (
    <section>
      <h2>On the diff</h2>
      <label class="inline">
        <input type="checkbox" data-testid="markers-setting" checked={settings.showMarkers} onChange={(e) => void update({ showMarkers: e.currentTarget.checked })} />
        Show finding markers next to the lines of the diff
      </label>
    </section>
  );
}

export function PrivacySection() {
  return (
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
  );
}
