/**
 * Token efficiency of the review pipeline: prompt tokens sent per token of reviewable diff.
 *
 *   npx tsx scripts/bench/tokens.ts [--json]
 *
 * Method (also in docs/review-pipeline.md): for each diff of the corpus (e2e/fixtures/diffs plus
 * the exact diffs saved beside the GitHub pages; the prompt-injection diff is left out as not
 * realistic), run the real pipeline against the scripted engine with a 4096-token context and
 * count every prompt it sends with the Qwen2.5 tokenizer (message contents; the chat template's
 * few tokens per message are not counted, for either side). "Reviewable diff" is the unified diff
 * text of the files the filter keeps, counted with the same tokenizer. Map calls and the summary
 * (reduce) call are reported apart and together. The baseline sends each kept file's whole
 * unified diff with a short generic prompt, one call per file, as the browser extensions that
 * came before do (and ignores that big files would not fit a 4096 context).
 */
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { unifiedText } from '../../src/review/diff-format';
import { runReview } from '../../src/review/pipeline';
import { planReview } from '../../src/review/plan';
import { loadCorpus } from '../../src/review/testing/corpus';
import { qwenTokenizer } from '../../src/review/testing/reference-tokenizers';
import { ScriptedEngine } from '../../src/engine/scripted-engine';
import { plausibleResponder, requestKind } from '../../src/review/testing/scripts';

const BASELINE_PROMPT =
  'You are an expert code reviewer. Review the following diff of one file from a pull request. ' +
  'List bugs, security problems and improvements, each with its line number, then summarise the change.';

const CONTEXT = 4096;

interface Row {
  diff: string;
  files: number;
  reviewableDiffTokens: number;
  mapCalls: number;
  reduceCalls: number;
  mapPromptTokens: number;
  reducePromptTokens: number;
  /** Map prompts / reviewable diff. */
  mapRatio: number;
  /** All prompts (map + reduce) / reviewable diff. */
  totalRatio: number;
  /** Same, when the engine offers no tokenizer and the pipeline relies on its estimate alone. */
  estimateOnlyTotalRatio: number;
  baselineCalls: number;
  baselinePromptTokens: number;
  baselineRatio: number;
}

async function measure(settings: Settings, diff: Parameters<typeof runReview>[0]['diff'], exposeTokenizer: boolean) {
  const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow: CONTEXT, tokenizer: qwenTokenizer.count, exposeTokenizer, deltaChars: 100_000 });
  await runReview({ diff, settings, engine }, () => {}, new AbortController().signal);
  const tokens = (kind: string) =>
    engine.requests.filter((r) => requestKind(r) === kind).reduce((a, r) => a + r.messages.reduce((b, m) => b + qwenTokenizer.count(m.content), 0), 0);
  return {
    mapCalls: engine.requests.filter((r) => requestKind(r) === 'map').length,
    reduceCalls: engine.requests.filter((r) => requestKind(r) === 'reduce').length,
    map: tokens('map'),
    reduce: tokens('reduce'),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export async function benchTokens(): Promise<Record<string, unknown>> {
  const settings: Settings = { ...DEFAULT_SETTINGS, ignorePatterns: [], maxModelCalls: 1000 };
  const rows: Row[] = [];
  for (const { name, diff } of loadCorpus({ includeGithubFixtures: true })) {
    const plan = planReview(diff, settings, { contextWindow: CONTEXT });
    const reviewableDiffTokens = plan.reviewable.reduce((a, f) => a + qwenTokenizer.count(unifiedText(f)), 0);
    if (reviewableDiffTokens === 0) continue;
    const exact = await measure(settings, diff, true);
    const estimated = await measure(settings, diff, false);
    const baselinePromptTokens = plan.reviewable.reduce((a, f) => a + qwenTokenizer.count(BASELINE_PROMPT) + qwenTokenizer.count(unifiedText(f)), 0);
    rows.push({
      diff: name,
      files: plan.reviewable.length,
      reviewableDiffTokens,
      mapCalls: exact.mapCalls,
      reduceCalls: exact.reduceCalls,
      mapPromptTokens: exact.map,
      reducePromptTokens: exact.reduce,
      mapRatio: round(exact.map / reviewableDiffTokens),
      totalRatio: round((exact.map + exact.reduce) / reviewableDiffTokens),
      estimateOnlyTotalRatio: round((estimated.map + estimated.reduce) / reviewableDiffTokens),
      baselineCalls: plan.reviewable.length,
      baselinePromptTokens,
      baselineRatio: round(baselinePromptTokens / reviewableDiffTokens),
    });
  }
  const sum = (k: keyof Row) => rows.reduce((a, r) => a + (r[k] as number), 0);
  const diffTokens = sum('reviewableDiffTokens');
  return {
    tokenizer: qwenTokenizer.name,
    contextWindow: CONTEXT,
    rows,
    corpus: {
      reviewableDiffTokens: diffTokens,
      mapRatio: round(sum('mapPromptTokens') / diffTokens),
      totalRatio: round((sum('mapPromptTokens') + sum('reducePromptTokens')) / diffTokens),
      baselineRatio: round(sum('baselinePromptTokens') / diffTokens),
      calls: sum('mapCalls') + sum('reduceCalls'),
      baselineCalls: sum('baselineCalls'),
    },
  };
}

function printTable(result: Awaited<ReturnType<typeof benchTokens>>): void {
  const rows = result.rows as Row[];
  const head = ['diff', 'files', 'diff tok', 'calls', 'map tok', 'reduce tok', 'map/diff', 'all/diff', 'all/diff (estimate only)', 'baseline/diff'];
  const body = rows.map((r) => [
    r.diff,
    String(r.files),
    String(r.reviewableDiffTokens),
    `${r.mapCalls}+${r.reduceCalls}`,
    String(r.mapPromptTokens),
    String(r.reducePromptTokens),
    r.mapRatio.toFixed(2),
    r.totalRatio.toFixed(2),
    r.estimateOnlyTotalRatio.toFixed(2),
    r.baselineRatio.toFixed(2),
  ]);
  const all = [head, ...body];
  const w = head.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  for (const r of all) console.log(r.map((x, c) => x.padEnd(w[c]!)).join('  '));
  console.log('corpus:', JSON.stringify(result.corpus));
}

if (process.argv[1] && /bench\/tokens\.ts$/.test(process.argv[1])) {
  benchTokens().then(
    (r) => (process.argv.includes('--json') ? console.log(JSON.stringify(r, null, 2)) : printTable(r)),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
