/**
 * Cuts the reviewable files into pieces that fit a token budget and packs them into chunks
 * (one model call each). Nothing reviewable is dropped: a big file is split at hunk boundaries,
 * a big hunk at line boundaries, and every piece lands in exactly one chunk.
 */
import type { DiffFile } from '../model/diff';
import { fileHeader, renderHunk } from './diff-format';
import type { TokenCounter } from './token-budget';

export interface Piece {
  /** Unique within a plan (`path#part`, `path#part.sub` after a re-split); coverage counts these. */
  id: string;
  path: string;
  /** 1-based position among the file's pieces, and how many there are. */
  part: number;
  parts: number;
  /** Compact diff text of this piece, header included, ending without a newline. */
  text: string;
  tokens: number;
  /** True when a long line was shortened in this piece. */
  cut: boolean;
}

export interface Chunk {
  pieces: Piece[];
  /** Sum of the pieces' tokens (the diff part of the prompt). */
  diffTokens: number;
}

export type FileKind = 'source' | 'test' | 'docs-config';

const TEST_PATH = /(^|\/)(tests?|__tests__|specs?|e2e|testing)\/|\.(test|spec)\.[^/]+$|_test\.[^/]+$|(^|\/)test_[^/]+\.py$/i;
const DOC_PATH = /(^|\/)docs?\/|\.(md|mdx|markdown|rst|adoc|txt)$/i;
const CONFIG_PATH =
  /\.(json|jsonc|ya?ml|toml|ini|cfg|conf|xml|properties|env|editorconfig|gitignore|gitattributes|npmrc|nvmrc)$|(^|\/)\.[^/]+$|(^|\/)\.github\/|(^|\/)(go\.mod|Makefile|Dockerfile|Cargo\.toml|requirements[^/]*\.txt)$/i;

/** Source first, then tests, then docs and configuration: the review's attention goes there. */
export function fileKind(path: string): FileKind {
  if (TEST_PATH.test(path)) return 'test';
  if (DOC_PATH.test(path) || CONFIG_PATH.test(path)) return 'docs-config';
  return 'source';
}

const KIND_RANK: Record<FileKind, number> = { source: 0, test: 1, 'docs-config': 2 };

export function changedLineCount(file: DiffFile): number {
  let n = 0;
  for (const h of file.hunks) for (const l of h.lines) if (l.kind !== 'context') n++;
  return n;
}

/** Importance order: kind, then bigger changes first, then path (so the order is stable). */
export function orderFiles(files: readonly DiffFile[]): DiffFile[] {
  return [...files].sort(
    (a, b) =>
      KIND_RANK[fileKind(a.path)] - KIND_RANK[fileKind(b.path)] ||
      changedLineCount(b) - changedLineCount(a) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}

interface Block {
  lines: string[];
  tokens: number;
  /** A line of its hunk was shortened (the file is then only partly reviewed). */
  cut: boolean;
}

/**
 * Splits one file into pieces of at most `maxTokens` (header included). A line is never split;
 * `maxTokens` must leave room for the header plus one line, which the planner guarantees by
 * keeping lines short (diff-format.ts) and the budget well above a line.
 */
export function splitFile(file: DiffFile, maxTokens: number, count: TokenCounter): Piece[] {
  const header = fileHeader(file);
  const headerTokens = count(`${header}\n`);
  const room = Math.max(1, maxTokens - headerTokens);

  const blocks: Block[] = [];
  for (const hunk of file.hunks) {
    const r = renderHunk(hunk);
    const headTokens = count(`${r.head}\n`);
    // Even one line must fit beside the head (a very long non-ASCII line in a tiny context).
    const lineRoom = Math.max(1, room - headTokens - 8);
    let shortened = false;
    r.lines = r.lines.map((l) => {
      const t = count(`${l}\n`);
      if (t <= lineRoom) return l;
      shortened = true;
      let keep = Math.floor((l.length * lineRoom) / t / 2);
      while (keep > 0 && count(`${l.slice(0, keep)}…[line cut]\n`) > lineRoom) keep = Math.floor(keep / 2);
      return `${l.slice(0, keep)}…[line cut]`;
    });
    if (shortened) r.cut = true;
    const lineTokens = r.lines.map((l) => count(`${l}\n`));
    const total = headTokens + lineTokens.reduce((a, b) => a + b, 0);
    if (total <= room) {
      blocks.push({ lines: [r.head, ...r.lines], tokens: total, cut: r.cut });
      continue;
    }
    // One hunk bigger than the room: cut it at line boundaries, repeating its head.
    const contHead = `${r.head} (continued)`;
    const contTokens = count(`${contHead}\n`);
    let cur: Block = { lines: [r.head], tokens: headTokens, cut: r.cut };
    for (let i = 0; i < r.lines.length; i++) {
      const t = lineTokens[i]!;
      if (cur.lines.length > 1 && cur.tokens + t > room) {
        blocks.push(cur);
        cur = { lines: [contHead], tokens: contTokens, cut: r.cut };
      }
      const line = r.lines[i]!;
      cur.lines.push(line);
      cur.tokens += t;
    }
    if (cur.lines.length > 1) blocks.push(cur);
  }

  // Greedy: consecutive blocks share a piece while they fit.
  const groups: Block[][] = [];
  let group: Block[] = [];
  let used = 0;
  for (const b of blocks) {
    if (group.length > 0 && used + b.tokens > room) {
      groups.push(group);
      group = [];
      used = 0;
    }
    group.push(b);
    used += b.tokens;
  }
  if (group.length > 0) groups.push(group);

  return groups.map((g, i) => ({
    id: `${file.path}#${i + 1}`,
    path: file.path,
    part: i + 1,
    parts: groups.length,
    text: [header, ...g.flatMap((b) => b.lines)].join('\n'),
    tokens: headerTokens + g.reduce((a, b) => a + b.tokens, 0),
    cut: g.some((b) => b.cut),
  }));
}

/**
 * First-fit packing in importance order: small files fill the room left in earlier chunks, so
 * tiny files share a call and the most important work comes first if the call limit cuts.
 */
export function packPieces(pieces: readonly Piece[], maxTokens: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (const p of pieces) {
    const home = chunks.find((c) => c.diffTokens + p.tokens <= maxTokens);
    if (home) {
      home.pieces.push(p);
      home.diffTokens += p.tokens;
    } else chunks.push({ pieces: [p], diffTokens: p.tokens });
  }
  return chunks;
}

export function chunkText(chunk: Chunk): string {
  return chunk.pieces.map((p) => p.text).join('\n');
}

/**
 * Splits a piece's text at line boundaries into pieces of at most `maxTokens`, repeating the file
 * header and the current hunk head. Used when an exact tokenizer finds a chunk larger than the
 * estimate said.
 */
export function splitPiece(piece: Piece, maxTokens: number, count: TokenCounter): Piece[] {
  const lines = piece.text.split('\n');
  const header = lines[0] ?? '';
  const out: { lines: string[]; tokens: number }[] = [];
  let head = '@@';
  let cur = { lines: [header], tokens: count(`${header}\n`) };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const t = count(`${line}\n`);
    if (cur.lines.length > 1 && cur.tokens + t > maxTokens) {
      out.push(cur);
      cur = { lines: [header], tokens: count(`${header}\n`) };
      if (!line.startsWith('@@')) {
        const cont = head.endsWith('(continued)') ? head : `${head} (continued)`;
        cur.lines.push(cont);
        cur.tokens += count(`${cont}\n`);
      }
    }
    if (line.startsWith('@@')) head = line;
    cur.lines.push(line);
    cur.tokens += t;
  }
  if (cur.lines.length > 1) out.push(cur);
  if (out.length <= 1) return [piece];
  return out.map((o, k) => ({
    id: `${piece.id}.${k + 1}`,
    path: piece.path,
    part: piece.part,
    parts: piece.parts,
    text: o.lines.join('\n'),
    tokens: o.tokens,
    cut: piece.cut,
  }));
}

/**
 * Cuts a piece at a line boundary into a first part of at most `firstMaxTokens` and the rest, so
 * the first part can fill what is left of a chunk. The rest repeats the file header and, when it
 * starts inside a hunk, that hunk's head marked "(continued)" (as a hunk cut by `splitFile`), so
 * the model still sees which file and function its lines belong to; findings anchor by the quoted
 * line (anchor.ts), not by the piece. Returns null when no line fits beside the header and head,
 * or when the whole piece fits.
 */
export function splitPieceHead(piece: Piece, firstMaxTokens: number, count: TokenCounter): { head: Omit<Piece, 'id'>; rest: Omit<Piece, 'id'> } | null {
  const lines = piece.text.split('\n');
  const header = lines[0] ?? '';
  const tokens = lines.map((l) => count(`${l}\n`));
  let used = tokens[0]!;
  let last = -1;
  let head = '@@';
  let headAtLast = head;
  for (let i = 1; i < lines.length; i++) {
    if (used + tokens[i]! > firstMaxTokens) break;
    used += tokens[i]!;
    if (lines[i]!.startsWith('@@')) head = lines[i]!;
    else {
      last = i;
      headAtLast = head;
    }
  }
  if (last < 1 || last === lines.length - 1) return null;
  const restLines = lines.slice(last + 1);
  const cont = headAtLast.endsWith('(continued)') ? headAtLast : `${headAtLast} (continued)`;
  const rest = restLines[0]!.startsWith('@@') ? [header, ...restLines] : [header, cont, ...restLines];
  const sum = (ls: readonly string[]) => ls.reduce((a, l) => a + count(`${l}\n`), 0);
  const base = { path: piece.path, part: piece.part, parts: piece.parts, cut: piece.cut };
  return {
    head: { ...base, text: lines.slice(0, last + 1).join('\n'), tokens: tokens.slice(0, last + 1).reduce((a, b) => a + b, 0) },
    rest: { ...base, text: rest.join('\n'), tokens: sum(rest) },
  };
}
