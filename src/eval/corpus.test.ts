import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCases } from './corpus';

const DIFF = 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-a\n+b\n';
const ISSUE = { id: 'i1', file: 'a.ts', lineStart: 1, lineEnd: 1, severity: 'major', category: 'bug', title: 'wrong letter' };
const TRUTH = { id: 'c1', title: 'A case', language: 'ts', source: 'written for the test', issues: [ISSUE] };

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** One case folder with this truth.json (written as given when a string). */
function caseWith(truth: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-test-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'pr.diff'), DIFF);
  writeFileSync(join(dir, 'truth.json'), typeof truth === 'string' ? truth : JSON.stringify(truth));
  return dir;
}

describe('loadCases', () => {
  it('reads a case: its truth and its parsed diff', () => {
    const [c] = loadCases(caseWith(TRUTH));
    expect(c).toMatchObject({ id: 'c1', title: 'A case', language: 'ts', issues: [ISSUE] });
    expect(c?.diff.files.map((f) => f.path)).toEqual(['a.ts']);
  });

  it('names the file and what is missing when truth.json has the wrong shape', () => {
    const dir = caseWith({ ...TRUTH, issues: 'none' });
    expect(() => loadCases(dir)).toThrow(`${join(dir, 'truth.json')}: truth.json needs an id and an issues array`);
    expect(() => loadCases(caseWith([TRUTH]))).toThrow('truth.json needs an id and an issues array');
    expect(() => loadCases(caseWith({ ...TRUTH, title: 3 }))).toThrow('truth.json needs a title, a language and a source');
  });

  it('says which issue is wrong: lines the wrong way round, an unknown severity, a missing title', () => {
    expect(() => loadCases(caseWith({ ...TRUTH, issues: [{ ...ISSUE, lineStart: 5, lineEnd: 2 }] }))).toThrow('issue "i1" needs an id, file, lineStart <= lineEnd');
    expect(() => loadCases(caseWith({ ...TRUTH, issues: [{ ...ISSUE, severity: 'huge' }] }))).toThrow('a severity (critical, major, minor, nit)');
    expect(() => loadCases(caseWith({ ...TRUTH, issues: [{ ...ISSUE, id: 'i2', title: undefined }] }))).toThrow('issue "i2" needs');
    expect(() => loadCases(caseWith({ ...TRUTH, issues: [null] }))).toThrow('issue undefined needs');
  });

  it('refuses a truth.json that is not JSON', () => {
    const dir = caseWith('{ nope');
    expect(() => loadCases(dir)).toThrow(`${join(dir, 'truth.json')}: not valid JSON`);
  });
});
