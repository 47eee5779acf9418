import { describe, expect, it } from 'vitest';
import { parseMapAnswer, parsePartialMapAnswer, type RawFinding } from './finding-parser';
import { LiveMapParser } from './live-map';

const ANSWER = JSON.stringify({
  summary: ['src/a.ts: adds a retry loop', 'src/b.ts: renames the client'],
  findings: [
    { file: 'src/a.ts', line: 3, severity: 'major', category: 'bug', title: 'Retry never stops', explanation: 'No upper bound.', quote: 'while (true) {' },
    { file: 'src/b.ts', line: 9, severity: 'minor', category: 'style', title: 'Old name in a comment', explanation: 'Stale.', quote: '// client' },
  ],
});

describe('parsePartialMapAnswer', () => {
  it('reads nothing half-written: a summary line that may still grow, a finding not closed', () => {
    const cut = ANSWER.indexOf('adds a retry') + 6;
    expect(parsePartialMapAnswer(ANSWER.slice(0, cut)).summary).toEqual([]);
    const afterFirstLine = ANSWER.indexOf('"src/b.ts: renames') + 5;
    expect(parsePartialMapAnswer(ANSWER.slice(0, afterFirstLine)).summary).toEqual(['src/a.ts: adds a retry loop']);
    const inSecondFinding = ANSWER.indexOf('Old name') + 3;
    const partial = parsePartialMapAnswer(ANSWER.slice(0, inSecondFinding));
    expect(partial.summary).toHaveLength(2);
    expect(partial.findings.map((f) => f.title)).toEqual(['Retry never stops']);
  });

  it('at every cut, what it reads is a prefix of what the finished answer gives', () => {
    const full = parseMapAnswer(ANSWER);
    for (let cut = 0; cut <= ANSWER.length; cut += 7) {
      const p = parsePartialMapAnswer(ANSWER.slice(0, cut));
      expect(full.findings.slice(0, p.findings.length)).toEqual(p.findings);
      expect(full.summary.slice(0, p.summary.length)).toEqual(p.summary);
    }
  });
});

describe('LiveMapParser', () => {
  it('hands each finding over once, early or at the end, and per-file summary lines as they complete', () => {
    let clock = 0;
    const taken: RawFinding[] = [];
    const lines: Array<[string, string]> = [];
    const live = new LiveMapParser(['src/a.ts', 'src/b.ts'], { summary: (p, l) => lines.push([p, l]), findings: (f) => taken.push(...f) }, () => clock, 250);
    for (let cut = 1; cut <= ANSWER.length; cut += 5) {
      clock += 100;
      live.feed(ANSWER.slice(0, cut));
    }
    const early = taken.length;
    expect(early).toBeGreaterThanOrEqual(1);
    taken.push(...live.finish(parseMapAnswer(ANSWER)));
    expect(taken.map((f) => f.title)).toEqual(['Retry never stops', 'Old name in a comment']);
    expect(lines).toEqual([
      ['src/a.ts', 'adds a retry loop'],
      ['src/b.ts', 'renames the client'],
    ]);
  });

  it('parses at most once per interval', () => {
    let parses = 0;
    const live = new LiveMapParser(['src/a.ts'], { summary: () => parses++, findings: () => undefined }, () => 0, 250);
    live.feed('{"summary": ["src/a.ts: one", "x"');
    live.feed('{"summary": ["src/a.ts: one", "two", "x"');
    expect(parses).toBe(1);
  });
});
