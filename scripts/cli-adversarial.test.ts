/**
 * @adversarial inputs to the two CLIs, run as a user runs them (a child process on a file):
 * empty, binary, truncated, 50 MB, non-UTF-8, deeply nested, 3,000 files (review-plan) and 1 MB lines.
 * The big inputs are generated here, into a temporary folder, and never committed.
 * Each case asserts what a user sees: the exit code, a one-line reason, or the right output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlanJson } from './review-plan';

const ROOT = resolve(import.meta.dirname, '..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const DIR = mkdtempSync(join(tmpdir(), 'lpr-cli-adversarial-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const PAGE = readFileSync(join(ROOT, 'e2e/fixtures/github/OctoLinker__pull-diff_testrepo-1.html'));
const PAGE_URL = 'https://github.com/OctoLinker/testrepo/pull/1/files';
const PAGE_DIFF = readFileSync(join(ROOT, 'e2e/fixtures/github/OctoLinker__pull-diff_testrepo-1.expected.diff'), 'utf8');

function write(name: string, content: string | Buffer): string {
  const path = join(DIR, name);
  writeFileSync(path, content);
  return path;
}

function cli(script: 'extract' | 'review-plan', ...args: string[]) {
  const r = spawnSync(TSX, [`scripts/${script}.ts`, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 170_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A one-line reason: a single line, no stack trace, no raw error class names. */
function expectOneLineReason(err: string, pattern: RegExp): void {
  const lines = err.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(err).not.toMatch(/\bat .+:\d+:\d+|TypeError|RangeError/);
}

/** A unified diff of `files` files with `lines` added lines each. */
function bigDiff(files: number, lines: number, lineText = (f: number, l: number) => `const v${l} = ${f};`): string {
  const parts: string[] = [];
  for (let f = 0; f < files; f++) {
    parts.push(`diff --git a/src/f${f}.ts b/src/f${f}.ts\n--- a/src/f${f}.ts\n+++ b/src/f${f}.ts\n@@ -0,0 +1,${lines} @@\n`);
    for (let l = 0; l < lines; l++) parts.push(`+${lineText(f, l)}\n`);
  }
  return parts.join('');
}

// Each test runs the real CLI in a child process (tsx start-up included); on a loaded 2-core
// machine one takes up to about 45 s, so the default 20 s would fail tests that are not hung.
const CLI_TEST_TIMEOUT_MS = 120_000;

describe('review-plan on hostile input @adversarial', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('@adversarial empty input: exit 2 with a one-line reason', () => {
    const r = cli('review-plan', write('empty.diff', ''));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expectOneLineReason(r.err, /^review-plan: .*empty.diff: the input is empty/);
  });

  it('@adversarial binary input: exit 2 with a one-line reason', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const r = cli('review-plan', write('binary.diff', bytes));
    expect(r.code).toBe(2);
    expectOneLineReason(r.err, /binary/);
  });

  it('@adversarial text that is not a diff: exit 2 with a one-line reason', () => {
    const r = cli('review-plan', write('prose.diff', 'Hello.\nThis is a README, not a diff.\n'));
    expect(r.code).toBe(2);
    expectOneLineReason(r.err, /no unified diff found/);
  });

  it('@adversarial a diff cut off mid-hunk: plans the lines that are there, exit 0', () => {
    const cut = PAGE_DIFF.slice(0, PAGE_DIFF.indexOf('+Kitt') + 3);
    const r = cli('review-plan', write('cut.diff', cut), '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as PlanJson;
    expect(plan.files).toEqual([{ path: 'sourcereader/popular-cat-names.js', coverage: 'full' }]);
  });

  it('@adversarial 50 MB of diff: a plan within the call limit that says what it cut, exit 0', () => {
    const path = write('huge.diff', bigDiff(800, 3_500));
    expect(readFileSync(path).length).toBeGreaterThan(50 * 1024 * 1024);
    const r = cli('review-plan', path, '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as PlanJson;
    expect(plan.totals.calls).toBeLessThanOrEqual(40 + 1);
    expect(plan.truncated).toBe(true);
    expect(plan.files).toHaveLength(800);
    expect(plan.files.some((f) => f.coverage === 'skipped' || f.coverage === 'partial')).toBe(true);
  }, 180_000);

  it('@adversarial non-UTF-8 bytes (Latin-1): plans the file, exit 0', () => {
    const latin1 = Buffer.from('diff --git a/caf\xe9.txt b/caf\xe9.txt\n--- a/caf\xe9.txt\n+++ b/caf\xe9.txt\n@@ -0,0 +1 @@\n+cr\xe8me br\xfbl\xe9e\n', 'latin1');
    const r = cli('review-plan', write('latin1.diff', latin1), '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as PlanJson;
    expect(plan.files).toHaveLength(1);
    expect(plan.files[0]!.path).toMatch(/^caf.+\.txt$/);
  });

  it('@adversarial a deeply nested path (5,000 levels): plans it, exit 0', () => {
    const deep = `${'d/'.repeat(5_000)}leaf.ts`;
    const r = cli('review-plan', write('deep.diff', `diff --git a/${deep} b/${deep}\n--- a/${deep}\n+++ b/${deep}\n@@ -0,0 +1 @@\n+x\n`), '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as PlanJson).files[0]!.path).toBe(deep);
  });

  it('@adversarial 3,000 files: every file accounted for, exit 0', () => {
    const r = cli('review-plan', write('many.diff', bigDiff(3_000, 2)), '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as PlanJson;
    expect(plan.files).toHaveLength(3_000);
    expect(new Set(plan.files.map((f) => f.path)).size).toBe(3_000);
    expect(plan.truncated).toBe(true); // more than 40 calls' worth: said, not hidden
  });

  it('@adversarial a 1 MB line: the plan still fits the context and says how the file was covered, exit 0', () => {
    const r = cli('review-plan', write('longline.diff', bigDiff(1, 1, () => 'x'.repeat(1024 * 1024))), '--json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.out) as PlanJson;
    for (const c of plan.chunks) expect(c.promptTokens).toBeLessThanOrEqual(plan.context - plan.answerTokens);
    expect(plan.files).toHaveLength(1);
    expect(plan.files[0]!.coverage === 'full' || plan.files[0]!.reason).toBeTruthy();
  });
});

describe('extract on hostile pages @adversarial', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('@adversarial an empty page: exit 2 with a one-line reason', () => {
    const r = cli('extract', write('empty.html', ''), '--url', PAGE_URL);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expectOneLineReason(r.err, /diff|cut off/);
  });

  it('@adversarial binary bytes: exit 2 with a one-line reason', () => {
    const bytes = Buffer.alloc(65_536);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131) % 256;
    const r = cli('extract', write('binary.html', bytes), '--url', PAGE_URL);
    expect(r.code).toBe(2);
    expectOneLineReason(r.err, /diff/);
  });

  it('@adversarial a page cut off before the diff lines: exit 2 saying so', () => {
    const r = cli('extract', write('cut-early.html', PAGE.subarray(0, Math.floor(PAGE.length * 0.8))), '--url', PAGE_URL);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expectOneLineReason(r.err, /^no diff lines on this page: the page is cut off/);
  });

  it('@adversarial a page cut off mid-diff: prints what it holds and says it is partial', () => {
    const r = cli('extract', write('cut-mid.html', PAGE.subarray(0, Math.floor(PAGE.length * 0.86))), '--url', PAGE_URL);
    expect(r.code).toBe(0);
    expect(r.out).toContain('+Kitt');
    expect(r.err).toMatch(/^partial diff: the page is cut off/m);
  });

  it('@adversarial a 50 MB page: the same diff as the page alone, exit 0', () => {
    // GitHub's own markup around the diff, grown to 50 MB: text, comments and a few thousand elements.
    const padding = `<div hidden>${'GitHub chrome and navigation text. '.repeat(1_500_000)}</div><!-- ${'c'.repeat(1_000_000)} -->${'<p>nav</p>'.repeat(5_000)}`;
    const html = PAGE.toString('utf8').replace('</body>', `${padding}</body>`);
    const path = write('huge.html', html);
    expect(readFileSync(path).length).toBeGreaterThan(50 * 1024 * 1024);
    const r = cli('extract', path, '--url', PAGE_URL);
    expect(r.code).toBe(0);
    expect(r.out).toContain('+Kitt');
    expect(r.out).toContain('-Tigger');
  }, 180_000);

  it('@adversarial a non-UTF-8 page (Latin-1 bytes in the diff): the diff prints, exit 0', () => {
    const latin = Buffer.from(PAGE.toString('latin1').replace('Kitt', 'K\xe9tt'), 'latin1');
    const r = cli('extract', write('latin1.html', latin), '--url', PAGE_URL);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\+K.tt$/m);
  });

  it('@adversarial 100,000 nested elements: no stack overflow, exit 2 with a reason', () => {
    const html = `<!doctype html><html><body>${'<div>'.repeat(100_000)}x${'</div>'.repeat(100_000)}</body></html>`;
    const r = cli('extract', write('nested.html', html), '--url', PAGE_URL);
    expect(r.code).toBe(2);
    expectOneLineReason(r.err, /diff/);
  });

  it('@adversarial a 1 MB diff line on the page: printed whole, exit 0', () => {
    const long = 'y'.repeat(1024 * 1024);
    const r = cli('extract', write('longline.html', PAGE.toString('utf8').replace('Kitt', long)), '--url', PAGE_URL);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').some((l) => l === `+${long}`)).toBe(true);
  });
});
