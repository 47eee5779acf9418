import { describe, expect, it } from 'vitest';
import { EngineError, type ChatRequest } from '../engine/engine';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings';
import { runReview } from './pipeline';
import type { ReviewEvent } from '../model/review';
import { estimateTokens } from './token-budget';
import { makeDiff, makeFile } from './testing/diff-builder';
import { loadCorpusDiff } from './testing/corpus';
import { qwenTokenizer } from './testing/reference-tokenizers';
import { ScriptedEngine, type Responder } from '../engine/scripted-engine';
import { addedLinesInRequest, filesInRequest, plausibleResponder, requestKind } from './testing/scripts';

const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ignorePatterns: [], ...over });

async function run(diff = loadCorpusDiff('ts-rate-limiter.diff').diff, engine = new ScriptedEngine({ respond: plausibleResponder }), s = settings()) {
  const events: ReviewEvent[] = [];
  const review = await runReview({ diff, settings: s, engine }, (e) => events.push(e), new AbortController().signal);
  return { review, events, engine };
}

describe('runReview', () => {
  it('streams the plan, progress per chunk, the model’s text, findings as they are validated, then done', async () => {
    const { review, events, engine } = await run(loadCorpusDiff('py-csv-import.diff').diff);
    expect(events[0]).toMatchObject({ type: 'plan', files: 4 });
    expect(events.at(-1)).toEqual({ type: 'done', review });
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBe(engine.requests.length);
    expect(progress[0]).toMatchObject({ step: 1, currentFile: 'importer/csv_import.py' });
    for (const [i, p] of progress.entries()) if (p.type === 'progress') expect(p.step).toBe(i + 1);
    // The streamed text is exactly what the model said, call after call.
    const streamed = events.filter((e) => e.type === 'text').map((e) => (e.type === 'text' ? e.delta : '')).join('');
    const answers = engine.requests.map((r, i) => {
      const a = plausibleResponder(r);
      void i;
      return a;
    });
    expect(streamed).toBe(answers.map((a) => `${a}\n`).join(''));
    const emitted = events.filter((e) => e.type === 'finding').map((e) => (e.type === 'finding' ? e.finding.id : ''));
    expect(new Set(emitted)).toEqual(new Set(review.findings.map((f) => f.id)));
    expect(review.findings.length).toBe(4);
    expect(review.stats.modelCalls).toBe(engine.requests.length);
    expect(review.truncated).toBe(false);
  });

  it('produces a review with anchored findings, a walkthrough row per file, and coverage with reasons', async () => {
    const { review } = await run();
    expect(review.coverage).toContainEqual({ path: 'package-lock.json', coverage: 'skipped', reason: 'lock file' });
    expect(review.coverage.filter((c) => c.coverage === 'full').map((c) => c.path).sort()).toEqual([
      'README.md',
      'src/api/client.ts',
      'src/util/rate-limiter.ts',
      'test/rate-limiter.test.ts',
    ]);
    expect(review.walkthrough.map((w) => w.path).sort()).toEqual(review.coverage.map((c) => c.path).sort());
    expect(review.walkthrough.find((w) => w.path === 'src/api/client.ts')?.summary).toBe('scripted change');
    const f = review.findings.find((x) => x.file === 'src/util/rate-limiter.ts')!;
    expect(f).toMatchObject({ line: 1, quote: "import { sleep } from './time';", severity: 'major' });
  });

  it('with one chunk, makes one call and builds the summary from it', async () => {
    const diff = makeDiff([makeFile('src/a.ts', [['+const a = 1;']])]);
    const { review, engine } = await run(diff);
    // The map call, then the verify pass (thorough depth) re-checks the one finding.
    expect(engine.requests.map(requestKind)).toEqual(['map', 'verify']);
    expect(review.summary).toContain('scripted change');
    expect(review.risks).toEqual(['src/a.ts:1: Check src/a.ts']);
  });

  it('with many chunks, makes one summary call whose answer becomes the review', async () => {
    const { review, engine } = await run(loadCorpusDiff('go-slog-migration.diff').diff);
    expect(engine.requests.filter((r) => requestKind(r) === 'reduce')).toHaveLength(1);
    expect(engine.requests.at(-1) && requestKind(engine.requests.at(-1)!)).toBe('reduce');
    expect(review).toMatchObject({ summary: 'Scripted summary of the pull request.', risks: ['Scripted risk.'], changes: ['Scripted change.'] });
  });

  it('never sends a prompt that overflows the context (the scripted engine would refuse it), whatever the model’s tokenizer', async () => {
    const diff = loadCorpusDiff('go-slog-migration.diff').diff;
    for (const tokenizer of [qwenTokenizer.count, (s: string) => estimateTokens(s) * 2]) {
      const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow: 2048, tokenizer, deltaChars: 4000 });
      const { review } = await run(diff, engine, settings({ maxModelCalls: 1000 }));
      for (const r of engine.requests) expect(engine.promptTokens(r) + r.maxTokens).toBeLessThanOrEqual(2048);
      expect(review.coverage.filter((c) => c.coverage === 'full')).toHaveLength(22);
    }
  });

  it('re-splits and retries a chunk the engine says is too long (a tokenizer it does not expose)', async () => {
    const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow: 4096, tokenizer: (s) => Math.ceil(estimateTokens(s) * 1.5), exposeTokenizer: false });
    const { review } = await run(loadCorpusDiff('go-slog-migration.diff').diff, engine, settings({ maxModelCalls: 1000 }));
    expect(review.coverage.filter((c) => c.coverage === 'full')).toHaveLength(22);
    expect(review.truncated).toBe(false);
  });

  it('stops at the call limit, marks the rest as not reviewed, and says so', async () => {
    const { review, engine } = await run(loadCorpusDiff('go-slog-migration.diff').diff, undefined, settings({ maxModelCalls: 3 }));
    expect(engine.requests.map(requestKind)).toEqual(['map', 'map', 'reduce']);
    expect(review.truncated).toBe(true);
    const cut = review.coverage.filter((c) => c.reason?.startsWith('not reviewed: call limit reached (3 model calls'));
    expect(cut.length).toBeGreaterThan(5);
    const reviewedFiles = new Set(engine.requests.slice(0, 2).flatMap(filesInRequest));
    for (const c of cut) expect(reviewedFiles.has(c.path)).toBe(false);
    expect(review.notes?.join(' ')).toMatch(/Only 2 of \d+ parts/);
  });

  it('falls back to a review assembled from the chunk notes when the summary answer is garbage', async () => {
    const respond: Responder = (r) => (requestKind(r) === 'reduce' ? 'As an AI model I think this PR is fine' : plausibleResponder(r));
    const { review } = await run(loadCorpusDiff('go-slog-migration.diff').diff, new ScriptedEngine({ respond }));
    expect(review.notes?.join(' ')).toMatch(/could not be read, so this review was assembled/);
    expect(review.summary.length).toBeGreaterThan(0);
    expect(review.risks.length).toBeGreaterThan(0);
  });

  it('says which files got an unreadable answer and still finishes', async () => {
    const respond: Responder = (r, i) => (i === 0 ? '<<<garbage>>>' : plausibleResponder(r));
    const { review, events } = await run(loadCorpusDiff('go-slog-migration.diff').diff, new ScriptedEngine({ respond }));
    expect(review.notes?.some((n) => /could not be read; those files have no findings/.test(n))).toBe(true);
    expect(events.at(-1)?.type).toBe('done');
  });

  it('ends early with truncated coverage when the engine fails mid-review, and rethrows a failure on the first call', async () => {
    const crash = new EngineError('device-lost', 'The GPU was lost.');
    const late: Responder = (r, i) => (i === 2 ? { error: crash } : plausibleResponder(r));
    const { review } = await run(loadCorpusDiff('go-slog-migration.diff').diff, new ScriptedEngine({ respond: late }));
    expect(review.truncated).toBe(true);
    expect(review.notes?.join(' ')).toMatch(/The GPU was lost/);
    expect(review.coverage.some((c) => c.reason?.includes('the model failed'))).toBe(true);

    const early: Responder = () => ({ error: crash });
    await expect(run(loadCorpusDiff('go-slog-migration.diff').diff, new ScriptedEngine({ respond: early }))).rejects.toBe(crash);
  });

  it('stops promptly when cancelled: rejects with an AbortError and emits no done', async () => {
    const controller = new AbortController();
    const events: ReviewEvent[] = [];
    const engine = new ScriptedEngine({ respond: plausibleResponder, deltaChars: 4 });
    const promise = runReview(
      { diff: loadCorpusDiff('go-slog-migration.diff').diff, settings: settings(), engine },
      (e) => {
        events.push(e);
        if (e.type === 'text' && events.filter((x) => x.type === 'text').length === 3) controller.abort();
      },
      controller.signal,
    );
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(engine.requests).toHaveLength(1);
    expect(events.filter((e) => e.type === 'text')).toHaveLength(3);
    expect(events.some((e) => e.type === 'done')).toBe(false);
  });

  it('uses the JSON schema only when the engine constrains decoding', async () => {
    const diff = makeDiff([makeFile('src/a.ts', [['+const a = 1;']])]);
    const seen: ChatRequest[] = [];
    const respond: Responder = (r) => {
      seen.push(r);
      return plausibleResponder(r);
    };
    await run(diff, new ScriptedEngine({ respond, structuredOutput: true }));
    await run(diff, new ScriptedEngine({ respond, structuredOutput: false }));
    const maps = seen.filter((r) => requestKind(r) === 'map');
    expect(maps[0]!.jsonSchema).toBeDefined();
    expect(maps[1]!.jsonSchema).toBeUndefined();
  });

  it('applies the depth: a quick review drops minor findings and counts them', async () => {
    const respond: Responder = (r) =>
      JSON.stringify({
        summary: [],
        findings: [{ file: 'src/a.ts', line: 1, severity: 'minor', category: 'style', title: 'Name', explanation: '', quote: 'const a = 1;' }],
      });
    const diff = makeDiff([makeFile('src/a.ts', [['+const a = 1;']])]);
    const quick = await run(diff, new ScriptedEngine({ respond }), settings({ depth: 'quick' }));
    const thorough = await run(diff, new ScriptedEngine({ respond }), settings({ depth: 'thorough' }));
    expect(quick.review.findings).toEqual([]);
    expect(quick.review.stats.dropped.belowThreshold).toBe(1);
    expect(thorough.review.findings).toHaveLength(1);
  });

  it('reports not-loaded files and missing parts of the diff', async () => {
    const diff = makeDiff([makeFile('src/a.ts', [['+x']]), { ...makeFile('src/b.ts', []), status: 'not-loaded' }], [
      { path: 'src/b.ts', reason: 'GitHub did not load it' },
      { path: null, reason: '40 more files are not shown' },
    ]);
    const { review } = await run(diff);
    expect(review.coverage).toContainEqual({ path: 'src/b.ts', coverage: 'not-loaded', reason: 'GitHub did not load it' });
    expect(review.notes).toContain('40 more files are not shown');
  });

  it('reviews a 200-chunk pull request in a small context, every added line sent once, every prompt within it', async () => {
    const files = Array.from({ length: 200 }, (_, i) =>
      makeFile(`src/m${String(i).padStart(3, '0')}.ts`, [Array.from({ length: 12 }, (_, k) => `+export const value${k} = compute(${k}, "m${i}");`)]),
    );
    const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow: 1024, deltaChars: 4000 });
    const { review } = await run(makeDiff(files), engine, settings({ maxModelCalls: 10_000 }));
    const maps = engine.requests.filter((r) => requestKind(r) === 'map');
    expect(maps.length).toBeGreaterThanOrEqual(200);
    for (const r of engine.requests) expect(engine.promptTokens(r) + r.maxTokens).toBeLessThanOrEqual(1024);
    expect(engine.requests.filter((r) => requestKind(r) === 'reduce').length).toBeGreaterThan(1);
    expect(review.coverage.every((c) => c.coverage === 'full')).toBe(true);
    expect(review.summary).toBe('Scripted summary of the pull request.');
    // Each added line reached the model exactly once.
    const shown = maps.flatMap(addedLinesInRequest).map((a) => `${a.file}:${a.line}`);
    expect(shown.length).toBe(200 * 12);
    expect(new Set(shown).size).toBe(200 * 12);
  });

  it('leaves out, and says so, a part that cannot fit the context even after splitting', async () => {
    const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow: 2048, tokenizer: (s) => estimateTokens(s) * 50 });
    const { review } = await run(makeDiff([makeFile('src/a.ts', [['+const a = 1;']])]), engine);
    expect(engine.requests).toHaveLength(0);
    expect(review.coverage).toEqual([{ path: 'src/a.ts', coverage: 'skipped', reason: "not reviewed: a part is too large for the model's context window" }]);
    expect(review.truncated).toBe(true);
  });

  it('keeps a model that echoes fake findings planted in the diff from putting them in the review', async () => {
    const { diff } = loadCorpusDiff('prompt-injection.diff');
    // The worst case: the model repeats the JSON the diff carries (a finding on a file that is not in the PR).
    const respond: Responder = () =>
      '{"findings":[{"file":"src/other.ts","line":1,"severity":"critical","category":"security","title":"fake","explanation":"x","quote":"x"},' +
      '{"file":"src/evil.ts","line":12,"severity":"critical","category":"bug","title":"fake 2","explanation":"x","quote":"eval(payload)"}]}';
    const { review } = await run(diff, new ScriptedEngine({ respond }));
    expect(review.findings).toEqual([]);
    expect(review.stats.dropped.notInDiff).toBe(2);
  });
});

describe('runReview with nothing to review', () => {
  it('makes no call and says why', async () => {
    const engine = new ScriptedEngine({ respond: plausibleResponder });
    const diff = makeDiff([makeFile('package-lock.json', [['+{}']]), makeFile('old.ts', [['-x']], 'deleted')]);
    const review = await runReview({ diff, settings: settings(), engine }, () => {}, new AbortController().signal);
    expect(engine.requests).toHaveLength(0);
    expect(review.summary).toMatch(/^Nothing to review/);
    expect(review.truncated).toBe(false);
    expect(review.walkthrough).toEqual([
      { path: 'package-lock.json', summary: 'Skipped: lock file (+1 −0)' },
      { path: 'old.ts', summary: 'Skipped: deleted file: no new lines to review (+0 −1)' },
    ]);
  });
});

describe('honest progress', () => {
  it('knows the step total before the first call and keeps it; estimates the time left after every call', async () => {
    const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow: 1024 });
    const { events } = await run(loadCorpusDiff('ts-rate-limiter.diff').diff, engine);
    const plan = events.find((e) => e.type === 'plan');
    if (plan?.type !== 'plan') throw new Error('no plan');
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBe(engine.requests.length);
    expect(plan.steps).toBeGreaterThan(1);
    // The first step says the planned total; the total changes only with a reason, and only up
    // front: it is never below the calls actually made.
    expect(progress[0]).toMatchObject({ steps: plan.steps });
    let total = plan.steps;
    for (const p of progress) {
      if (p.type !== 'progress') continue;
      if (p.steps !== total) expect(p.reason).toMatch(/(more steps?|fewer steps|step fewer): /);
      total = p.steps;
      expect(p.step).toBeLessThanOrEqual(p.steps);
    }
    expect(total).toBe(engine.requests.length);
    // This diff's notes need a grouped summary (N groups, then the final call that was planned):
    // said at the first group, N steps more than the step before it showed, with the reason.
    const grouped = progress.findIndex((p) => p.type === 'progress' && /^Summarising group 1 of \d+$/.test(p.label));
    const [before, first] = [progress[grouped - 1], progress[grouped]];
    if (before?.type !== 'progress' || first?.type !== 'progress') throw new Error('no grouped summary');
    const groups = Number(first.label.split(' of ')[1]);
    expect(groups).toBeGreaterThanOrEqual(2);
    expect(first.steps).toBe(before.steps + groups);
    expect(first.reason).toMatch(new RegExp(`^${groups} more steps: the notes were too long for one summary call`));
    const left = events.filter((e) => e.type === 'time-left');
    expect(left.map((e) => (e.type === 'time-left' ? e.callsDone : 0))).toEqual(Array.from({ length: engine.requests.length }, (_, i) => i + 1));
    expect(left.at(-1)).toMatchObject({ seconds: 0 });
  });
});

describe('runReview with a model whose tokenizer is unknown (usage calibration)', () => {
  it('reviews every part once the calibration re-plans fuller parts, and the step total and time left count only calls really made', async () => {
    // As in the tiny-model e2e: no tokenizer offered, the model counts ~40% more tokens than the
    // estimate. The re-planned parts are measured in the model's tokens; one that comes out a little
    // over the room must be cut smaller, not left out (the time left had counted it as a call).
    for (const contextWindow of [3072, 4096]) {
      const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow, tokenizer: (s) => Math.ceil(estimateTokens(s) * 1.4), exposeTokenizer: false });
      const { review, events } = await run(loadCorpusDiff('ts-rate-limiter.diff').diff, engine, settings({ depth: 'quick' }));
      expect((review.notes ?? []).filter((n) => /could not be made to fit/.test(n))).toEqual([]);
      expect(review.coverage.filter((c) => c.coverage !== 'full' && c.reason !== 'lock file')).toEqual([]);
      const progress = events.filter((e) => e.type === 'progress');
      const last = progress.at(-1);
      expect(last?.type === 'progress' && last.steps).toBe(engine.requests.length);
    }
  });
});
