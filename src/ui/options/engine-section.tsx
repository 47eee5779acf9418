/** The options page's engine and model: the model manager, or an engine and model named by hand. */
import { useState } from 'preact/hooks';
import type { Settings } from '../../shared/settings';
import type { EngineKind } from '../../engine/engine';
import { ModelManager } from '../model-manager/model-manager';
import { EnginePlacementLine } from './engine-placement';
import type { UpdateSettings } from './use-options-settings';

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

export function EngineSection({ settings, update }: { settings: Settings; update: UpdateSettings }) {
  // Changes whenever a download or a file copy starts or ends: the loaded model may have changed.
  const [activity, setActivity] = useState(0);
  return (
    <section data-testid="engine-section">
      <h2>Engine and model</h2>
      <ModelManager settings={settings} onChange={(patch) => update(patch)} onActivity={() => setActivity((n) => n + 1)} />
      <h3 class="subhead">Or name an engine and model yourself</h3>
      <label>
        Engine
        <select
          data-testid="engine-select"
          value={settings.engine ?? ''}
          onChange={(e) => {
            const value = e.currentTarget.value;
            void update({ engine: engineChoices().find((c) => c.kind === value)?.kind ?? null });
          }}
        >
          <option value="">Choose…</option>
          {engineChoices().map((c) => (
            <option value={c.kind}>{c.label}</option>
          ))}
        </select>
      </label>
      <EnginePlacementLine refreshKey={activity} />
      <label>
        Model (catalog id, or a GGUF URL for the CPU engine)
        <input type="text" data-testid="model-input" value={settings.modelId ?? ''} onChange={(e) => void update({ modelId: e.currentTarget.value.trim() || null })} />
      </label>
    </section>
  );
}
