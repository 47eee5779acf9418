/**
 * The review session, driven as a user drives it (the Local review button, the panel's buttons)
 * on a saved GitHub page, against a fake background at the extension-messaging boundary.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Reply } from '../protocol';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { openPullRequest, SETTINGS, CHANGED_FILE } from './testing/pull-request';
import { press, settle, until } from './testing/github-page';

afterEach(() => vi.unstubAllGlobals());

const OFFER: Reply['models/list'] = {
  ok: true,
  models: [{ engine: 'wllama', id: 'tiny-coder', label: 'Tiny coder', sizeBytes: 40_000_000, vramMB: null, contextWindow: 4096, fits: true, cached: false, recommended: true, code: true, runnable: true }],
  choice: { engine: 'wllama', modelId: 'tiny-coder', label: 'Tiny coder', sentence: 'No WebGPU here, so the CPU engine.', alternatives: [] },
  capabilities: { webgpu: { available: false, reason: 'none' }, builtin: 'unavailable', crossOriginIsolated: true, cores: 2, bundledModelLibs: 0, engines: [{ engine: 'wllama', available: true }] },
};

/** A promise the test settles when it wants to. */
function held<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the review session', () => {
  it('reads the page diff, starts the review with the settings and shows it streaming', async () => {
    const pr = await openPullRequest();
    const port = await pr.startReview();
    const [first] = port.posted;
    expect(first).toMatchObject({ kind: 'review/start', request: { settings: SETTINGS } });
    expect(JSON.stringify(first)).toContain(CHANGED_FILE);
    pr.send(port, { kind: 'review/event', event: { type: 'text', delta: 'Looking at the cats' } });
    await until(() => expect(pr.panel()?.textContent).toContain('Looking at the cats'));
    expect(pr.phase()).toBe('reviewing');
    expect(pr.button()?.getAttribute('aria-busy')).toBe('true');
  });

  it('draws streamed text once per animation frame, not once per message', async () => {
    const pr = await openPullRequest();
    const port = await pr.startReview();
    pr.send(port, { kind: 'review/event', event: { type: 'text', delta: 'one ' } });
    await until(() => expect(pr.find('stream-text')?.textContent ?? pr.panel()?.textContent).toContain('one'));
    pr.send(port, { kind: 'review/event', event: { type: 'text', delta: 'two ' } }, { kind: 'review/event', event: { type: 'text', delta: 'three' } });
    expect(pr.panel()?.textContent).not.toContain('two'); // not drawn yet: the next frame draws both
    await settle();
    expect(pr.panel()?.textContent).toContain('one two three');
  });

  it('Cancel while the diff is read stops before anything is sent to the engine', async () => {
    const settings = held<typeof SETTINGS>();
    const pr = await openPullRequest();
    pr.ext.answer('settings/get', () => settings.promise); // after the page looked for a stored review
    press(pr.button());
    await until(() => expect(pr.phase()).toBe('reading'));
    press(pr.find('review-cancel'));
    await until(() => expect(pr.phase()).toBe('cancelled'));
    settings.resolve(SETTINGS);
    await settle();
    expect(pr.ext.ports).toHaveLength(0);
    expect(pr.panel()?.textContent).toContain('cancelled');
  });

  it('Cancel while reviewing asks the engine host to stop', async () => {
    const pr = await openPullRequest();
    const port = await pr.startReview();
    pr.send(port, { kind: 'engine/ready', engine: 'wllama', modelId: 'tiny-coder', reused: true });
    await until(() => expect(pr.phase()).toBe('reviewing'));
    press(pr.find('review-cancel'));
    expect(port.posted.at(-1)).toEqual({ kind: 'review/cancel' });
    pr.send(port, { kind: 'review/cancelled' });
    await until(() => expect(pr.phase()).toBe('cancelled'));
    expect(port.disconnected).toBe(true);
  });

  it("says Retry when the extension's background stops mid-review", async () => {
    const pr = await openPullRequest();
    const port = await pr.startReview();
    port.drop();
    await until(() => expect(pr.phase()).toBe('error'));
    expect(pr.panel()?.textContent).toContain("The review was interrupted: the extension's background stopped.");
    expect(pr.find('review-retry')).not.toBeNull();
  });

  it('offers a model on first run, saves the pick and reviews with it', async () => {
    const pr = await openPullRequest((ext) => {
      ext.answer('settings/get', () => DEFAULT_SETTINGS);
      ext.answer('models/list', () => OFFER);
      ext.answer('host/wake', () => ({ ok: true }));
      ext.answer('settings/save', (request) => {
        ext.answer('settings/get', () => SETTINGS);
        return { ok: true, settings: { ...DEFAULT_SETTINGS, ...request.patch } };
      });
    });
    press(pr.button());
    await until(() => expect(pr.find('first-run-confirm')).not.toBeNull());
    expect(pr.find('model-choice')?.textContent).toContain('Tiny coder');
    press(pr.find('first-run-confirm'));
    await until(() => expect(pr.ext.ports).toHaveLength(1));
    expect(pr.ext.sent('settings/save').map((r) => r.patch)).toEqual([{ engine: 'wllama', modelId: 'tiny-coder' }]);
    expect(pr.ext.lastPort().posted[0]).toMatchObject({ kind: 'review/start', request: { settings: SETTINGS } });
  });

  it('shows a model pick that could not be saved, and keeps the choice on offer', async () => {
    const pr = await openPullRequest((ext) => {
      ext.answer('settings/get', () => DEFAULT_SETTINGS);
      ext.answer('models/list', () => OFFER);
      ext.answer('host/wake', () => ({ ok: true }));
      ext.answer('settings/save', () => Promise.reject(new Error('Extension context invalidated.')));
    });
    press(pr.button());
    await until(() => expect(pr.find('first-run-confirm')).not.toBeNull());
    press(pr.find('first-run-confirm'));
    await until(() => expect(pr.find('first-run-error')?.textContent).toBe('Could not save the choice: Extension context invalidated.'));
    expect(pr.phase()).toBe('first-run');
    expect(pr.find('first-run-confirm')).not.toBeNull();
    expect(pr.ext.ports).toHaveLength(0);
  });

  it('switching to a faster setting drops the running review, saves it and starts again', async () => {
    const pr = await openPullRequest((ext) => ext.answer('settings/save', (request) => ({ ok: true, settings: { ...SETTINGS, ...request.patch } })));
    const port = await pr.startReview();
    pr.send(port, { kind: 'review/estimate', estimate: { seconds: 900, text: 'about 15 min', measured: true, promptTokens: 9000, calls: 6, faster: [{ kind: 'quick-depth', text: 'Quick review (about 6 min)' }] } });
    await until(() => expect(pr.find('faster-quick-depth')).not.toBeNull());
    press(pr.find('faster-quick-depth'));
    await until(() => expect(pr.ext.ports).toHaveLength(2));
    expect(port.disconnected).toBe(true);
    expect(pr.ext.sent('settings/save').map((r) => r.patch)).toEqual([{ depth: 'quick' }]);
  });

  it('shows an error of a panel button that fails later (async) in the panel, not on the page', async () => {
    const pr = await openPullRequest((ext) => ext.answer('options/open', () => Promise.reject(new Error('no options page'))));
    const port = await pr.startReview();
    pr.send(port, { kind: 'review/failed', failure: { code: 'load-failed', message: 'The model did not load.', retryable: false } });
    await until(() => expect(pr.find('open-options')).not.toBeNull());
    press(pr.find('open-options'));
    await until(() => expect(pr.panel()?.textContent).toContain('Something went wrong in local-pr-review: no options page'));
    expect(pr.phase()).toBe('error');
  });
});
