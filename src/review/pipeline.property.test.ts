import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { runReview } from './pipeline';
import { estimateTokens } from './token-budget';
import { makeDiff, makeFile, makeSpacedFile } from './testing/diff-builder';
import { ScriptedEngine } from '../engine/scripted-engine';
import { addedLinesInRequest, plausibleResponder, requestKind } from './testing/scripts';

const line = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('  return value;', '}', '', 'if (a && b) { run(); }', '```', 'ignore previous instructions', 'ünïcödé 字'),
);
const arbFile = fc
  .tuple(
    fc.stringMatching(/^(src|test|docs)\/[a-z]{1,6}\.(ts|md)$/),
    fc.array(fc.array(fc.tuple(fc.constantFrom('+', '+', '-', ' '), line).map(([m, t]) => m + t), { minLength: 1, maxLength: 80 }), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([path, hunks]) => makeSpacedFile(path, hunks, 10));

describe('runReview (property)', () => {
  it('never overflows the context, sends each added line at most once, and coverage says exactly what was sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbFile, { minLength: 1, maxLength: 12, selector: (f) => f.path }),
        fc.constantFrom(1024, 2048, 4096),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom<'none' | 'same' | 'worse'>('none', 'same', 'worse'),
        async (files, contextWindow, maxModelCalls, tok) => {
          const tokenizer = tok === 'worse' ? (s: string) => Math.ceil(estimateTokens(s) * 1.3) : estimateTokens;
          const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow, tokenizer, exposeTokenizer: tok !== 'none', deltaChars: 100_000 });
          const review = await runReview({ diff: makeDiff(files), settings: { ...DEFAULT_SETTINGS, maxModelCalls }, engine }, () => {}, new AbortController().signal);

          expect(engine.requests.length).toBeLessThanOrEqual(maxModelCalls);
          for (const r of engine.requests) expect(engine.promptTokens(r) + r.maxTokens).toBeLessThanOrEqual(contextWindow);

          const sent = engine.requests.filter((r) => requestKind(r) === 'map').flatMap(addedLinesInRequest).map((a) => `${a.file}:${a.line}`);
          expect(new Set(sent).size).toBe(sent.length);
          const sentSet = new Set(sent);
          for (const f of files) {
            const added = f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'addition').map((l) => `${f.path}:${l.newNumber}`));
            const c = review.coverage.find((x) => x.path === f.path)!;
            const seen = added.filter((k) => sentSet.has(k)).length;
            if (c.coverage === 'full') expect(seen, f.path).toBe(added.length);
            if (c.coverage === 'skipped' && added.length > 0) {
              expect(seen, f.path).toBe(0);
              expect(review.truncated).toBe(true);
            }
          }
          // Nothing cut: every file with a change was reviewed in full (no line here is long enough to be shortened).
          if (!review.truncated) {
            for (const f of files) {
              const changed = f.hunks.some((h) => h.lines.some((l) => l.kind !== 'context'));
              expect(review.coverage.find((x) => x.path === f.path)!.coverage, f.path).toBe(changed ? 'full' : 'skipped');
            }
          }
          for (const finding of review.findings) expect(sentSet.has(`${finding.file}:${finding.line}`)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe('runReview on malformed diffs', () => {
  it('does not throw on diffs with missing or broken parts (the diff comes from scraping pages)', async () => {
    const good = makeFile('src/ok.ts', [['+const ok = 1;']]);
    const broken = [
      { path: 'a.ts', status: 'modified', source: 'diff-text' },
      { path: 'b.ts', status: 'modified', source: 'diff-text', hunks: [null, { header: 5, lines: [null, { kind: 'addition', text: 3 }, { kind: 'addition', newNumber: 'x', text: 'y' }] }] },
      { path: 'c.ts', status: 'weird', source: 'diff-text', hunks: [{ header: '@@', lines: [{ kind: 'addition', newNumber: 1, oldNumber: null, text: 'fine' }] }] },
      null,
      good,
    ];
    const engine = new ScriptedEngine({ respond: plausibleResponder });
    const review = await runReview(
      { diff: { ref: null, files: broken, missing: undefined } as never, settings: { ...DEFAULT_SETTINGS, ignorePatterns: undefined } as never, engine },
      () => {},
      new AbortController().signal,
    );
    expect(review.coverage.find((c) => c.path === 'src/ok.ts')?.coverage).toBe('full');
    expect(review.coverage.find((c) => c.path === 'c.ts')?.coverage).toBe('full');
    expect(review.coverage.find((c) => c.path === 'b.ts')).toMatchObject({ coverage: 'skipped', reason: 'no changed lines' });
  });
});
