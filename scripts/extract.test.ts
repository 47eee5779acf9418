import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../src/github/diff-text';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => `e2e/fixtures/github/${name}`;

function run(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/extract.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 20_000 });
}

describe('extract CLI', () => {
  it('prints the diff a saved PR page shows and exits 0', () => {
    const r = run(fixture('OctoLinker__pull-diff_testrepo-1.html'));
    expect(r.status).toBe(0);
    const expected = readFileSync(new URL(fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), new URL('..', import.meta.url)), 'utf8');
    expect(parseUnifiedDiff(r.stdout)).toEqual(parseUnifiedDiff(expected));
  });

  it('says why on stderr and exits 2 on a page without the PR diff', () => {
    const r = run(fixture('OctoLinker__pull-comments_testrepo-1.html'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe('no diff on this page');
  });

  it('prints the PullRequestDiff with --json, using --url over the page’s own', () => {
    const r = run(fixture('TingGeorge__commit-2fa8000_react-region.html'), '--json', '--url', 'https://github.com/TingGeorge/excalidraw-github-extension-on-chrome/commit/2fa800062b33136871c6cd109d770279c9f88b4a');
    expect(r.status).toBe(0);
    const diff = JSON.parse(r.stdout);
    expect(diff.ref).toMatchObject({ owner: 'TingGeorge', number: null });
    expect(diff.files.map((f: { path: string }) => f.path)).toEqual(['.gitignore']);
  });
});
