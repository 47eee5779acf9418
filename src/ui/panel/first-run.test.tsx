import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { parseHTML } from 'linkedom';
import { FirstRun } from './first-run';
import type { ModelEntry } from '../../protocol';

const entry = (id: string, extra: Partial<ModelEntry> = {}): ModelEntry => ({
  engine: 'wllama',
  id,
  label: `Model ${id}`,
  sizeBytes: 600_000_000,
  vramMB: null,
  contextWindow: 8192,
  fits: true,
  cached: false,
  recommended: false,
  code: true,
  runnable: true,
  ...extra,
});

function dom(node: preact.VNode): Document {
  return parseHTML(`<!doctype html><html><body>${renderToString(node)}</body></html>`).document;
}

const noop = () => {};

describe('FirstRun', () => {
  it('offers the host\'s pick first, then its alternatives, each with size and whether it fits', () => {
    const offer = {
      choice: {
        engine: 'wllama' as const,
        modelId: 'small',
        label: 'Small coder',
        sentence: 'No WebGPU here, so the CPU engine.',
        alternatives: [{ engine: 'webllm' as const, modelId: 'gpu', label: 'GPU coder', note: 'needs WebGPU' }],
      },
      models: [entry('small', { cached: true }), entry('gpu', { engine: 'webllm', fits: false, sizeBytes: 2_000_000_000 })],
    };
    const doc = dom(<FirstRun offer={offer} error={null} onPick={noop} onOpenOptions={noop} />);
    const choices = [...doc.querySelectorAll('[data-testid="model-choice"]')];
    expect(choices.map((c) => c.getAttribute('data-engine'))).toEqual(['wllama', 'webllm']);
    expect(choices[0]!.textContent).toContain('Recommended');
    const sizes = [...doc.querySelectorAll('[data-testid="model-choice-size"]')].map((s) => s.textContent);
    expect(sizes[0]).toBe('600 MB download · already downloaded · fits this machine');
    expect(sizes[1]).toBe('2.00 GB download · may not fit this machine');
    // The recommended model is already downloaded: no download to promise.
    expect(doc.querySelector('[data-testid="first-run-confirm"]')!.textContent).toBe('Use it and review');
  });

  it('says it is checking while the offer loads, and shows why when there is nothing to offer', () => {
    expect(dom(<FirstRun offer={null} error={null} onPick={noop} onOpenOptions={noop} />).body.textContent).toContain('Checking what this machine can run');
    const failed = dom(<FirstRun offer={{ choice: null, models: [] }} error="The engine did not answer." onPick={noop} onOpenOptions={noop} />);
    expect(failed.querySelector('[data-testid="first-run-error"]')!.textContent).toBe('The engine did not answer.');
    expect(failed.querySelector('[data-testid="first-run-confirm"]')).toBeNull();
    expect(failed.querySelector('[data-testid="open-options"]')).not.toBeNull();
  });
});
