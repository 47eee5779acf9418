/**
 * Evaluation cases on disk (Node only): every folder under a corpus root that holds `pr.diff`
 * and `truth.json` is one case (layout and provenance: eval/corpora/SOURCES.md).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PullRequestDiff } from '../model/diff';
import { parseUnifiedDiff } from '../github/diff-text';
import { SEVERITIES } from '../model/review';
import type { TruthIssue } from './score';

export interface CaseTruth {
  id: string;
  title: string;
  language: string;
  /** Where the case comes from. */
  source: string;
  /** Empty for a clean case: any finding is a false positive. */
  issues: TruthIssue[];
}

export interface EvalCase extends CaseTruth {
  diffText: string;
  diff: PullRequestDiff;
}

function caseDirs(root: string): string[] {
  if (existsSync(join(root, 'truth.json')) && existsSync(join(root, 'pr.diff'))) return [root];
  const out: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const p = join(root, name);
    if (statSync(p).isDirectory()) out.push(...caseDirs(p));
  }
  return out;
}

function checkTruth(t: CaseTruth, where: string): CaseTruth {
  if (!t || typeof t.id !== 'string' || !Array.isArray(t.issues)) throw new Error(`${where}: truth.json needs an id and an issues array`);
  for (const i of t.issues) {
    const ok =
      typeof i.file === 'string' &&
      Number.isInteger(i.lineStart) &&
      Number.isInteger(i.lineEnd) &&
      i.lineEnd >= i.lineStart &&
      SEVERITIES.includes(i.severity);
    if (!ok) throw new Error(`${where}: issue ${JSON.stringify(i.id)} needs file, lineStart <= lineEnd and a severity (${SEVERITIES.join(', ')})`);
  }
  return t;
}

/** Loads every case under `root` (a corpus, a folder of corpora, or one case), sorted by id. */
export function loadCases(root: string): EvalCase[] {
  if (!existsSync(root)) throw new Error(`no corpus at ${root}`);
  const cases = caseDirs(root).map((dir) => {
    const truth = checkTruth(JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as CaseTruth, join(dir, 'truth.json'));
    const diffText = readFileSync(join(dir, 'pr.diff'), 'utf8');
    const files = parseUnifiedDiff(diffText);
    if (files.length === 0) throw new Error(`${join(dir, 'pr.diff')}: not a unified diff`);
    return { ...truth, diffText, diff: { ref: { owner: 'eval', repo: truth.id, number: null }, files, missing: [] } };
  });
  if (cases.length === 0) throw new Error(`no cases (folders with pr.diff and truth.json) under ${root}`);
  return cases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
