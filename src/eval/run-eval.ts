/**
 * Runs cases through the review pipeline (src/review/pipeline.ts, the code the extension runs)
 * with an engine, and scores every answer. Pure apart from the engine: the CLI is scripts/eval.ts.
 */
import type { Engine } from '../engine/engine';
import { runReview } from '../review/pipeline';
import type { Finding } from '../model/review';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings';
import type { EvalCase } from './corpus';
import { meanDefined, overallScore, scoreCase, severityScores, type CaseScore, type Overall, type SeverityScore } from './score';
import type { Severity } from '../model/review';

/** A case's scores (per run, the counts and time summed over runs), without the pairing detail. */
export interface CaseResult extends Omit<CaseScore, 'pairs'> {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  ms: number;
  errors?: string[];
}

export interface Cost {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  wallMs: number;
  /** What the verify pass cost of the above, and what it did. */
  verify: { calls: number; promptTokens: number; completionTokens: number; checked: number; rejected: number };
}

export interface EvalReport {
  verify: 'on' | 'off';
  runs: number;
  cases: CaseResult[];
  overall: Overall;
  severity: Record<Severity, SeverityScore>;
  cost: Cost;
}

export interface EvalOptions {
  runs: number;
  verify: boolean;
  settings?: Partial<Settings>;
  /** The engine for a case (reference engines answer per case; a model engine is shared). */
  engineFor: (c: EvalCase) => Engine;
  onCase?: (r: CaseResult, index: number, total: number) => void;
  signal?: AbortSignal;
}


export function evalSettings(verify: boolean, extra: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, ignorePatterns: [], depth: 'thorough', ...extra, verifyFindings: verify };
}

class Tally {
  readonly results: CaseResult[] = [];
  readonly pooled: { findings: Finding[]; truth: EvalCase['issues']; score: CaseScore }[] = [];
  readonly cost: Cost = { calls: 0, promptTokens: 0, completionTokens: 0, wallMs: 0, verify: { calls: 0, promptTokens: 0, completionTokens: 0, checked: 0, rejected: 0 } };
  private scores: CaseScore[] = [];
  private current: CaseResult | null = null;

  startCase(c: EvalCase): void {
    this.scores = [];
    this.current = { id: c.id, precision: null, recall: null, f1: null, findings: 0, issues: c.issues.length, matched: 0, calls: 0, promptTokens: 0, completionTokens: 0, ms: 0 };
  }

  addRun(c: EvalCase, findings: Finding[], ms: number, used: { calls: number; promptTokens: number; completionTokens: number }, error?: string): void {
    const r = this.current!;
    const s = scoreCase(c.id, findings, c.issues, c.diff.files.map((f) => f.path));
    this.scores.push(s);
    this.pooled.push({ findings, truth: c.issues, score: s });
    r.calls += used.calls;
    r.promptTokens += used.promptTokens;
    r.completionTokens += used.completionTokens;
    r.ms += ms;
    if (error) (r.errors ??= []).push(error);
  }

  endCase(c: EvalCase): CaseResult {
    const r = this.current!;
    // Over runs: the mean of the defined values (a clean case is null only if no run found anything).
    const m = (xs: (number | null)[]) => (xs.every((x) => x === null) ? null : meanDefined(xs));
    r.precision = m(this.scores.map((s) => s.precision));
    r.recall = c.issues.length === 0 ? null : m(this.scores.map((s) => s.recall ?? 0));
    r.f1 = m(this.scores.map((s) => s.f1));
    r.findings = this.scores.reduce((a, s) => a + s.findings, 0);
    r.matched = this.scores.reduce((a, s) => a + s.matched, 0);
    this.cost.calls += r.calls;
    this.cost.promptTokens += r.promptTokens;
    this.cost.completionTokens += r.completionTokens;
    this.results.push(r);
    return r;
  }

  report(verify: 'on' | 'off', runs: number, wallMs: number): EvalReport {
    const asScores: CaseScore[] = this.results.map((r) => ({ ...r, pairs: [] }));
    return { verify, runs, cases: this.results, overall: overallScore(asScores), severity: severityScores(this.pooled), cost: { ...this.cost, wallMs } };
  }
}

/**
 * With the verify pass on, one run scores both: the findings the map calls produced (streamed as
 * `finding` events, before the pass) as "off", and the review's final findings as "on"; the "off"
 * cost leaves out the verify calls. So the comparison is paired and costs no extra map calls.
 */
export async function evaluate(cases: readonly EvalCase[], opts: EvalOptions): Promise<{ on?: EvalReport; off: EvalReport }> {
  const started = Date.now();
  const settings = evalSettings(opts.verify, opts.settings);
  const signal = opts.signal ?? new AbortController().signal;
  const on = new Tally();
  const off = new Tally();
  for (const [index, c] of cases.entries()) {
    on.startCase(c);
    off.startCase(c);
    for (let run = 0; run < opts.runs; run++) {
      const t0 = Date.now();
      const streamed: Finding[] = [];
      try {
        const review = await runReview({ diff: c.diff, settings, engine: opts.engineFor(c) }, (e) => (e.type === 'finding' ? streamed.push(e.finding) : 0), signal);
        const st = review.stats;
        const v = st.verify ?? { calls: 0, promptTokens: 0, completionTokens: 0, checked: 0, rejected: 0, unchecked: 0 };
        const ms = Date.now() - t0;
        // A review that could not call the model at all (context too small, ...) is a failure to report.
        const nothing = st.modelCalls === 0 ? (review.notes?.[0] ?? 'Nothing was reviewed.') : undefined;
        on.addRun(c, review.findings, ms, { calls: st.modelCalls, promptTokens: st.promptTokens, completionTokens: st.completionTokens }, nothing);
        off.addRun(c, opts.verify ? streamed : review.findings, ms, {
          calls: st.modelCalls - v.calls,
          promptTokens: st.promptTokens - v.promptTokens,
          completionTokens: st.completionTokens - v.completionTokens,
        }, nothing);
        on.cost.verify.calls += v.calls;
        on.cost.verify.promptTokens += v.promptTokens;
        on.cost.verify.completionTokens += v.completionTokens;
        on.cost.verify.checked += v.checked;
        on.cost.verify.rejected += v.rejected;
      } catch (e) {
        if (signal.aborted) throw e;
        // A failed review found nothing: it is scored as such, and the error is reported.
        const message = e instanceof Error ? e.message : String(e);
        const none = { calls: 0, promptTokens: 0, completionTokens: 0 };
        on.addRun(c, [], Date.now() - t0, none, message);
        off.addRun(c, [], Date.now() - t0, none, message);
      }
    }
    off.endCase(c);
    const r = on.endCase(c);
    opts.onCase?.(r, index, cases.length);
  }
  const wall = Date.now() - started;
  return opts.verify ? { on: on.report('on', opts.runs, wall), off: off.report('off', opts.runs, wall) } : { off: off.report('off', opts.runs, wall) };
}
