/**
 * Calibrates the safe token estimate to the model from the real prompt token counts its answers
 * report (`usage`), so chunks fill the context instead of ~55–70% of it.
 *
 * The estimate (token-budget.ts) over-counts every tokenizer we run by 1.4–1.8× so that it never
 * overflows. Web-llm and llama.cpp both report the real prompt size of each call; the ratio
 * real ÷ estimate is stable for one model and one kind of text (0.52–0.58 for Qwen's BPE on the
 * corpus, 0.61–0.73 for Llama 2's SentencePiece), but differs between languages and kinds of
 * text (Go, TSX, Python; code, prose, configuration). So the ratio is learnt per text key (file
 * kind and extension, `textKey`) and only applied to text of a key already seen; anything else
 * keeps the safe estimate. The worst ratio seen per key is kept, times a margin.
 *
 * Pure apart from its own state; one instance per engine+model (the engine host keeps them, so a
 * second review of the same model starts calibrated).
 */
import type { ChatMessage } from '../engine/engine';
import { fileKind, type Piece } from './chunker';
import { estimateTokens } from './token-budget';

/** Multiplies the worst ratio seen: room for a chunk whose text tokenizes a little worse. */
export const CALIBRATION_MARGIN = 1.05;
/** A pre-set margin grows by this after the engine says a calibrated prompt was too long. */
const PENALTY = 1.15;
/** Prompts shorter than this say little about the ratio (the chat template weighs too much). */
const MIN_SAMPLE_TOKENS = 300;
/** The share of a chunk's diff one kind must have for the call to calibrate that kind. */
const DOMINANT_SHARE = 0.75;

/** What text of a path tokenizes like: its kind and its extension ("source:.go", "docs-config:.md"). */
export function textKey(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return `${fileKind(path)}:${dot > 0 ? name.slice(dot).toLowerCase() : name}`;
}

/**
 * A diff text's estimate as chunks are packed: line by line (`splitFile` counts each line with
 * its newline). The estimate is not additive (a text's lines together count more than the text),
 * so the ratio for diff text is learnt against this sum: packing then predicts the real count
 * instead of over-counting by a few per cent more.
 */
export function lineEstimate(text: string): number {
  let n = 0;
  for (const l of text.split('\n')) n += estimateTokens(`${l}\n`);
  return n;
}

export class UsageCalibration {
  private readonly ratios = new Map<string, number>();
  private worst: number | null = null;
  private margin = CALIBRATION_MARGIN;

  /** True once any call has been observed. */
  get calibrated(): boolean {
    return this.worst !== null;
  }

  /** The factor applied to the estimate of the text of this path (1 = the safe estimate). */
  scaleFor(path: string): number {
    const r = this.ratios.get(textKey(path));
    // An unseen kind keeps the safe estimate, or more where this model's tokenizer is worse than it.
    return r === undefined ? Math.max(1, this.instructionScale()) : r * this.margin;
  }

  /** The factor for the instructions and the prompt's wrapping (prose: the worst ratio seen). */
  instructionScale(): number {
    return this.worst === null ? 1 : this.worst * this.margin;
  }

  /**
   * One answer's usage: `real` prompt tokens for these messages, whose diff part is `pieces`.
   * Returns true when the calibration changed (the caller then re-plans what is left).
   */
  observe(messages: readonly ChatMessage[], pieces: readonly Piece[], real: number): boolean {
    const estimated = messages.reduce((a, m) => a + estimateTokens(m.content), 0);
    if (!(Number.isFinite(real) && real > 0 && estimated >= MIN_SAMPLE_TOKENS)) return false;
    // The whole prompt against its whole-text estimate: the scale for instructions and unseen text.
    const ratio = real / estimated;
    let changed = false;
    if (this.worst === null || ratio > this.worst) {
      this.worst = ratio;
      changed = true;
    }
    const byKind = new Map<string, number>();
    let diff = 0;
    let diffWhole = 0;
    for (const p of pieces) {
      const t = lineEstimate(p.text);
      diff += t;
      diffWhole += estimateTokens(p.text);
      byKind.set(textKey(p.path), (byKind.get(textKey(p.path)) ?? 0) + t);
    }
    // The same prompt with its diff counted line by line, as `pieceTokens` counts it: never above
    // `ratio`, so the wrapping (counted whole, at the worst whole-prompt ratio) stays covered.
    const lineRatio = real / Math.max(1, estimated - diffWhole + diff);
    for (const [kind, t] of byKind) {
      if (diff === 0 || t / diff < DOMINANT_SHARE) continue;
      const known = this.ratios.get(kind);
      if (known === undefined || lineRatio > known) {
        this.ratios.set(kind, lineRatio);
        changed = true;
      }
    }
    return changed;
  }

  /** The engine rejected a prompt as too long although the calibration said it fitted. */
  penalize(): void {
    if (this.worst !== null) this.margin *= PENALTY;
  }

  /** A piece's tokens under the calibration (its lines' estimates, as `countFor` counts them). */
  pieceTokens(p: Piece): number {
    return Math.ceil(lineEstimate(p.text) * this.scaleFor(p.path));
  }

  /** Counts diff text of this path line by line as `pieceTokens` does (fractions kept: no rounding per line). */
  counterFor(path: string): (text: string) => number {
    const scale = this.scaleFor(path);
    return (t) => estimateTokens(t) * scale;
  }

  /**
   * A map prompt's tokens: the system message and the user message's wrapping at the instruction
   * scale, each diff piece at its kind's scale.
   */
  promptTokens(messages: readonly ChatMessage[], pieces: readonly Piece[]): number {
    const pieceEstimate = pieces.reduce((a, p) => a + estimateTokens(p.text), 0);
    const all = messages.reduce((a, m) => a + estimateTokens(m.content), 0);
    const wrapping = Math.max(0, all - pieceEstimate);
    return Math.ceil(wrapping * this.instructionScale()) + pieces.reduce((a, p) => a + this.pieceTokens(p), 0);
  }

  /** For text that is not a diff piece (the summary call): the worst ratio, or the safe estimate. */
  count(text: string): number {
    return Math.ceil(estimateTokens(text) * this.instructionScale());
  }
}
