import { describe, expect, it } from 'vitest';
import { anchorFinding, indexFile } from './anchor';
import type { RawFinding } from './finding-parser';
import { FindingCollector } from './findings';
import { makeFile } from './testing/diff-builder';

const file = makeFile('src/app.ts', [
  {
    oldStart: 10,
    newStart: 10,
    lines: [
      ' function total(items) {',
      '-  let sum = 0;',
      '+  let sum = 1;',
      '+  for (let i = 0; i <= items.length; i++) {',
      '+    sum += items[i].price;',
      '+  }',
      '   return sum;',
      ' }',
    ],
  },
  {
    oldStart: 40,
    newStart: 42,
    lines: [' const a = load();', '+  }', '+  log("done");', ' const b = 2;', '+  log("done");', ' export { a, b };'],
  },
]);
const other = makeFile('src/util.ts', [['+export const retries = 3;']]);
const idx = [indexFile(file), indexFile(other)];

function raw(p: Partial<RawFinding>): RawFinding {
  return { file: 'src/app.ts', line: 11, endLine: null, severity: 'major', category: 'bug', title: 't', explanation: 'e', quote: '', ...p };
}

describe('anchorFinding', () => {
  it('keeps a finding whose line and quote agree', () => {
    expect(anchorFinding(raw({ line: 11, quote: 'let sum = 1;' }), idx, idx)).toMatchObject({ ok: true, line: 11, quote: '  let sum = 1;' });
  });

  it('moves a finding whose line number is off by several lines to the quoted line', () => {
    expect(anchorFinding(raw({ line: 30, quote: 'for (let i = 0; i <= items.length; i++) {' }), idx, idx)).toMatchObject({ ok: true, line: 12 });
    expect(anchorFinding(raw({ line: 1, quote: '  sum += items[i].price;' }), idx, idx)).toMatchObject({ ok: true, line: 13 });
  });

  it('ignores whitespace differences and a diff marker copied into the quote', () => {
    expect(anchorFinding(raw({ line: 5, quote: '13+    sum   +=  items[i].price;' }), idx, idx)).toMatchObject({ ok: true, line: 13 });
    expect(anchorFinding(raw({ line: 5, quote: '+let sum = 1;' }), idx, idx)).toMatchObject({ ok: true, line: 11 });
  });

  it('picks the copy of a repeated line nearest the model’s number, and drops the finding when two are equally near', () => {
    // `log("done");` is added at 44 and 46.
    expect(anchorFinding(raw({ line: 47, quote: 'log("done");' }), idx, idx)).toMatchObject({ ok: true, line: 46 });
    expect(anchorFinding(raw({ line: 45, quote: 'log("done");' }), idx, idx)).toEqual({ ok: false, reason: 'ambiguous' });
    expect(anchorFinding(raw({ line: null, quote: 'log("done");' }), idx, idx)).toEqual({ ok: false, reason: 'ambiguous' });
  });

  it('drops findings about lines that are not in the diff', () => {
    expect(anchorFinding(raw({ quote: 'this line was never written' }), idx, idx)).toEqual({ ok: false, reason: 'notInDiff' });
    expect(anchorFinding(raw({ file: 'src/missing.ts', quote: 'nothing' }), idx, idx)).toEqual({ ok: false, reason: 'notInDiff' });
    // A removed line has no new-side position.
    expect(anchorFinding(raw({ quote: 'let sum = 0;' }), idx, idx)).toEqual({ ok: false, reason: 'notInDiff' });
  });

  it('trusts a bare line number only when it is an added line and the quote says nothing', () => {
    expect(anchorFinding(raw({ line: 14, quote: '}' }), idx, idx)).toMatchObject({ ok: true, line: 14 });
    expect(anchorFinding(raw({ line: 10, quote: '' }), idx, idx)).toEqual({ ok: false, reason: 'notInDiff' });
    expect(anchorFinding(raw({ line: 99, quote: '' }), idx, idx)).toEqual({ ok: false, reason: 'notInDiff' });
  });

  it('fixes a wrong or shortened path', () => {
    expect(anchorFinding(raw({ file: 'app.ts', line: 11, quote: 'let sum = 1;' }), idx, idx)).toMatchObject({ ok: true, file: 'src/app.ts' });
    expect(anchorFinding(raw({ file: 'src/app.ts', line: 1, quote: 'export const retries = 3;' }), idx, idx)).toMatchObject({ ok: true, file: 'src/util.ts', line: 1 });
  });

  it('shifts an end line along with a corrected start line, within the diff', () => {
    expect(anchorFinding(raw({ line: 22, endLine: 24, quote: 'for (let i = 0; i <= items.length; i++) {' }), idx, idx)).toMatchObject({ line: 12, endLine: 14 });
    expect(anchorFinding(raw({ line: 12, endLine: 400, quote: 'for (let i = 0; i <= items.length; i++) {' }), idx, idx)).not.toHaveProperty('endLine');
  });
});

describe('anchorFinding, short map format', () => {
  it('anchors a quote of the line’s first words to the whole line, and shows the whole line', () => {
    expect(anchorFinding(raw({ line: 30, quote: 'for (let i' }), idx, idx)).toMatchObject({ ok: true, line: 12, quote: '  for (let i = 0; i <= items.length; i++) {' });
    // Short prefixes count too, once they tell the line apart: "sum" starts line 13 only.
    expect(anchorFinding(raw({ line: null, quote: 'sum +=' }), idx, idx)).toMatchObject({ ok: true, line: 13, quote: '    sum += items[i].price;' });
    expect(anchorFinding(raw({ line: 5, quote: '13+  let sum' }), idx, idx)).toMatchObject({ ok: true, line: 11 });
    // Under 4 characters a prefix says nothing: it is not taken as the start of a line.
    expect(anchorFinding(raw({ line: 11, quote: 'let' }), idx, idx)).toEqual({ ok: false, reason: 'notInDiff' });
  });

  it('prefers the lines a prefix starts over lines that merely contain it', () => {
    const f = makeFile('src/m.ts', [['+const total = sum(items);', '+sum(items).forEach(log);']]);
    const i = [indexFile(f)];
    // The model's number points at line 1, which contains the words; line 2 starts with them.
    expect(anchorFinding(raw({ file: 'src/m.ts', line: 1, quote: 'sum(items)' }), i, i)).toMatchObject({ ok: true, line: 2 });
  });

  it('picks the nearest of several lines a prefix starts, and drops the finding on a tie or with no number', () => {
    // `log("done");` is added at 44 and 46: the prefix `log(` starts both.
    expect(anchorFinding(raw({ line: 47, quote: 'log(' }), idx, idx)).toMatchObject({ ok: true, line: 46 });
    expect(anchorFinding(raw({ line: 45, quote: 'log(' }), idx, idx)).toEqual({ ok: false, reason: 'ambiguous' });
    expect(anchorFinding(raw({ line: null, quote: 'log(' }), idx, idx)).toEqual({ ok: false, reason: 'ambiguous' });
  });

  it('puts a finding without a file on the part’s only file, trusting an added line number when the quote says nothing', () => {
    const one = [indexFile(file)];
    expect(anchorFinding(raw({ file: '', line: 40, quote: 'let sum' }), one, idx)).toMatchObject({ ok: true, file: 'src/app.ts', line: 11 });
    expect(anchorFinding(raw({ file: '', line: 14, quote: '}' }), one, idx)).toMatchObject({ ok: true, file: 'src/app.ts', line: 14 });
    expect(anchorFinding(raw({ file: '', line: 14, quote: 'not here' }), one, idx)).toEqual({ ok: false, reason: 'notInDiff' });
  });

  it('finds the file of a finding without one in a part of several files by its quote, or drops it when the quote could be in either', () => {
    expect(anchorFinding(raw({ file: '', line: 1, quote: 'export const' }), idx, idx)).toMatchObject({ ok: true, file: 'src/util.ts', line: 1 });
    expect(anchorFinding(raw({ file: '', line: 11, quote: 'let sum' }), idx, idx)).toMatchObject({ ok: true, file: 'src/app.ts', line: 11 });
    const twin = makeFile('src/twin.ts', [['+  let sum = 1;']]);
    const both = [indexFile(file), indexFile(twin)];
    expect(anchorFinding(raw({ file: '', line: 11, quote: 'let sum' }), both, both)).toEqual({ ok: false, reason: 'ambiguous' });
    expect(anchorFinding(raw({ file: '', line: 11, quote: '}' }), both, both)).toEqual({ ok: false, reason: 'notInDiff' });
  });

  it('resolves a file given by its name alone, and a name two files share by the quote', () => {
    const a = makeFile('web/index.ts', [['+render(app);']]);
    const b = makeFile('server/index.ts', [['+listen(8080);']]);
    const i = [indexFile(a), indexFile(b)];
    expect(anchorFinding(raw({ file: 'index.ts', line: 1, quote: 'listen(' }), i, i)).toMatchObject({ ok: true, file: 'server/index.ts' });
    expect(anchorFinding(raw({ file: 'web/index.ts', line: 1, quote: 'render' }), i, i)).toMatchObject({ ok: true, file: 'web/index.ts' });
  });
});

describe('FindingCollector', () => {
  it('dedupes, caps per file, applies the depth threshold and counts every drop', () => {
    const c = new FindingCollector('quick');
    const list = [
      raw({ severity: 'critical', title: 'Off by one', line: 12, quote: 'for (let i = 0; i <= items.length; i++) {' }),
      raw({ severity: 'major', title: 'off  by one', line: 12, quote: 'for (let i = 0; i <= items.length; i++) {' }),
      raw({ severity: 'minor', title: 'Naming', quote: 'let sum = 1;' }),
      raw({ severity: 'major', title: 'Wrong start', line: 11, quote: 'let sum = 1;' }),
      raw({ severity: 'major', title: 'Crash on empty', line: 13, quote: 'sum += items[i].price;' }),
      raw({ severity: 'major', title: 'Invented', quote: 'nope nope nope' }),
      raw({ severity: 'major', title: 'Fourth', line: 44, quote: 'log("done");' }),
    ];
    const accepted = c.add(list, idx, idx);
    expect(accepted.map((f) => f.title)).toEqual(['Off by one', 'Wrong start', 'Crash on empty']);
    expect(c.dropped).toEqual({ notInDiff: 1, ambiguous: 0, duplicate: 1, overCap: 1, belowThreshold: 1, unparseable: 0 });
    expect(new Set(accepted.map((f) => f.id)).size).toBe(3);
  });

  it('gives the same finding the same id in another review', () => {
    const a = new FindingCollector('thorough').add([raw({ quote: 'let sum = 1;' })], idx, idx)[0]!;
    const b = new FindingCollector('thorough').add([raw({ line: 3, quote: 'let sum = 1;' })], idx, idx)[0]!;
    expect(a.id).toBe(b.id);
  });
});
