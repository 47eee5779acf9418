/**
 * Prints how a diff would be reviewed, without calling a model:
 *
 *   npm run --silent review-plan -- <file.diff> [--context 4096] [--max-calls 40] [--depth quick|thorough]
 *                                              [--ignore 'docs/**']... [--json]
 *
 * Token counts are the pipeline's conservative estimate (the real engine's tokenizer usually
 * counts fewer). An empty, binary or non-diff input exits 2 with a one-line reason on stderr.
 */
import { readFileSync } from 'node:fs';
import { parseUnifiedDiff } from '../src/github/diff-text';
import type { PullRequestDiff } from '../src/model/diff';
import { DEFAULT_SETTINGS, type Settings } from '../src/shared/settings';
import { planReview, type ReviewPlan } from '../src/review/plan';

export interface PlanJson {
  context: number;
  answerTokens: number;
  instructionTokens: number;
  chunks: { promptTokens: number; diffTokens: number; files: string[]; sent: boolean }[];
  files: { path: string; coverage: string; reason?: string }[];
  totals: { promptTokens: number; diffTokens: number; calls: number };
  truncated: boolean;
  notes: string[];
}

export function planToJson(plan: ReviewPlan): PlanJson {
  return {
    context: plan.budget.contextWindow,
    answerTokens: plan.budget.answerTokens,
    instructionTokens: plan.instructionTokens,
    chunks: plan.chunks.map((c, i) => ({ promptTokens: c.promptTokens, diffTokens: c.diffTokens, files: c.files, sent: i < plan.mapCalls })),
    files: plan.files.map((f) => ({ path: f.path, coverage: f.coverage, ...(f.reason ? { reason: f.reason } : {}) })),
    totals: { promptTokens: plan.totals.promptTokens, diffTokens: plan.totals.diffTokens, calls: plan.totals.calls },
    truncated: plan.truncated,
    notes: plan.notes,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

export function planToText(p: PlanJson): string {
  const out: string[] = [];
  out.push(`Context ${p.context} tokens: ${p.answerTokens} kept for each answer, ${p.instructionTokens} of instructions per call.`);
  out.push('');
  out.push(
    table([
      ['chunk', 'prompt', 'diff', 'files'],
      ...p.chunks.map((c, i) => [`${i + 1}${c.sent ? '' : ' (cut)'}`, String(c.promptTokens), String(c.diffTokens), c.files.join(', ')]),
    ]),
  );
  out.push('');
  out.push(table([['file', 'coverage', 'reason'], ...p.files.map((f) => [f.path, f.coverage, f.reason ?? ''])]));
  out.push('');
  out.push(
    `Total: ${p.totals.calls} model call${p.totals.calls === 1 ? '' : 's'}, ${p.totals.promptTokens} prompt tokens for ${p.totals.diffTokens} tokens of reviewable diff` +
      (p.totals.diffTokens > 0 ? ` (${(p.totals.promptTokens / p.totals.diffTokens).toFixed(2)} per diff token, summary call not counted).` : '.'),
  );
  if (p.truncated) out.push('The call limit cuts this review short (see the files marked skipped).');
  for (const n of p.notes) out.push(`Note: ${n}`);
  return out.join('\n');
}

interface Args {
  file: string | null;
  context: number;
  json: boolean;
  settings: Settings;
  error?: string;
}

export function parseArgs(argv: readonly string[]): Args {
  const settings: Settings = { ...DEFAULT_SETTINGS, ignorePatterns: [] };
  const args: Args = { file: null, context: 4096, json: false, settings };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i];
    if (a === '--json') args.json = true;
    else if (a === '--context') args.context = Number(next());
    else if (a === '--max-calls') settings.maxModelCalls = Number(next());
    else if (a === '--depth') settings.depth = next() === 'quick' ? 'quick' : 'thorough';
    else if (a === '--ignore') settings.ignorePatterns = [...settings.ignorePatterns, next() ?? ''];
    else if (a.startsWith('--')) args.error = `unknown option ${a}`;
    else args.file = a;
  }
  if (!args.file) args.error ??= 'no diff file given';
  if (!Number.isFinite(args.context) || args.context < 256) args.error ??= '--context must be a number of tokens (at least 256)';
  return args;
}

/** Why an input is not something to plan a review of (one line), or null when it is. */
export function refuseInput(text: string, fileCount: number): string | null {
  if (text.trim() === '') return 'the input is empty; give a unified diff (git diff, or a PR\'s .diff)';
  if (text.includes('\u0000')) return 'the input is binary (it holds NUL bytes), not a unified diff';
  if (fileCount === 0) return 'no unified diff found (no "diff --git" or "--- a/" / "+++ b/" file headers)';
  return null;
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  if (args.error) {
    process.stderr.write(`review-plan: ${args.error}\nusage: npm run --silent review-plan -- <file.diff> [--context 4096] [--max-calls 40] [--depth quick|thorough] [--ignore GLOB]... [--json]\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(args.file!, 'utf8');
  } catch (e) {
    process.stderr.write(`review-plan: cannot read ${args.file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const files = parseUnifiedDiff(text);
  const refusal = refuseInput(text, files.length);
  if (refusal) {
    process.stderr.write(`review-plan: ${args.file}: ${refusal}\n`);
    return 2;
  }
  const diff: PullRequestDiff = { ref: { owner: '', repo: '', number: null }, files, missing: [] };
  const plan = planToJson(planReview(diff, args.settings, { contextWindow: args.context }));
  process.stdout.write(args.json ? `${JSON.stringify(plan, null, 2)}\n` : `${planToText(plan)}\n`);
  return 0;
}

if (process.argv[1] && /review-plan\.ts$/.test(process.argv[1])) process.exitCode = main();
