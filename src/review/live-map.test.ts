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

describe('LiveMapParser, short format', () => {
  // The short format: file names instead of paths, no file in a one-file part, kind, why, first words.
  const SHORT = JSON.stringify({
    summary: ['a.ts: adds a retry loop', 'b.ts: renames the client'],
    findings: [
      { file: 'a.ts', line: 3, kind: 'major bug', title: 'Retry never stops', why: 'No upper bound.', quote: 'while (true)' },
      { file: 'b.ts', line: 9, kind: 'minor style', title: 'Old name in a comment', why: 'Stale.', quote: '// client' },
    ],
  });

  function stream(answer: string, files: string[]) {
    let clock = 0;
    const taken: RawFinding[] = [];
    const lines: Array<[string, string]> = [];
    const live = new LiveMapParser(files, { summary: (p, l) => lines.push([p, l]), findings: (f) => taken.push(...f) }, () => clock, 250);
    const early: number[] = [];
    for (let cut = 1; cut <= answer.length; cut += 5) {
      clock += 100;
      live.feed(answer.slice(0, cut));
      early.push(taken.length);
    }
    taken.push(...live.finish(parseMapAnswer(answer)));
    return { taken, lines, early };
  }

  it('shows per-file lines under the full paths and hands each finding over once while the answer streams', () => {
    const { taken, lines, early } = stream(SHORT, ['src/a.ts', 'src/b.ts']);
    // The first finding was handed over before the answer ended.
    expect(early.at(-1)).toBeGreaterThanOrEqual(1);
    expect(taken.map((f) => [f.file, f.title, f.severity, f.category])).toEqual([
      ['a.ts', 'Retry never stops', 'major', 'bug'],
      ['b.ts', 'Old name in a comment', 'minor', 'style'],
    ]);
    expect(lines).toEqual([
      ['src/a.ts', 'adds a retry loop'],
      ['src/b.ts', 'renames the client'],
    ]);
  });

  it('in a one-file part, gives the file its line and findings without any file named', () => {
    const answer = JSON.stringify({
      summary: ['adds a retry loop'],
      findings: [{ line: 3, kind: 'critical bug', title: 'Retry never stops', why: 'No upper bound.', quote: 'while (true)' }],
    });
    const { taken, lines } = stream(answer, ['src/a.ts']);
    expect(lines).toEqual([['src/a.ts', 'adds a retry loop']]);
    expect(taken).toMatchObject([{ file: '', line: 3, severity: 'critical', title: 'Retry never stops' }]);
  });

  it('at every cut of a short answer, reads a prefix of what the finished answer gives', () => {
    const full = parseMapAnswer(SHORT);
    expect(full.findings).toHaveLength(2);
    for (let cut = 0; cut <= SHORT.length; cut++) {
      const p = parsePartialMapAnswer(SHORT.slice(0, cut));
      expect(full.findings.slice(0, p.findings.length)).toEqual(p.findings);
      expect(full.summary.slice(0, p.summary.length)).toEqual(p.summary);
    }
  });
});
