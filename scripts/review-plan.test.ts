import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanJson } from './review-plan';

const ROOT = resolve(import.meta.dirname, '..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const DIFF = 'e2e/fixtures/diffs/go-slog-migration.diff';

function cli(...args: string[]) {
  const r = spawnSync(TSX, ['scripts/review-plan.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('review-plan CLI', () => {
  it('prints the plan as JSON: chunks within the context, every file with its coverage, totals', () => {
    const { code, out } = cli(DIFF, '--json');
    expect(code).toBe(0);
    const plan = JSON.parse(out) as PlanJson;
    expect(plan.chunks.length).toBeGreaterThan(1);
    for (const c of plan.chunks) {
      expect(c.promptTokens).toBeLessThanOrEqual(4096 - plan.answerTokens);
      expect(c.files.length).toBeGreaterThan(0);
    }
    expect(plan.files).toContainEqual({ path: 'go.sum', coverage: 'skipped', reason: 'lock file' });
    expect(plan.files).toContainEqual({ path: 'vendor/github.com/x/y/y.go', coverage: 'skipped', reason: 'vendored dependency' });
    expect(plan.files.filter((f) => f.coverage === 'full')).toHaveLength(22);
    expect(plan.totals.promptTokens).toBe(plan.chunks.reduce((a, c) => a + c.promptTokens, 0));
    expect(plan.totals.diffTokens).toBeGreaterThan(0);
  });

  it('plans more, smaller chunks for a smaller context and applies ignore patterns and the call limit', () => {
    const big = JSON.parse(cli(DIFF, '--json').out) as PlanJson;
    const small = JSON.parse(cli(DIFF, '--json', '--context', '2048', '--ignore', 'internal/handlers/m*.go', '--max-calls', '5').out) as PlanJson;
    expect(small.chunks.length).toBeGreaterThan(big.chunks.length);
    for (const c of small.chunks) expect(c.promptTokens).toBeLessThanOrEqual(2048 - small.answerTokens);
    expect(small.files).toContainEqual({ path: 'internal/handlers/middleware.go', coverage: 'skipped', reason: 'matches your ignore pattern `internal/handlers/m*.go`' });
    expect(small.chunks.filter((c) => c.sent)).toHaveLength(4);
    expect(small.truncated).toBe(true);
    expect(small.files.some((f) => f.reason?.includes('call limit reached'))).toBe(true);
  });

  it('prints a readable table by default', () => {
    const { code, out } = cli('e2e/fixtures/diffs/ts-rate-limiter.diff');
    expect(code).toBe(0);
    expect(out).toMatch(/^chunk\s+prompt\s+diff\s+files$/m);
    expect(out).toMatch(/^package-lock\.json\s+skipped\s+lock file$/m);
    expect(out).toMatch(/^Total: \d+ model calls?, \d+ prompt tokens for \d+ tokens of reviewable diff/m);
  });

  it('fails with a usage message on a missing file or bad option', () => {
    expect(cli('no/such.diff').code).toBe(1);
    const r = cli('--context', 'abc', DIFF);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/usage: npm run --silent review-plan/);
  });
});
