import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SEVERITIES, type Finding, type Severity } from './review';
import { countBySeverity, groupFindings } from './finding-groups';

function finding(id: string, severity: Severity, file: string, line: number, extra: Partial<Finding> = {}): Finding {
  return { id, severity, file, line, category: 'bug', title: `t-${id}`, explanation: 'e', quote: 'q', ...extra };
}

describe('groupFindings', () => {
  it('orders groups critical to nit and omits empty severities', () => {
    const result = groupFindings([
      finding('a', 'nit', 'a.ts', 1),
      finding('b', 'critical', 'a.ts', 2),
      finding('c', 'minor', 'a.ts', 3),
      finding('d', 'critical', 'a.ts', 1),
    ]);
    expect(result.groups.map((g) => [g.severity, g.count])).toEqual([
      ['critical', 2],
      ['minor', 1],
      ['nit', 1],
    ]);
    expect(result.total).toBe(4);
  });

  it('sorts within a group by file, then line', () => {
    const result = groupFindings([
      finding('1', 'major', 'src/b.ts', 5),
      finding('2', 'major', 'src/a.ts', 40),
      finding('3', 'major', 'src/a.ts', 7),
      finding('4', 'major', 'src/b.ts', 1),
    ]);
    expect(result.groups[0]?.findings.map((f) => f.id)).toEqual(['3', '2', '4', '1']);
  });

  it('hides dismissed findings and counts them', () => {
    const all = [finding('a', 'major', 'x.ts', 1), finding('b', 'major', 'x.ts', 2), finding('c', 'nit', 'x.ts', 3)];
    const result = groupFindings(all, new Set(['b', 'c']));
    expect(result.groups.map((g) => g.findings.map((f) => f.id))).toEqual([['a']]);
    expect(result.total).toBe(1);
    expect(result.dismissed).toBe(2);
    expect(groupFindings(all, ['a']).groups[0]?.count).toBe(1);
  });

  it('shows a finding with an unknown severity (old stored review) as a nit rather than losing it', () => {
    const odd = { ...finding('z', 'nit', 'x.ts', 1), severity: 'blocker' as Severity };
    expect(groupFindings([odd]).groups).toEqual([{ severity: 'nit', findings: [odd], count: 1 }]);
  });

  it('keeps every non-dismissed finding exactly once, in severity then file order (property)', () => {
    const arbFinding = fc.record({
      id: fc.string({ maxLength: 4 }),
      severity: fc.constantFrom(...SEVERITIES),
      file: fc.constantFrom('a.ts', 'b.ts', 'src/c.ts'),
      line: fc.integer({ min: 1, max: 50 }),
    });
    fc.assert(
      fc.property(fc.array(arbFinding, { maxLength: 30 }), fc.array(fc.string({ maxLength: 4 }), { maxLength: 5 }), (raw, dismissed) => {
        const findings = raw.map((r) => finding(r.id, r.severity, r.file, r.line));
        const result = groupFindings(findings, dismissed);
        const flat = result.groups.flatMap((g) => g.findings);
        const expected = findings.filter((f) => !dismissed.includes(f.id));
        expect(flat.length).toBe(expected.length);
        expect(new Set(flat)).toEqual(new Set(expected));
        for (let i = 1; i < flat.length; i++) {
          const prev = flat[i - 1]!;
          const cur = flat[i]!;
          const bySeverity = SEVERITIES.indexOf(prev.severity) - SEVERITIES.indexOf(cur.severity);
          expect(bySeverity).toBeLessThanOrEqual(0);
          if (bySeverity === 0 && prev.file === cur.file) expect(prev.line).toBeLessThanOrEqual(cur.line);
        }
      }),
    );
  });
});

describe('countBySeverity', () => {
  it('counts every severity, zeros included', () => {
    expect(countBySeverity([finding('a', 'major', 'x', 1), finding('b', 'major', 'x', 2)], ['b'])).toEqual({
      critical: 0,
      major: 1,
      minor: 0,
      nit: 0,
    });
  });
});
