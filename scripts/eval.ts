/**
 * Measures review quality: runs the review pipeline over corpora of pull-request diffs with
 * ground truth and scores the findings (docs/evaluation.md).
 *
 *   npm run --silent eval -- --engine <spec> [--corpus <dir>] [--runs N] [--verify on|off|both]
 *                            [--context N] [--threads N] [--json]
 *
 * Engines: `oracle` (answers the ground truth: F1 1.0), `empty` (answers nothing: recall 0),
 * `llama:<path.gguf>` (native llama.cpp via node-llama-cpp, GPU where there is one),
 * `openai:<base-url>#<model>` (any OpenAI-compatible server: Ollama, llama-server, LM Studio).
 */
import { resolve } from 'node:path';
import type { Engine } from '../src/engine/engine';
import { OpenAiEngine } from '../src/engine/openai-engine';
import { loadCases, type EvalCase } from '../src/eval/corpus';
import { emptyEngine, oracleEngine } from '../src/eval/reference-engines';
import { evaluate, type EvalReport } from '../src/eval/run-eval';
import { SEVERITIES } from '../src/model/review';

const ROOT = resolve(import.meta.dirname, '..');
export const DEFAULT_CORPUS = resolve(ROOT, 'eval/corpora');
const USAGE = 'usage: npm run --silent eval -- --engine oracle|empty|llama:<path.gguf>|openai:<base-url>#<model> [--corpus <dir>] [--runs N] [--verify on|off|both] [--context N] [--threads N] [--json]';

export type EngineSpec =
  | { kind: 'oracle' }
  | { kind: 'empty' }
  | { kind: 'llama'; path: string }
  | { kind: 'openai'; baseUrl: string; model: string };

export function parseEngineSpec(spec: string): EngineSpec | { error: string } {
  if (spec === 'oracle' || spec === 'empty') return { kind: spec };
  if (spec.startsWith('llama:')) {
    const path = spec.slice('llama:'.length);
    return path.endsWith('.gguf') ? { kind: 'llama', path } : { error: 'llama: needs the path of a .gguf file, e.g. llama:models/qwen2.5-coder-1.5b-q8_0.gguf' };
  }
  if (spec.startsWith('openai:')) {
    const rest = spec.slice('openai:'.length);
    const hash = rest.lastIndexOf('#');
    const baseUrl = hash > 0 ? rest.slice(0, hash) : '';
    const model = hash > 0 ? rest.slice(hash + 1) : '';
    if (!/^https?:\/\//.test(baseUrl) || !model) return { error: 'openai: needs <base-url>#<model>, e.g. openai:http://127.0.0.1:11434/v1#qwen2.5-coder:7b' };
    return { kind: 'openai', baseUrl, model };
  }
  return { error: `unknown engine "${spec}"` };
}

export interface EvalArgs {
  engine: EngineSpec | null;
  corpus: string;
  runs: number;
  verify: 'on' | 'off' | 'both';
  context: number;
  threads: number | null;
  json: boolean;
  error?: string;
}

export function parseArgs(argv: readonly string[]): EvalArgs {
  const args: EvalArgs = { engine: null, corpus: DEFAULT_CORPUS, runs: 1, verify: 'both', context: 8192, threads: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i] ?? '';
    if (a === '--json') args.json = true;
    else if (a === '--engine') {
      const e = parseEngineSpec(next());
      if ('error' in e) args.error ??= e.error;
      else args.engine = e;
    } else if (a === '--corpus') args.corpus = resolve(next());
    else if (a === '--runs') args.runs = Number(next());
    else if (a === '--context') args.context = Number(next());
    else if (a === '--threads') args.threads = Number(next());
    else if (a === '--verify') {
      const v = next();
      if (v === 'on' || v === 'off' || v === 'both') args.verify = v;
      else args.error ??= '--verify must be on, off or both';
    } else args.error ??= `unknown argument ${a}`;
  }
  if (!args.engine) args.error ??= 'no --engine given';
  if (!Number.isInteger(args.runs) || args.runs < 1 || args.runs > 100) args.error ??= '--runs must be a whole number from 1 to 100';
  if (args.threads !== null && (!Number.isInteger(args.threads) || args.threads < 1)) args.error ??= '--threads must be a whole number of at least 1';
  if (!Number.isInteger(args.context) || args.context < 512) args.error ??= '--context must be a number of tokens (at least 512)';
  return args;
}

async function createModelEngine(spec: EngineSpec, context: number, threads: number | null): Promise<{ engine: Engine; label: string } | null> {
  if (spec.kind === 'openai') {
    const engine = new OpenAiEngine({ baseUrl: spec.baseUrl, model: spec.model, contextWindow: context, kind: 'localserver' });
    await engine.load(() => undefined);
    return { engine, label: `openai ${spec.baseUrl} · ${spec.model}` };
  }
  if (spec.kind === 'llama') {
    const { NodeLlamaEngine } = await import('../src/eval/node-llama-engine');
    const engine = new NodeLlamaEngine({ modelPath: resolve(spec.path), contextSize: context, ...(threads ? { threads } : {}) });
    await engine.load(() => undefined);
    return { engine, label: `llama.cpp (${engine.device}) · ${spec.path}` };
  }
  return null;
}

const pct = (x: number | null) => (x === null ? '   -' : x.toFixed(2).padStart(4));

export function reportText(label: string, corpus: string, reports: EvalReport[]): string {
  const out: string[] = [`Engine: ${label}`, `Corpus: ${corpus}`, ''];
  const main = reports[reports.length - 1]!;
  out.push(`case${' '.repeat(44)}P     R     F1   found/issues  findings`);
  for (const c of main.cases) {
    out.push(`${c.id.padEnd(46)}  ${pct(c.precision)}  ${pct(c.recall)}  ${pct(c.f1)}  ${`${c.matched}/${c.issues * main.runs}`.padStart(12)}  ${String(c.findings).padStart(8)}${c.errors ? `  error: ${c.errors[0]}` : ''}`);
  }
  out.push('');
  for (const r of reports) {
    const o = r.overall;
    out.push(
      `Verify ${r.verify.padEnd(3)}  precision ${o.precision.toFixed(3)}  recall ${o.recall.toFixed(3)}  F1 ${o.f1.toFixed(3)}  (${o.cases} cases, ${o.casesWithIssues} with issues, ${o.cleanPassed}/${o.cleanCases} clean cases without findings)`,
    );
    out.push(`            ${r.cost.calls} calls, ${r.cost.promptTokens} prompt + ${r.cost.completionTokens} answer tokens${r.verify === 'on' ? ` (verify pass: ${r.cost.verify.calls} calls, ${r.cost.verify.promptTokens} + ${r.cost.verify.completionTokens} tokens, ${r.cost.verify.rejected} of ${r.cost.verify.checked} findings dropped)` : ''}`);
    out.push(`            by severity: ${SEVERITIES.map((s) => `${s} R ${pct(r.severity[s].recall).trim()} P ${pct(r.severity[s].precision).trim()}`).join(' · ')}`);
  }
  out.push(`Wall time ${(main.cost.wallMs / 1000).toFixed(1)} s, ${main.runs} run(s) per case.`);
  return out.join('\n');
}

export function reportJson(engine: string, corpus: string, reports: EvalReport[]): object {
  const main = reports[reports.length - 1]!;
  const strip = (r: EvalReport) => ({ verify: r.verify, cases: r.cases, overall: r.overall, severity: r.severity, cost: r.cost });
  return {
    engine,
    corpus,
    runs: main.runs,
    ...strip(main),
    ...(reports.length > 1 ? { byVerify: Object.fromEntries(reports.map((r) => [r.verify, strip(r)])) } : {}),
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.error) {
    process.stderr.write(`eval: ${args.error}\n${USAGE}\n`);
    return 2;
  }
  let cases: EvalCase[];
  try {
    cases = loadCases(args.corpus);
  } catch (e) {
    process.stderr.write(`eval: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const spec = args.engine!;
  let model: Awaited<ReturnType<typeof createModelEngine>>;
  try {
    model = await createModelEngine(spec, args.context, args.threads);
  } catch (e) {
    const next = (e as { nextStep?: string }).nextStep;
    process.stderr.write(`eval: ${e instanceof Error ? e.message : String(e)}${next ? `\n${next}` : ''}\n`);
    return 1;
  }
  const label = model?.label ?? spec.kind;
  const engineFor = (c: EvalCase) => (spec.kind === 'oracle' ? oracleEngine(c) : spec.kind === 'empty' ? emptyEngine() : model!.engine);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  try {
    const r = await evaluate(cases, {
      runs: args.runs,
      verify: args.verify !== 'off',
      engineFor,
      signal: controller.signal,
      settings: { maxModelCalls: 40 },
      onCase: (c, i, n) => {
        if (!args.json) process.stderr.write(`[${i + 1}/${n}] ${c.id}: F1 ${c.f1 === null ? '-' : c.f1.toFixed(2)}\n`);
      },
    });
    const reports = args.verify === 'both' ? [r.off, r.on!] : args.verify === 'on' ? [r.on!] : [r.off];
    const corpus = args.corpus.startsWith(ROOT) ? args.corpus.slice(ROOT.length + 1) || '.' : args.corpus;
    process.stdout.write(args.json ? `${JSON.stringify(reportJson(label, corpus, reports), null, 2)}\n` : `${reportText(label, corpus, reports)}\n`);
    const failed = reports[0]!.cases.filter((c) => c.errors).length;
    if (failed > 0) process.stderr.write(`eval: ${failed} case(s) failed; they are scored as finding nothing (see "errors").\n`);
    return failed === cases.length ? 1 : 0;
  } finally {
    await model?.engine.unload();
  }
}

if (process.argv[1] && /scripts\/eval\.ts$/.test(process.argv[1])) main().then((code) => (process.exitCode = code));
