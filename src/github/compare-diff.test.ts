import { describe, expect, it } from 'vitest';
import { compareDiffUrls, decideCompare } from './compare-diff';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const DIFF = 'diff --git a/x.ts b/x.ts\n--- a/x.ts\n+++ b/x.ts\n@@ -1 +1,2 @@\n one\n+two\n';
const OTHER = 'diff --git a/x.ts b/x.ts\n--- a/x.ts\n+++ b/x.ts\n@@ -1 +1,2 @@\n one\n+upstream\n';

describe('compare diff', () => {
  it('builds both compare URLs from safe parts only', () => {
    expect(compareDiffUrls({ owner: 'o', repo: 'r.js' }, A, B)).toEqual({
      threeDot: `https://github.com/o/r.js/compare/${A}...${B}.diff`,
      twoDot: `https://github.com/o/r.js/compare/${A}..${B}.diff`,
    });
    expect(compareDiffUrls({ owner: 'o', repo: 'r' }, 'main', B)).toBeNull();
    expect(compareDiffUrls({ owner: '../x', repo: 'r' }, A, B)).toBeNull();
  });

  it('uses the diff when the old head is an ancestor (both answers equal)', () => {
    const outcome = decideCompare({ status: 200, text: DIFF }, { status: 200, text: DIFF }, A, B);
    expect(outcome.ok && outcome.files.map((f) => f.path)).toEqual(['x.ts']);
  });

  it('falls back after a force-push: 404 or 422, or a merge base other than the old head', () => {
    for (const status of [404, 422]) {
      const outcome = decideCompare({ status }, { status }, A, B);
      expect(outcome).toMatchObject({ ok: false });
      expect(!outcome.ok && outcome.reason).toContain(`${status}`);
      expect(!outcome.ok && outcome.reason).toContain('force-push or rebase');
    }
    const diverged = decideCompare({ status: 200, text: DIFF }, { status: 200, text: OTHER }, A, B);
    expect(!diverged.ok && diverged.reason).toContain('does not build on it');
  });

  it('falls back, saying why, when GitHub fails or the new commits change nothing', () => {
    expect(decideCompare({ status: 500 }, { status: 200, text: DIFF }, A, B)).toEqual({ ok: false, reason: 'GitHub answered 500 for the new commits' });
    expect(decideCompare({ status: 200, text: '' }, { status: 200, text: '' }, A, B)).toMatchObject({ ok: false, reason: expect.stringContaining('change no file') });
  });
});
