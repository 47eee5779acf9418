import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadCases } from './corpus';
import { emptyEngine, oracleEngine } from './reference-engines';
import { evaluate } from './run-eval';
import { lineGap, matchFindings, overallScore, resolvePath, scoreCase, type ScoredFinding, type TruthIssue } from './score';

const CORPORA = resolve(import.meta.dirname, '../../eval/corpora');

const issue = (over: Partial<TruthIssue> = {}): TruthIssue => ({
  id: 'i1',
  file: 'src/app.ts',
  lineStart: 10,
  lineEnd: 12,
  severity: 'major',
  category: 'bug',
  title: 'Bug',
  ...over,
});
const finding = (line: number, over: Partial<ScoredFinding> = {}): ScoredFinding => ({ file: 'src/app.ts', line, severity: 'major', ...over });

describe('matching', () => {
  it('matches lines shifted by up to 3 from the truth range, not by 4', () => {
    const t = [issue()];
    expect(scoreCase('c', [finding(7)], t).matched).toBe(1);
    expect(scoreCase('c', [finding(15)], t).matched).toBe(1);
    expect(scoreCase('c', [finding(6)], t).matched).toBe(0);
    expect(scoreCase('c', [finding(16)], t).matched).toBe(0);
    // A range that ends 3 lines before the truth still touches it.
    expect(scoreCase('c', [finding(2, { endLine: 7 })], t).matched).toBe(1);
    expect(lineGap({ line: 2, endLine: 6 }, t[0]!)).toBe(4);
  });

  it('does not count a duplicate twice: the second finding on one issue is a false positive', () => {
    const s = scoreCase('c', [finding(10), finding(11), finding(12)], [issue()]);
    expect(s.matched).toBe(1);
    expect(s.recall).toBe(1);
    expect(s.precision).toBeCloseTo(1 / 3);
  });

  it('pairs greedily, closest first, one to one', () => {
    const truth = [issue({ id: 'a', lineStart: 10, lineEnd: 10 }), issue({ id: 'b', lineStart: 13, lineEnd: 13 })];
    // The finding on 12 is nearer b (1 line) than a (2 lines); the one on 10 takes a.
    expect(matchFindings([finding(12), finding(10)], truth)).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('a wrong file does not match, whatever the lines', () => {
    expect(scoreCase('c', [finding(10, { file: 'src/other.ts' })], [issue()], ['src/app.ts', 'src/other.ts']).matched).toBe(0);
    expect(scoreCase('c', [finding(10, { file: 'lib/app.ts' })], [issue()]).matched).toBe(0);
  });

  it('accepts the path or a unique suffix of it, not an ambiguous one', () => {
    expect(resolvePath('app.ts', ['src/app.ts'])).toBe('src/app.ts');
    expect(resolvePath('b/src/app.ts', ['src/app.ts'])).toBe('src/app.ts');
    expect(resolvePath('app.ts', ['src/app.ts', 'test/app.ts'])).toBeNull();
    expect(resolvePath('pp.ts', ['src/app.ts'])).toBeNull();
    expect(scoreCase('c', [finding(10, { file: 'app.ts' })], [issue()], ['src/app.ts']).matched).toBe(1);
    expect(scoreCase('c', [finding(10, { file: 'app.ts' })], [issue()], ['src/app.ts', 'test/app.ts']).matched).toBe(0);
  });
});

describe('scores', () => {
  it('a clean case scores only when the reviewer reports something, and then 0', () => {
    expect(scoreCase('clean', [], [])).toMatchObject({ precision: null, recall: null, f1: null });
    expect(scoreCase('clean', [finding(3)], [])).toMatchObject({ precision: 0, recall: null, f1: 0 });
  });

  it('overall is the mean over cases; a silent clean case neither helps nor hurts, a noisy one hurts', () => {
    const hit = scoreCase('a', [finding(10)], [issue()]);
    const half = scoreCase('b', [finding(10), finding(40)], [issue()]);
    const silentClean = scoreCase('c', [], []);
    const noisyClean = scoreCase('d', [finding(1)], []);
    expect(overallScore([hit, half, silentClean])).toMatchObject({ precision: 0.75, recall: 1, cases: 3, casesWithIssues: 2, cleanPassed: 1, cleanCases: 1 });
    expect(overallScore([hit, half, silentClean, noisyClean]).precision).toBeCloseTo(0.5);
  });

  it('the reference engines through the real pipeline: oracle scores 1.0 and empty 0 over the committed corpora', async () => {
    const cases = loadCases(CORPORA);
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const oracle = await evaluate(cases, { runs: 1, verify: true, engineFor: (c) => oracleEngine(c) });
    for (const r of [oracle.on!, oracle.off]) {
      expect(r.overall).toMatchObject({ precision: 1, recall: 1, f1: 1, cases: cases.length });
      expect(r.cases.filter((c) => c.issues > 0).every((c) => c.f1 === 1)).toBe(true);
    }
    expect(oracle.on!.cost.verify.calls).toBe(cases.reduce((n, c) => n + c.issues.length, 0));
    const empty = await evaluate(cases, { runs: 1, verify: false, engineFor: () => emptyEngine() });
    expect(empty.off.overall).toMatchObject({ precision: 0, recall: 0, f1: 0, cases: cases.length });
  });

  it('the oracle in the long map format (still read: small models write it) scores 1.0 too', async () => {
    const cases = loadCases(CORPORA);
    const long = await evaluate(cases, { runs: 1, verify: false, engineFor: (c) => oracleEngine(c, 'long') });
    expect(long.off.overall).toMatchObject({ precision: 1, recall: 1, f1: 1, cases: cases.length });
  });

  it('scores the pass off and on from one run: a verifier that rejects everything keeps recall with the pass off only', async () => {
    const cases = loadCases(resolve(CORPORA, 'shim52'));
    // The oracle's map answers, and "not real" to every check.
    const doubter = (c: (typeof cases)[number]) => {
      const o = oracleEngine(c);
      return {
        ...o,
        kind: o.kind,
        modelId: 'doubter',
        load: o.load.bind(o),
        capabilities: o.capabilities.bind(o),
        unload: o.unload.bind(o),
        async *chat(request: Parameters<typeof o.chat>[0], signal: AbortSignal) {
          if (request.messages[0]!.content.startsWith('You check one finding')) yield { type: 'delta' as const, text: '{"real": false, "confidence": 0.9}' };
          else yield* o.chat(request, signal);
        },
      };
    };
    const r = await evaluate(cases, { runs: 2, verify: true, engineFor: doubter });
    expect(r.off.overall.recall).toBe(1);
    expect(r.on!.overall.recall).toBe(0);
    const issues = cases.reduce((n, c) => n + c.issues.length, 0);
    expect(r.on!.cost.verify).toMatchObject({ checked: 2 * issues, rejected: 2 * issues, calls: 2 * issues });
    // Two runs: counts are summed, scores averaged; the "off" cost leaves the verify calls out.
    expect(r.off.cases.reduce((n, c) => n + c.matched, 0)).toBe(2 * issues);
    expect(r.on!.cost.calls - r.off.cost.calls).toBe(2 * issues);
  });
});
