/**
 * Packs what is left of a review into chunks once the usage calibration knows the model's real
 * token counts (see token-calibration.ts). Pure.
 *
 * Files none of whose parts was sent yet are cut again at the calibrated size, so they are whole
 * more often. Chunks are then filled in review order; where a piece does not fit the room left
 * and that room is more than a tenth of the chunk, the piece's first lines fill it (cut at a line
 * boundary, chunker.ts `splitPieceHead`) and the rest opens the next chunk with the file header
 * and the hunk's head repeated: without this, chunks of whole files or hunks of a few hundred
 * tokens each leave about half a file of room empty (measured: 82.7% mean fill instead of 90%+).
 */
import type { DiffFile } from '../model/diff';
import { packPieces, splitFile, splitPiece, splitPieceHead, type Chunk, type Piece } from './chunker';
import type { TokenCounter } from './token-budget';

export interface RepackInput {
  /** Pieces left, in review order. */
  remaining: readonly Piece[];
  /** Files by path whose every piece is still in `remaining` (they may be cut again). */
  untouched: ReadonlyMap<string, DiffFile>;
  /** Room for the diff part of one prompt, in calibrated tokens. */
  room: number;
  /** Calibrated counter for the text of a path. */
  countFor(path: string): TokenCounter;
  /** Recounts a piece kept as it is. */
  pieceTokens(p: Piece): number;
  /** Makes ids unique across re-plans. */
  idPrefix: string;
}

export interface RepackResult {
  chunks: Chunk[];
  /** New piece ids per path for the files cut again. */
  recut: Map<string, Piece[]>;
}

/** Share of the room below which a chunk is closed rather than filled with part of a file. */
const MIN_FILL_SHARE = 0.02;

export function repackRemaining(input: RepackInput): RepackResult {
  const { room } = input;
  const recut = new Map<string, Piece[]>();
  let n = 0;
  const cut = (file: DiffFile, maxTokens: number): Piece[] => {
    const pieces = splitFile(file, maxTokens, input.countFor(file.path)).map((p) => ({ ...p, id: `${file.path}#${input.idPrefix}.${++n}` }));
    recut.set(file.path, [...(recut.get(file.path) ?? []), ...pieces]);
    return pieces;
  };

  // Pieces in order; untouched files are cut again at the calibrated room.
  const ordered: Array<{ piece: Piece }> = [];
  const seen = new Set<string>();
  for (const p of input.remaining) {
    const file = input.untouched.get(p.path);
    if (!file) {
      ordered.push({ piece: { ...p, tokens: input.pieceTokens(p) } });
      continue;
    }
    if (seen.has(p.path)) continue;
    seen.add(p.path);
    for (const piece of cut(file, room)) ordered.push({ piece });
  }

  const chunks: Chunk[] = [];
  let current: Chunk = { pieces: [], diffTokens: 0 };
  const close = () => {
    if (current.pieces.length) chunks.push(current);
    current = { pieces: [], diffTokens: 0 };
  };
  const add = (p: Piece) => {
    current.pieces.push(p);
    current.diffTokens += p.tokens;
  };
  /** Replaces a piece of a re-cut file by the parts it was cut into, keeping the file's order. */
  const replace = (old: Piece, parts: Piece[]) => {
    const list = recut.get(old.path) ?? [];
    const at = list.findIndex((p) => p.id === old.id);
    recut.set(old.path, [...list.slice(0, at), ...parts, ...list.slice(at + 1)]);
  };
  for (const { piece } of ordered) {
    const left = room - current.diffTokens;
    if (piece.tokens <= left) {
      add(piece);
      continue;
    }
    // Only pieces cut in this re-plan may be cut again (their ids are not in flight anywhere).
    const mine = recut.get(piece.path)?.some((p) => p.id === piece.id) ?? false;
    if (mine && current.pieces.length > 0 && left > room * MIN_FILL_SHARE) {
      const split = splitPieceHead(piece, left, input.countFor(piece.path));
      if (split) {
        // The piece's first lines fill this chunk; the rest opens the next one.
        const head = { ...split.head, id: `${piece.path}#${input.idPrefix}.${++n}` };
        const rest = (split.rest.tokens > room ? splitPiece({ ...split.rest, id: '' }, room, input.countFor(piece.path)) : [split.rest]).map((p) => ({
          ...p,
          id: `${piece.path}#${input.idPrefix}.${++n}`,
        }));
        replace(piece, [head, ...rest]);
        add(head);
        close();
        for (const p of rest) {
          if (p.tokens > room - current.diffTokens) close();
          add(p);
        }
        continue;
      }
    }
    close();
    add(piece);
  }
  close();
  // Small pieces may still fit earlier chunks (as the first plan packs them).
  return { chunks: chunks.length > 1 ? repackFirstFit(chunks, room) : chunks, recut };
}

/** First-fit over the chunks' pieces again, keeping the order of the chunks' contents. */
function repackFirstFit(chunks: readonly Chunk[], room: number): Chunk[] {
  const packed = packPieces(
    chunks.flatMap((c) => c.pieces),
    room,
  );
  // Keep the sequential result when first-fit would take more calls.
  return packed.length <= chunks.length ? packed : [...chunks];
}
