import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../shared/settings';
import type { Piece } from './chunker';
import { runReview } from './pipeline';
import { loadCorpus } from './testing/corpus';
import { makeDiff, makeSpacedFile } from './testing/diff-builder';
import { REFERENCE_TOKENIZERS } from './testing/reference-tokenizers';
import { ScriptedEngine } from '../engine/scripted-engine';
import { plausibleResponder, requestKind } from './testing/scripts';
import { estimateTokens } from './token-budget';
import { CALIBRATION_MARGIN, UsageCalibration, lineEstimate, textKey } from './token-calibration';

const piece = (path: string, text: string): Piece => ({ id: `${path}#1`, path, part: 1, parts: 1, text, tokens: estimateTokens(text), cut: false });
const code = 'export function rateLimit(requests: number, windowMs: number) {\n  return requests / windowMs;\n}\n'.repeat(20);

describe('UsageCalibration', () => {
  it('learns the ratio of real to estimated tokens per file kind, times a margin', () => {
    const cal = new UsageCalibration();
    const p = piece('src/limit.ts', code);
    const messages = [{ role: 'user' as const, content: code }];
    expect(cal.calibrated).toBe(false);
    // Diff text is counted line by line, as chunks are packed (more than the text counted whole).
    expect(cal.pieceTokens(p)).toBe(lineEstimate(code));
    expect(lineEstimate(code)).toBeGreaterThan(estimateTokens(code));
    const real = Math.round(estimateTokens(code) * 0.55);
    expect(cal.observe(messages, [p], real)).toBe(true);
    expect(cal.scaleFor('src/limit.ts')).toBeCloseTo((real / lineEstimate(code)) * CALIBRATION_MARGIN, 6);
    // Calibrated, the piece counts as the real tokens plus the margin, no more.
    expect(cal.pieceTokens(p)).toBe(Math.ceil(real * CALIBRATION_MARGIN));
    // The instructions and unseen text keep the whole-text ratio, which is the larger.
    expect(cal.instructionScale()).toBeCloseTo((real / estimateTokens(code)) * CALIBRATION_MARGIN, 6);
    // The same observation again changes nothing: no re-plan needed.
    expect(cal.observe(messages, [p], real)).toBe(false);
  });

  it('keeps the safe estimate for a kind of text it has not seen, and the worst ratio for one it has', () => {
    const cal = new UsageCalibration();
    const src = piece('src/limit.ts', code);
    cal.observe([{ role: 'user', content: code }], [src], Math.round(estimateTokens(code) * 0.5));
    expect(cal.scaleFor('docs/readme.md')).toBe(1);
    // Another language of the same kind is another kind of text: Go is not calibrated by TypeScript.
    expect(cal.scaleFor('src/main.go')).toBe(1);
    expect(textKey('src/limit.ts')).toBe('source:.ts');
    expect(textKey('test/limit.test.ts')).toBe('test:.ts');
    cal.observe([{ role: 'user', content: code }], [src], Math.round(estimateTokens(code) * 0.6));
    cal.observe([{ role: 'user', content: code }], [src], Math.round(estimateTokens(code) * 0.4));
    expect(cal.scaleFor('src/limit.ts')).toBeCloseTo(((0.6 * estimateTokens(code)) / lineEstimate(code)) * CALIBRATION_MARGIN, 2);
  });

  it('ignores tiny prompts and nonsense, and grows its margin after an overflow', () => {
    const cal = new UsageCalibration();
    expect(cal.observe([{ role: 'user', content: 'short' }], [], 3)).toBe(false);
    expect(cal.observe([{ role: 'user', content: code }], [], Number.NaN)).toBe(false);
    cal.observe([{ role: 'user', content: code }], [piece('src/limit.ts', code)], Math.round(estimateTokens(code) * 0.5));
    const before = cal.scaleFor('src/limit.ts');
    cal.penalize();
    expect(cal.scaleFor('src/limit.ts')).toBeGreaterThan(before);
  });

  it('a tokenizer worse than the estimate makes every kind count more, never less', () => {
    const cal = new UsageCalibration();
    cal.observe([{ role: 'user', content: code }], [piece('src/a.ts', code)], Math.round(estimateTokens(code) * 1.3));
    expect(cal.scaleFor('docs/readme.md')).toBeGreaterThan(1.3);
  });
});

// Realistic diff lines (the corpus), regrouped into files of every kind, so chunks of a review
// differ in language and in the mix of code, prose and configuration.
const corpusLines = loadCorpus({ includeGithubFixtures: true })
  .flatMap((c) => c.text.split('\n'))
  .filter((l) => /^[+\- ]/.test(l) && !/^(\+\+\+|---) /.test(l));
const line = fc.constantFrom(...corpusLines);
const kindPath = fc.tuple(fc.constantFrom('src/{}.ts', 'lib/{}.go', 'test/{}.test.ts', 'docs/{}.md', 'config/{}.json'), fc.stringMatching(/^[a-z]{1,8}$/));
const arbFile = fc
  .tuple(kindPath, fc.array(fc.array(line, { minLength: 1, maxLength: 120 }), { minLength: 1, maxLength: 5 }))
  .map(([[pattern, name], hunks]) => makeSpacedFile(pattern.replace('{}', name), hunks, 12));

describe('usage calibration never overflows the context under the reference tokenizers (property)', () => {
  it.each(REFERENCE_TOKENIZERS.map((t) => [t.name, t] as const))('%s', async (_name, tok) => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbFile, { minLength: 1, maxLength: 10, selector: (f) => f.path }),
        fc.uniqueArray(arbFile, { minLength: 1, maxLength: 10, selector: (f) => f.path }),
        fc.constantFrom(2048, 4096, 8192, 16_384),
        async (first, second, contextWindow) => {
          // The engine has no tokenizer to offer (as web-llm and wllama): only the usage of each answer.
          const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow, tokenizer: (s) => tok.count(s), exposeTokenizer: false, deltaChars: 100_000 });
          const calibration = new UsageCalibration();
          const settings = { ...DEFAULT_SETTINGS, maxModelCalls: 200 };
          // Two reviews with one calibration, as the engine host keeps it per model.
          for (const files of [first, second]) {
            await runReview({ diff: makeDiff(files), settings, engine, calibration }, () => {}, new AbortController().signal);
          }
          for (const r of engine.requests) expect(engine.promptTokens(r) + r.maxTokens, requestKind(r)).toBeLessThanOrEqual(contextWindow);
        },
      ),
      { numRuns: 12, endOnFailure: true },
    );
  }, 240_000);
});
