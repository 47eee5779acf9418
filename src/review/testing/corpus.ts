/**
 * The diff corpus in e2e/fixtures/diffs (and the exact diffs saved beside the GitHub pages), for
 * tests and the token benchmark. Node only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseUnifiedDiff } from '../../github/diff-text';
import type { PullRequestDiff } from '../../model/diff';

const ROOT = resolve(import.meta.dirname, '../../..');
export const CORPUS_DIR = join(ROOT, 'e2e/fixtures/diffs');
export const GITHUB_FIXTURES_DIR = join(ROOT, 'e2e/fixtures/github');

export interface CorpusDiff {
  name: string;
  text: string;
  diff: PullRequestDiff;
}

export function loadCorpus(options: { includeGithubFixtures?: boolean; includeAdversarial?: boolean } = {}): CorpusDiff[] {
  const files = readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.diff'))
    .filter((f) => options.includeAdversarial || !f.startsWith('prompt-injection'))
    .map((f) => join(CORPUS_DIR, f));
  if (options.includeGithubFixtures) {
    files.push(...readdirSync(GITHUB_FIXTURES_DIR).filter((f) => f.endsWith('.expected.diff')).map((f) => join(GITHUB_FIXTURES_DIR, f)));
  }
  return files.sort().map((path) => {
    const text = readFileSync(path, 'utf8');
    const name = path.slice(path.lastIndexOf('/') + 1);
    return { name, text, diff: { ref: { owner: 'corpus', repo: name, number: null }, files: parseUnifiedDiff(text), missing: [] } };
  });
}

export function loadCorpusDiff(name: string): CorpusDiff {
  const text = readFileSync(join(CORPUS_DIR, name), 'utf8');
  return { name, text, diff: { ref: { owner: 'corpus', repo: name, number: null }, files: parseUnifiedDiff(text), missing: [] } };
}
