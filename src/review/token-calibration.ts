/**
 * Calibrates the safe token estimate to the model from the real prompt token counts its answers
 * report (`usage`), so chunks fill the context instead of ~55–70% of it.
 *
 * The estimate (token-budget.ts) over-counts every tokenizer we run by 1.4–1.8× so that it never
 * overflows. Web-llm and llama.cpp both report the real prompt size of each call; the ratio
 * real ÷ estimate is stable for one model and one kind of text (0.52–0.58 for Qwen's BPE on the
 * corpus, 0.61–0.73 for Llama 2's SentencePiece), but differs between kinds (code, prose,
 * configuration). So the ratio is learnt per file kind and only applied to text of a kind already
 * seen; anything else keeps the safe estimate. The worst ratio seen is kept, times a margin.
 *
 * Pure apart from its own state; one instance per engine+model (the engine host keeps them, so a
 * second review of the same model starts calibrated).
 */
import type { ChatMessage } from '../engine/engine';
import { fileKind, type FileKind, type Piece } from './chunker';
import { estimateTokens } from './token-budget';

/** Multiplies the worst ratio seen: room for a chunk whose text tokenizes a little worse. */
export const CALIBRATION_MARGIN = 1.1;
/** A pre-set margin grows by this after the engine says a calibrated prompt was too long. */
const PENALTY = 1.15;
/** Prompts shorter than this say little about the ratio (the chat template weighs too much). */
const MIN_SAMPLE_TOKENS = 300;
/** The share of a chunk's diff one kind must have for the call to calibrate that kind. */
const DOMINANT_SHARE = 0.75;

export class UsageCalibration {
  private readonly ratios = new Map<FileKind, number>();
  private worst: number | null = null;
  private margin = CALIBRATION_MARGIN;

  /** True once any call has been observed. */
  get calibrated(): boolean {
    return this.worst !== null;
  }

  /** The factor applied to the estimate of text of this kind (1 = the safe estimate). */
  scaleFor(kind: FileKind): number {
    const r = this.ratios.get(kind);
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
    const ratio = real / estimated;
    let changed = false;
    if (this.worst === null || ratio > this.worst) {
      this.worst = ratio;
      changed = true;
    }
    const byKind = new Map<FileKind, number>();
    let diff = 0;
    for (const p of pieces) {
      const t = estimateTokens(p.text);
      diff += t;
      byKind.set(fileKind(p.path), (byKind.get(fileKind(p.path)) ?? 0) + t);
    }
    for (const [kind, t] of byKind) {
      if (diff === 0 || t / diff < DOMINANT_SHARE) continue;
      const known = this.ratios.get(kind);
      if (known === undefined || ratio > known) {
        this.ratios.set(kind, ratio);
        changed = true;
      }
    }
    return changed;
  }

  /** The engine rejected a prompt as too long although the calibration said it fitted. */
  penalize(): void {
    if (this.worst !== null) this.margin *= PENALTY;
  }

  /** A piece's tokens under the calibration. */
  pieceTokens(p: Piece): number {
    return Math.ceil(estimateTokens(p.text) * this.scaleFor(fileKind(p.path)));
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
