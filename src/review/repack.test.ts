import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { chunkText, splitFile } from './chunker';
import { runReview } from './pipeline';
import { repackRemaining } from './repack';
import { makeDiff, makeSpacedFile } from './testing/diff-builder';
import { qwenTokenizer } from './testing/reference-tokenizers';
import { ScriptedEngine } from '../engine/scripted-engine';
import { addedLinesInRequest, filesInRequest, plausibleResponder, requestKind } from './testing/scripts';
import { estimateTokens } from './token-budget';
import { UsageCalibration } from './token-calibration';

const hunk = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `+const ${tag}${i} = compute${tag}(${i});`);
const count = estimateTokens;

describe('repackRemaining', () => {
  it('cuts untouched files again at the calibrated room, fills a chunk with the next file\'s first hunks, and loses no line', () => {
    const a = makeSpacedFile('src/a.ts', [hunk('a', 30)], 5);
    const b = makeSpacedFile('src/b.ts', [hunk('b', 12), hunk('c', 12), hunk('d', 12)], 5);
    const room = splitFile(a, 1e9, count)[0]!.tokens + 260;
    const old = [...splitFile(a, 300, count), ...splitFile(b, 300, count)];
    const { chunks, recut } = repackRemaining({
      remaining: old,
      untouched: new Map([
        ['src/a.ts', a],
        ['src/b.ts', b],
      ]),
      room,
      countFor: () => count,
      pieceTokens: (p) => count(p.text),
      idPrefix: 'r1',
    });
    // a was cut in pieces at 300; with the room it is whole again, and b's first hunks fill the rest.
    expect(recut.get('src/a.ts')).toHaveLength(1);
    expect(chunks[0]!.pieces.map((p) => p.path)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(chunks.every((c) => c.diffTokens <= room)).toBe(true);
    const text = chunks.map(chunkText).join('\n');
    for (const l of [...hunk('a', 30), ...hunk('b', 12), ...hunk('c', 12), ...hunk('d', 12)]) expect(text).toContain(l.slice(1));
    // Ids are new and unique, and the recut map names every piece sent.
    const ids = chunks.flatMap((c) => c.pieces.map((p) => p.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set([...recut.values()].flat().map((p) => p.id)));
  });

  it('keeps the parts of a half-reviewed file as they are, recounted', () => {
    const a = makeSpacedFile('src/a.ts', [hunk('a', 10), hunk('b', 10)], 5);
    const parts = splitFile(a, 120, count);
    const { chunks, recut } = repackRemaining({
      remaining: parts.slice(1),
      untouched: new Map(),
      room: 2000,
      countFor: () => count,
      pieceTokens: (p) => Math.ceil(count(p.text) * 0.5),
      idPrefix: 'r1',
    });
    expect(recut.size).toBe(0);
    expect(chunks.flatMap((c) => c.pieces.map((p) => p.id))).toEqual(parts.slice(1).map((p) => p.id));
    expect(chunks[0]!.diffTokens).toBe(parts.slice(1).reduce((s, p) => s + Math.ceil(count(p.text) * 0.5), 0));
  });
});

describe('repackRemaining cuts a one-hunk file at a line to fill the room left', () => {
  const lines = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `+export const ${tag}${i} = load${tag}(${i}, "${tag}");`);
  const a = makeSpacedFile('src/a.ts', [lines('a', 30)], 5);
  const b = makeSpacedFile('src/b.ts', [lines('b', 40)], 5);
  const whole = (f: typeof a) => splitFile(f, 1e9, count)[0]!;
  // Room for a whole and about half of b: b has one hunk, so only a line cut can fill the chunk.
  const room = whole(a).tokens + Math.floor(whole(b).tokens / 2);
  const { chunks, recut } = repackRemaining({
    remaining: [whole(a), whole(b)],
    untouched: new Map([
      ['src/a.ts', a],
      ['src/b.ts', b],
    ]),
    room,
    countFor: () => count,
    pieceTokens: (p) => count(p.text),
    idPrefix: 'r1',
  });

  it('fills the first chunk to within a line of the room, the rest of b opening the next', () => {
    expect(chunks).toHaveLength(2);
    expect(chunks[0]!.pieces.map((p) => p.path)).toEqual(['src/a.ts', 'src/b.ts']);
    const longestLine = Math.max(...lines('b', 40).map((l) => count(`${l}\n`)));
    expect(chunks[0]!.diffTokens).toBeLessThanOrEqual(room);
    expect(chunks[0]!.diffTokens).toBeGreaterThan(room - longestLine - 8);
    // A chunk's count is the count of the text it sends, line by line (as the first plan counts).
    for (const c of chunks) expect(c.diffTokens).toBe(c.pieces.reduce((s, p) => s + p.text.split('\n').reduce((t, l) => t + count(`${l}\n`), 0), 0));
  });

  it("sends every line of b exactly once, each part under the file's header, the rest under the hunk's head marked continued", () => {
    const parts = recut.get('src/b.ts')!;
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => p.text.split('\n')[0])).toEqual(['### src/b.ts (modified)', '### src/b.ts (modified)']);
    expect(parts[1]!.text.split('\n')[1]).toBe('@@ (continued)');
    const sent = chunks.flatMap((c) => c.pieces.filter((p) => p.path === 'src/b.ts')).flatMap((p) => p.text.split('\n').filter((l) => /^\d+\+/.test(l)));
    expect(sent).toEqual(lines('b', 40).map((l, i) => `${i + 1}${l}`));
    // The recut map names exactly the pieces sent for b (coverage counts them).
    expect(new Set(parts.map((p) => p.id))).toEqual(new Set(chunks.flatMap((c) => c.pieces.filter((p) => p.path === 'src/b.ts').map((p) => p.id))));
  });

  it('leaves a piece whole when less than a line of room is left', () => {
    const big = makeSpacedFile('src/a.ts', [lines('a', 60)], 5);
    const tight = repackRemaining({
      remaining: [whole(big), whole(b)],
      untouched: new Map([
        ['src/a.ts', big],
        ['src/b.ts', b],
      ]),
      room: whole(big).tokens + 12,
      countFor: () => count,
      pieceTokens: (p) => count(p.text),
      idPrefix: 'r1',
    });
    expect(tight.recut.get('src/b.ts')?.length ?? 1).toBe(1);
    expect(tight.chunks.map((c) => c.pieces.map((p) => p.path))).toEqual([['src/a.ts'], ['src/b.ts']]);
  });
});

describe('a file cut at a line across two calls, in a calibrated review', () => {
  it('sends each added line once, and a finding on a line of the second part lands on that line', async () => {
    // Six one-hunk files of ~45 lines: with a warm calibration, chunks end inside a file.
    const files = ['api', 'cache', 'queue', 'store', 'auth', 'jobs'].map((name) =>
      makeSpacedFile(
        `src/${name}.ts`,
        [Array.from({ length: 45 }, (_, i) => `+export function ${name}Step${i}(input: ${name}Input): Promise<void> { return run("${name}", ${i}, input); }`)],
        4,
      ),
    );
    const diff = makeDiff(files);
    const settings = { ...DEFAULT_SETTINGS, ignorePatterns: [], maxModelCalls: 100 };
    // The engine offers no tokenizer (as web-llm and wllama): only each answer's usage.
    const engine = new ScriptedEngine({ respond: plausibleResponder, contextWindow: 4096, tokenizer: qwenTokenizer.count, exposeTokenizer: false, deltaChars: 100_000 });
    const calibration = new UsageCalibration();
    await runReview({ diff, settings, engine, calibration }, () => {}, new AbortController().signal);
    const from = engine.requests.length;
    const review = await runReview({ diff, settings, engine, calibration }, () => {}, new AbortController().signal);
    const maps = engine.requests.slice(from).filter((r) => requestKind(r) === 'map');

    // Some file is in two calls: its second part starts with the hunk head marked continued.
    const split = files.map((f) => f.path).find((p) => maps.filter((r) => filesInRequest(r).includes(p)).length === 2);
    expect(split).toBeDefined();
    const second = maps.filter((r) => filesInRequest(r).includes(split!))[1]!;
    expect(second.messages[1]!.content).toContain(`### ${split} (modified)\n@@ (continued)\n`);
    // Every added line of every file was sent exactly once, with its own line number.
    const sent = maps.flatMap((r) => addedLinesInRequest(r)).map((a) => `${a.file}:${a.line}:${a.text}`);
    const expected = files.flatMap((f) => f.hunks[0]!.lines.map((l) => `${f.path}:${l.newNumber}:${l.text}`));
    expect(sent.sort()).toEqual(expected.sort());
    // plausibleResponder puts a finding on each file's first added line in each call: for the
    // second part, a line in the middle of the file, which must anchor to its real number.
    const firstOfSecond = addedLinesInRequest(second).find((a) => a.file === split)!;
    expect(firstOfSecond.line).toBeGreaterThan(1);
    expect(review.findings.some((f) => f.file === split && f.line === firstOfSecond.line && f.quote.includes(firstOfSecond.text.trim()))).toBe(true);
    expect(review.coverage.find((c) => c.path === split)?.coverage).toBe('full');
  });
});
