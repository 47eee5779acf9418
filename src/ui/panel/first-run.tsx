/**
 * First run: no engine or model chosen yet. The engine host's pick for this machine comes first
 * (with its size and whether it fits); the user confirms it or picks another, and the review starts.
 */
import { useState } from 'preact/hooks';
import type { EngineKind } from '../../engine/engine';
import type { ModelEntry } from '../../protocol';
import type { FirstRunOffer } from './panel-state';
import { formatBytes } from '../../shared/format';

export interface ModelPick {
  engine: EngineKind;
  modelId: string | null;
}

interface Option extends ModelPick {
  label: string;
  note: string;
  entry: ModelEntry | undefined;
}

const ENGINE_NAMES: Record<EngineKind, string> = {
  webllm: 'GPU',
  wllama: 'CPU',
  builtin: 'Built-in',
  localserver: 'Local server',
  native: 'Native',
  scripted: 'Test',
};

function optionsOf(offer: FirstRunOffer): Option[] {
  const entry = (engine: EngineKind, id: string | null) => offer.models.find((m) => m.engine === engine && m.id === id);
  const out: Option[] = [];
  const seen = new Set<string>();
  const push = (o: Option) => {
    const key = `${o.engine}|${o.modelId ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(o);
  };
  if (offer.choice) {
    const c = offer.choice;
    push({ engine: c.engine, modelId: c.modelId, label: c.label, note: c.sentence, entry: entry(c.engine, c.modelId) });
    for (const a of c.alternatives) push({ engine: a.engine, modelId: a.modelId, label: a.label, note: a.note, entry: entry(a.engine, a.modelId) });
  }
  for (const m of offer.models) {
    if (m.runnable && m.recommended) push({ engine: m.engine, modelId: m.id, label: m.label, note: m.note ?? '', entry: m });
  }
  return out;
}

function fitText(entry: ModelEntry | undefined): { text: string; tone: 'ok' | 'bad' | 'unknown' } {
  // Nothing could be measured (no GPU memory figure, or a custom model): say what to do instead.
  if (!entry || entry.fits === null) return { text: 'fit not checked here: if it fails to load, pick a smaller one', tone: 'unknown' };
  return entry.fits ? { text: 'fits this machine', tone: 'ok' } : { text: 'may not fit this machine', tone: 'bad' };
}

export interface FirstRunProps {
  offer: FirstRunOffer | null;
  error: string | null;
  onPick: (pick: ModelPick) => void;
  onOpenOptions: () => void;
}

export function FirstRun({ offer, error, onPick, onOpenOptions }: FirstRunProps) {
  const options = offer ? optionsOf(offer) : [];
  const [selected, setSelected] = useState(0);
  const current = options[selected] ?? options[0];
  return (
    <div data-testid="panel-first-run">
      <h3 class="lpr-section-title" tabIndex={-1} data-focus-target="true">
        Choose a model
      </h3>
      <p class="lpr-muted">
        Reviews run on a model on this machine. It is downloaded once and kept in your browser; nothing else leaves the machine.
      </p>
      {/* Also with models on offer: a choice that could not be saved (full sync storage) says why. */}
      {error ? (
        <p class="lpr-flash lpr-flash-danger" data-testid="first-run-error">
          {error}
        </p>
      ) : null}
      {!offer && !error ? <p class="lpr-muted">Checking what this machine can run…</p> : null}
      {options.length ? (
        <fieldset class="lpr-choices">
          <legend class="lpr-sr-only">Model</legend>
          {options.map((o, i) => {
            const fit = fitText(o.entry);
            return (
              <label class={`lpr-choice${i === selected ? ' lpr-choice-selected' : ''}`} data-testid="model-choice" data-engine={o.engine}>
                <input type="radio" name="lpr-model" checked={i === selected} onChange={() => setSelected(i)} />
                <span class="lpr-choice-text">
                  <span class="lpr-choice-label">
                    {o.label} <span class="lpr-label">{ENGINE_NAMES[o.engine]}</span>
                    {i === 0 && offer?.choice ? <span class="lpr-label lpr-label-recommended">Recommended</span> : null}
                  </span>
                  <span class="lpr-small lpr-muted" data-testid="model-choice-size">
                    {o.entry?.sizeBytes ? `${formatBytes(o.entry.sizeBytes)} download` : o.engine === 'builtin' ? 'managed by the browser' : 'size unknown'}
                    {o.entry?.cached ? ' · already downloaded' : ''} · <span class={`lpr-fit-${fit.tone}`}>{fit.text}</span>
                  </span>
                  {o.note ? <span class="lpr-small lpr-muted">{o.note}</span> : null}
                </span>
              </label>
            );
          })}
        </fieldset>
      ) : null}
      <div class="lpr-actions">
        {current ? (
          <button
            type="button"
            class="lpr-btn lpr-btn-primary"
            data-testid="first-run-confirm"
            onClick={() => onPick({ engine: current.engine, modelId: current.modelId })}
          >
            {current.entry?.cached || current.engine === 'builtin' ? 'Use it and review' : 'Download and review'}
          </button>
        ) : null}
        <button type="button" class="lpr-btn" data-testid="open-options" onClick={onOpenOptions}>
          All models and options
        </button>
      </div>
    </div>
  );
}
