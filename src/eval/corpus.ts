/**
 * Evaluation cases on disk (Node only): every folder under a corpus root that holds `pr.diff`
 * and `truth.json` is one case (layout and provenance: eval/corpora/SOURCES.md).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PullRequestDiff } from '../model/diff';
import { parseUnifiedDiff } from '../github/diff-text';
import { SEVERITIES } from '../model/review';
import { isOneOf, isRecord } from '../shared/guards';
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

function readIssue(raw: unknown, where: string): TruthIssue {
  const { id, file, lineStart, lineEnd, severity, category, title } = isRecord(raw) ? raw : {};
  const lines = typeof lineStart === 'number' && typeof lineEnd === 'number' && Number.isInteger(lineStart) && Number.isInteger(lineEnd) && lineEnd >= lineStart;
  if (typeof id === 'string' && typeof file === 'string' && lines && isOneOf(SEVERITIES, severity) && typeof category === 'string' && typeof title === 'string') {
    return { id, file, lineStart, lineEnd, severity, category, title };
  }
  throw new Error(`${where}: issue ${JSON.stringify(id)} needs an id, file, lineStart <= lineEnd, a severity (${SEVERITIES.join(', ')}), a category and a title`);
}

/** A case's truth.json, checked field by field (it is hand-edited in eval/sources and passed in with --corpus). */
function readTruth(raw: unknown, where: string): CaseTruth {
  const { id, title, language, source, issues } = isRecord(raw) ? raw : {};
  if (typeof id !== 'string' || !Array.isArray(issues)) throw new Error(`${where}: truth.json needs an id and an issues array`);
  if (typeof title !== 'string' || typeof language !== 'string' || typeof source !== 'string') throw new Error(`${where}: truth.json needs a title, a language and a source`);
  return { id, title, language, source, issues: issues.map((issue: unknown) => readIssue(issue, where)) };
}

/** Loads every case under `root` (a corpus, a folder of corpora, or one case), sorted by id. */
export function loadCases(root: string): EvalCase[] {
  if (!existsSync(root)) throw new Error(`no corpus at ${root}`);
  const cases = caseDirs(root).map((dir) => {
    const where = join(dir, 'truth.json');
    const text = readFileSync(where, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`${where}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    const truth = readTruth(parsed, where);
    const diffText = readFileSync(join(dir, 'pr.diff'), 'utf8');
    const files = parseUnifiedDiff(diffText);
    if (files.length === 0) throw new Error(`${join(dir, 'pr.diff')}: not a unified diff`);
    return { ...truth, diffText, diff: { ref: { owner: 'eval', repo: truth.id, number: null }, files, missing: [] } };
  });
  if (cases.length === 0) throw new Error(`no cases (folders with pr.diff and truth.json) under ${root}`);
  return cases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
