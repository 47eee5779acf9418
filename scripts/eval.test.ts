import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseArgs, parseEngineSpec } from './eval';
import { buildAll } from './build-corpora';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const tsx = resolve(ROOT, 'node_modules/.bin/tsx');

async function evalCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(tsx, ['scripts/eval.ts', ...args], { cwd: ROOT });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('npm run eval', () => {
  it('--engine oracle --json reports F1 1.0 over at least 40 cases, with the issue\'s JSON shape', async () => {
    const r = await evalCli(['--engine', 'oracle', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.overall).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(j.overall.cases).toBeGreaterThanOrEqual(40);
    for (const c of j.cases) expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'precision', 'recall', 'f1']));
    expect(j.cases.find((c: { id: string }) => c.id === 'shim52/sql-injection-express')).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(Object.keys(j.byVerify)).toEqual(['off', 'on']);
    expect(j.cost.verify.calls).toBeGreaterThan(0);
  });

  it('--engine empty reports recall 0; text output names the corpus and the verify modes', async () => {
    const r = await evalCli(['--engine', 'empty', '--corpus', 'eval/corpora/shim52', '--verify', 'off']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Corpus: eval/corpora/shim52');
    expect(r.stdout).toMatch(/Verify off\s+precision 0\.000\s+recall 0\.000\s+F1 0\.000\s+\(12 cases/);
    expect(r.stdout).not.toContain('Verify on');
  });

  it('says what is wrong with bad arguments, a missing corpus or an unreachable server', async () => {
    expect((await evalCli(['--engine', 'gpt'])).stderr).toContain('unknown engine "gpt"');
    const missing = await evalCli(['--engine', 'oracle', '--corpus', 'no/such/dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no corpus at');
    const down = await evalCli(['--engine', 'openai:http://127.0.0.1:9#m', '--corpus', 'eval/corpora/clean']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('Could not reach the server at http://127.0.0.1:9');
  });

  it('parses engine specs', () => {
    expect(parseEngineSpec('openai:http://localhost:11434/v1#qwen2.5-coder:7b')).toEqual({ kind: 'openai', baseUrl: 'http://localhost:11434/v1', model: 'qwen2.5-coder:7b' });
    expect(parseEngineSpec('llama:models/x.gguf')).toEqual({ kind: 'llama', path: 'models/x.gguf' });
    expect(parseEngineSpec('llama:models/x.bin')).toHaveProperty('error');
    expect(parseEngineSpec('openai:http://localhost:1234/v1')).toHaveProperty('error');
    expect(parseArgs(['--engine', 'oracle', '--runs', '0']).error).toContain('--runs');
    expect(parseArgs(['--engine', 'oracle', '--verify', 'maybe']).error).toContain('--verify');
  });
});

describe('corpora', () => {
  it('the committed diffs and truth are what the sources build, and the corpora have the required sizes', () => {
    const built = buildAll();
    for (const c of built) {
      expect(readFileSync(join(c.dir, 'pr.diff'), 'utf8'), c.dir).toBe(c.diff);
      expect(JSON.parse(readFileSync(join(c.dir, 'truth.json'), 'utf8'))).toEqual(c.truth);
    }
    const count = (p: string) => built.filter((c) => c.truth.id.startsWith(p)).length;
    expect(count('shim52/')).toBe(12);
    expect(count('constructed/')).toBeGreaterThanOrEqual(20);
    expect(count('clean/')).toBeGreaterThanOrEqual(10);
    expect(built.filter((c) => c.truth.id.startsWith('clean/')).every((c) => c.truth.issues.length === 0)).toBe(true);
    expect(existsSync(join(ROOT, 'eval/corpora/SOURCES.md'))).toBe(true);
  });
});
