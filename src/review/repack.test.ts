import { describe, expect, it } from 'vitest';
import { chunkText, splitFile } from './chunker';
import { repackRemaining } from './repack';
import { makeSpacedFile } from './testing/diff-builder';
import { estimateTokens } from './token-budget';

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
