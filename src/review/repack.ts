/**
 * Packs what is left of a review into chunks once the usage calibration knows the model's real
 * token counts (see token-calibration.ts). Pure.
 *
 * Files none of whose parts was sent yet are cut again at the calibrated size, so they are whole
 * more often. Chunks are then filled in review order; where a whole file does not fit the room
 * left and that room is more than a tenth of the chunk, the file's first hunks fill it (hunks are
 * never cut here) and the rest opens the next chunk: without this, chunks of whole files of a few
 * hundred tokens each leave about half a file of room empty.
 */
import type { DiffFile } from '../github/diff-model';
import { packPieces, splitFile, type Chunk, type Piece } from './chunker';
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
const MIN_FILL_SHARE = 0.1;

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
  const ordered: Array<{ piece: Piece; file?: DiffFile }> = [];
  const seen = new Set<string>();
  for (const p of input.remaining) {
    const file = input.untouched.get(p.path);
    if (!file) {
      ordered.push({ piece: { ...p, tokens: input.pieceTokens(p) } });
      continue;
    }
    if (seen.has(p.path)) continue;
    seen.add(p.path);
    const pieces = cut(file, room);
    // A file that fits whole may still be split across two chunks below: remember the file.
    for (const piece of pieces) ordered.push(pieces.length === 1 ? { piece, file } : { piece });
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
  for (const { piece, file } of ordered) {
    const left = room - current.diffTokens;
    if (piece.tokens <= left) {
      add(piece);
      continue;
    }
    if (file && file.hunks.length > 1 && current.pieces.length > 0 && left > room * MIN_FILL_SHARE) {
      const head = fittingHead(file, left, input.countFor(file.path));
      if (head > 0) {
        // Replace the whole-file piece by two parts: the first hunks here, the rest next.
        recut.set(file.path, (recut.get(file.path) ?? []).filter((p) => p.id !== piece.id));
        const first = cut({ ...file, hunks: file.hunks.slice(0, head) }, left);
        for (const p of first) add(p);
        close();
        for (const p of cut({ ...file, hunks: file.hunks.slice(head) }, room)) {
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

/** The most leading hunks of `file` that make one piece of at most `left` tokens; 0 if none. */
function fittingHead(file: DiffFile, left: number, count: TokenCounter): number {
  let best = 0;
  for (let k = 1; k < file.hunks.length; k++) {
    const pieces = splitFile({ ...file, hunks: file.hunks.slice(0, k) }, left, count);
    if (pieces.length !== 1 || pieces[0]!.tokens > left || pieces[0]!.cut) break;
    best = k;
  }
  return best;
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
