/**
 * Builds the evaluation corpora from their sources:
 *
 *   npm run --silent build-corpora [-- --check]
 *
 * eval/sources/<corpus>/ holds each case as `before/` and `after/` trees plus its ground truth:
 * shim52's `challenge.yaml` (copied unchanged from upstream) or our `case.json`, which names each
 * defect's line by a unique piece of its text (`match`) instead of a number. For every case this
 * writes eval/corpora/<corpus>/<case>/pr.diff (the unified diff of the two trees, `git diff
 * --no-index`) and truth.json (issues with file, lineStart/lineEnd on the new side, severity in our
 * scale, category, title). `--check` writes nothing and fails when a committed file is stale.
 *
 * Context: 3 lines, widened until every line of every issue is inside a hunk, so a reviewer (and
 * the oracle) can always see and point at the defect.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { parseUnifiedDiff } from '../src/github/diff-text';
import type { Severity } from '../src/model/review';
import type { TruthIssue } from '../src/eval/score';
import type { CaseTruth } from '../src/eval/corpus';

const ROOT = resolve(import.meta.dirname, '..');
export const SOURCES_DIR = join(ROOT, 'eval/sources');
export const CORPORA_DIR = join(ROOT, 'eval/corpora');

/** shim52's scale (critical/high/medium/low/info) in ours. */
const SHIM52_SEVERITY: Record<string, Severity> = { critical: 'critical', high: 'major', medium: 'minor', low: 'nit', info: 'nit' };

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** `git diff --no-index` of before/ and after/ with `context` lines, paths relative to the trees. */
export function diffTrees(caseDir: string, context: number): string {
  let text = '';
  try {
    execFileSync('git', ['diff', '--no-index', '--no-color', '--no-renames', `-U${context}`, '--src-prefix=a/', '--dst-prefix=b/', 'before', 'after'], {
      cwd: caseDir,
      encoding: 'utf8',
    });
  } catch (e) {
    // Exit code 1 means "the trees differ": the diff is on stdout.
    text = String((e as { stdout?: string }).stdout ?? '');
  }
  if (!text) throw new Error(`${caseDir}: before/ and after/ do not differ`);
  return text
    .replace(/^(diff --git )a\/before\/(\S+) b\/after\/(\S+)$/gm, '$1a/$2 b/$3')
    .replace(/^(diff --git )a\/after\/(\S+) b\/after\/(\S+)$/gm, '$1a/$2 b/$3')
    .replace(/^(diff --git )a\/before\/(\S+) b\/before\/(\S+)$/gm, '$1a/$2 b/$3')
    .replace(/^--- a\/(?:before|after)\//gm, '--- a/')
    .replace(/^\+\+\+ b\/(?:before|after)\//gm, '+++ b/')
    .replace(/^index [0-9a-f]+\.\.[0-9a-f]+/gm, 'index 0000000..0000000');
}

/** The smallest context (from 3) that shows every line of every issue. */
export function diffShowingIssues(caseDir: string, issues: readonly TruthIssue[]): string {
  for (const context of [3, 5, 8, 12, 20, 40, 80, 10000]) {
    const text = diffTrees(caseDir, context);
    const shown = new Map<string, Set<number>>();
    for (const f of parseUnifiedDiff(text)) {
      const s = new Set<number>();
      for (const h of f.hunks) for (const l of h.lines) if (l.newNumber !== null && l.kind !== 'deletion') s.add(l.newNumber);
      shown.set(f.path, s);
    }
    const ok = issues.every((i) => {
      const s = shown.get(i.file);
      if (!s) return false;
      for (let n = i.lineStart; n <= i.lineEnd; n++) if (!s.has(n)) return false;
      return true;
    });
    if (ok) return text;
  }
  throw new Error(`${caseDir}: an issue points outside the changed files`);
}

interface Shim52Yaml {
  id: string;
  name: string;
  language?: string;
  issues: { id: string; severity: string; category: string; file: string; line_start?: number; line_end?: number; title: string }[];
}

export function shim52Truth(caseDir: string): CaseTruth {
  const y = loadYaml(readFileSync(join(caseDir, 'challenge.yaml'), 'utf8')) as Shim52Yaml;
  return {
    id: `shim52/${y.id}`,
    title: y.name,
    language: y.language ?? '',
    source: `shim52/ai-code-review-bench challenges/${y.id} (MIT)`,
    issues: y.issues.map((i) => {
      const severity = SHIM52_SEVERITY[i.severity];
      if (!severity || i.line_start === undefined) throw new Error(`${caseDir}: issue ${i.id} lacks a known severity or a line`);
      return { id: i.id, file: i.file, lineStart: i.line_start, lineEnd: i.line_end ?? i.line_start, severity, category: i.category, title: i.title };
    }),
  };
}

interface CaseSpec {
  id: string;
  title: string;
  language: string;
  source: string;
  issues: { id: string; file: string; match: string; lines?: number; severity: Severity; category: string; title: string }[];
}

/** Our cases name a defect's first line by a unique piece of its text; the number is derived. */
export function specTruth(caseDir: string): CaseTruth {
  const spec = JSON.parse(readFileSync(join(caseDir, 'case.json'), 'utf8')) as CaseSpec;
  return {
    id: spec.id,
    title: spec.title,
    language: spec.language,
    source: spec.source,
    issues: spec.issues.map((i) => {
      const lines = readFileSync(join(caseDir, 'after', i.file), 'utf8').split('\n');
      const at = lines.flatMap((l, n) => (l.includes(i.match) ? [n + 1] : []));
      if (at.length !== 1) throw new Error(`${caseDir}: "${i.match}" is on ${at.length} lines of ${i.file}, expected exactly one`);
      return { id: i.id, file: i.file, lineStart: at[0]!, lineEnd: at[0]! + (i.lines ?? 1) - 1, severity: i.severity, category: i.category, title: i.title };
    }),
  };
}

export interface BuiltCase {
  dir: string;
  diff: string;
  truth: CaseTruth;
}

export function buildAll(): BuiltCase[] {
  const out: BuiltCase[] = [];
  for (const corpus of readdirSync(SOURCES_DIR).sort()) {
    const base = corpus === 'shim52' ? join(SOURCES_DIR, corpus, 'challenges') : join(SOURCES_DIR, corpus);
    if (!statSync(base).isDirectory()) continue;
    for (const name of readdirSync(base).sort()) {
      const caseDir = join(base, name);
      if (!statSync(caseDir).isDirectory()) continue;
      const isShim = existsSync(join(caseDir, 'challenge.yaml'));
      if (!isShim && !existsSync(join(caseDir, 'case.json'))) continue;
      const truth = isShim ? shim52Truth(caseDir) : specTruth(caseDir);
      if (files(join(caseDir, 'after')).length === 0 && files(join(caseDir, 'before')).length === 0) throw new Error(`${caseDir}: no files`);
      out.push({ dir: join(CORPORA_DIR, corpus, name), diff: diffShowingIssues(caseDir, truth.issues), truth });
    }
  }
  return out;
}

function main(): number {
  const check = process.argv.includes('--check');
  const built = buildAll();
  const stale: string[] = [];
  for (const c of built) {
    const wanted: [string, string][] = [
      ['pr.diff', c.diff],
      ['truth.json', `${JSON.stringify(c.truth, null, 2)}\n`],
    ];
    for (const [name, text] of wanted) {
      const path = join(c.dir, name);
      const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
      if (current === text) continue;
      if (check) stale.push(relative(ROOT, path));
      else {
        mkdirSync(c.dir, { recursive: true });
        writeFileSync(path, text);
      }
    }
  }
  if (check && stale.length > 0) {
    process.stderr.write(`build-corpora: stale (run npm run build-corpora):\n${stale.join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`${built.length} cases${check ? ' up to date' : ' written'} in ${relative(ROOT, CORPORA_DIR)}\n`);
  return 0;
}

if (process.argv[1] && /build-corpora\.ts$/.test(process.argv[1])) process.exitCode = main();
