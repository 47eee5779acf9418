import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMapAnswer, parseReduceAnswer } from './finding-parser';

const finding = {
  file: 'src/a.ts',
  line: 12,
  severity: 'major',
  category: 'bug',
  title: 'Off by one',
  explanation: 'The loop runs one time too many.',
  quote: 'for (let i = 0; i <= n; i++) {',
};
const good = JSON.stringify({ summary: ['src/a.ts: adds a loop'], findings: [finding] });

describe('parseMapAnswer', () => {
  it('reads plain JSON', () => {
    const a = parseMapAnswer(good);
    expect(a.ok).toBe(true);
    expect(a.summary).toEqual(['src/a.ts: adds a loop']);
    expect(a.findings).toEqual([{ ...finding, endLine: null }]);
  });

  it('reads JSON wrapped in a markdown fence with prose around it', () => {
    const a = parseMapAnswer(`Sure! Here is my review:\n\n\`\`\`json\n${JSON.stringify({ summary: [], findings: [finding] }, null, 2)}\n\`\`\`\nLet me know if you need more.`);
    expect(a.findings.map((f) => f.title)).toEqual(['Off by one']);
  });

  it('reads single quotes, unquoted keys, trailing commas and comments', () => {
    const text = `{summary: ['adds a loop',], // the summary
      findings: [{file: 'src/a.ts', line: '12', severity: 'MAJOR', category: 'bug', title: 'Off by one', explanation: 'It\\'s wrong', quote: 'x',},],}`;
    const a = parseMapAnswer(text);
    expect(a.findings).toHaveLength(1);
    expect(a.findings[0]).toMatchObject({ line: 12, severity: 'major', explanation: "It's wrong" });
  });

  it('keeps the complete findings of an answer cut off mid-way and counts the unfinished one as unparseable', () => {
    const second = JSON.stringify({ ...finding, line: 20, title: 'Second' });
    const cut = `{"summary":["s"],"findings":[${JSON.stringify(finding)},${second.slice(0, 60)}`;
    const a = parseMapAnswer(cut);
    expect(a.findings.map((f) => f.title)).toEqual(['Off by one']);
    expect(a.unparseable).toBe(1);
  });

  it('maps severity and category synonyms and counts findings it cannot use', () => {
    const text = JSON.stringify({
      summary: 'one string instead of a list',
      findings: [
        { ...finding, severity: 'High', category: 'Correctness' },
        { ...finding, severity: 'catastrophic' },
        { ...finding, file: '' },
        'not an object',
        { ...finding, line: 'L7-L9', category: 'something new' },
      ],
    });
    const a = parseMapAnswer(text);
    expect(a.summary).toEqual(['one string instead of a list']);
    // A finding without a file is kept for the anchor (the short format leaves the file out
    // when the part shows one file); one without a known severity is not.
    expect(a.findings.map((f) => [f.file, f.severity, f.category, f.line, f.endLine])).toEqual([
      ['src/a.ts', 'major', 'bug', 12, null],
      ['', 'major', 'bug', 12, null],
      ['src/a.ts', 'major', 'maintainability', 7, 9],
    ]);
    expect(a.unparseable).toBe(2);
  });

  it('says it found nothing in prose, empty output and garbage', () => {
    for (const text of ['', 'Looks good to me!', '}{][', '{"unrelated": 1}', '```\n```']) {
      const a = parseMapAnswer(text);
      expect(a.ok, text).toBe(false);
      expect(a.findings).toEqual([]);
    }
  });

  it('copes with over-long and deeply nested output without throwing', () => {
    const long = `{"summary":["${'x'.repeat(300_000)}"],"findings":[${JSON.stringify(finding)}]}`;
    expect(() => parseMapAnswer(long)).not.toThrow();
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(parseMapAnswer(deep).findings).toEqual([]);
    const repeated = `{"summary":[],"findings":[${Array.from({ length: 500 }, () => JSON.stringify(finding)).join(',')}]}`;
    expect(parseMapAnswer(repeated).findings.length).toBeLessThanOrEqual(200);
  });

  it('never throws on arbitrary text, and finds a valid answer embedded anywhere in it', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const a = parseMapAnswer(`${before.replace(/[{[]/g, '')}${good}${after}`);
        expect(a.findings.map((f) => f.title)).toEqual(['Off by one']);
        parseMapAnswer(before + after);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on truncations of a valid answer, and never invents findings', () => {
    const text = JSON.stringify({ summary: ['a', 'b'], findings: [finding, { ...finding, line: 30, title: 'Two' }] });
    for (let i = 0; i <= text.length; i++) {
      const a = parseMapAnswer(text.slice(0, i));
      expect(a.findings.length).toBeLessThanOrEqual(2);
      for (const f of a.findings) expect(f.quote).toBe(finding.quote);
    }
  });
});

describe('parseReduceAnswer', () => {
  it('reads the final review and rejects an answer without a summary', () => {
    expect(parseReduceAnswer('```json\n{"summary":"Adds a limiter.","risks":["Retries 429 forever"],"changes":["New RateLimiter"]}\n```')).toEqual({
      summary: 'Adds a limiter.',
      risks: ['Retries 429 forever'],
      changes: ['New RateLimiter'],
      ok: true,
    });
    expect(parseReduceAnswer('{"risks":[]}').ok).toBe(false);
    expect(parseReduceAnswer('I cannot help with that.').ok).toBe(false);
  });
});

describe('parseMapAnswer, short format', () => {
  const short = {
    line: 12,
    end: 14,
    kind: 'major bug',
    title: 'Off by one',
    why: 'The loop runs one time too many.',
    fix: 'i < n',
    quote: 'for (let i = 0;',
  };

  it('reads kind, why, fix and end into the same finding as the long format, with no file when none is named', () => {
    const a = parseMapAnswer(JSON.stringify({ summary: ['a.ts: adds a loop'], findings: [short, { ...short, file: 'a.ts', line: 30, end: undefined }] }));
    expect(a.ok).toBe(true);
    expect(a.unparseable).toBe(0);
    expect(a.findings).toEqual([
      { file: '', line: 12, endLine: 14, severity: 'major', category: 'bug', title: 'Off by one', explanation: 'The loop runs one time too many.', suggestion: 'i < n', quote: 'for (let i = 0;' },
      { file: 'a.ts', line: 30, endLine: null, severity: 'major', category: 'bug', title: 'Off by one', explanation: 'The loop runs one time too many.', suggestion: 'i < n', quote: 'for (let i = 0;' },
    ]);
  });

  it('reads kind in any case, order or separator, and counts a kind without a severity as unparseable', () => {
    const kinds = ['Critical Security', 'security/critical', 'nit-style', 'minor', 'high correctness', 'bug', 'catastrophic bug'];
    const a = parseMapAnswer(JSON.stringify({ findings: kinds.map((kind) => ({ ...short, kind })) }));
    expect(a.findings.map((f) => `${f.severity} ${f.category}`)).toEqual([
      'critical security',
      'critical security',
      'nit style',
      'minor maintainability',
      'major bug',
    ]);
    expect(a.unparseable).toBe(2);
  });

  it('lets an explicit severity or category win over kind (a model mixing the formats)', () => {
    const a = parseMapAnswer(JSON.stringify({ findings: [{ ...short, kind: 'minor style', severity: 'critical' }] }));
    expect(a.findings[0]).toMatchObject({ severity: 'critical', category: 'style' });
  });

  it('keeps the finished findings of a short answer cut off at any point, and never invents one', () => {
    const text = JSON.stringify({ summary: ['a'], findings: [short, { ...short, line: 30, title: 'Two' }] });
    const firstEnds = text.indexOf('},{') + 1;
    const secondEnds = text.lastIndexOf('}]') + 1;
    for (let i = 0; i <= text.length; i++) {
      const a = parseMapAnswer(text.slice(0, i));
      const expected = (i >= firstEnds ? 1 : 0) + (i >= secondEnds ? 1 : 0);
      expect(a.findings.map((f) => f.title), `cut at ${i}`).toEqual(['Off by one', 'Two'].slice(0, expected));
    }
  });
});
