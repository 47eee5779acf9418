/**
 * How many tokens a prompt may take, and a tokenizer-free estimate that errs on the safe side.
 *
 * The estimate is used for planning (which must be synchronous and engine-free); when the engine
 * has an exact tokenizer, the pipeline checks every prompt with it before sending and re-splits
 * a chunk that turns out too big (see pipeline.ts).
 */

/** Letters per token we assume: BPE vocabularies give 4+ on English and code, SentencePiece less. */
export const LETTERS_PER_TOKEN = 2.6;
/** A space costs a fraction of a token (it usually merges into the next word or an indent run). */
export const SPACE_TOKENS = 0.3;

/**
 * Conservative token estimate, fitted on the diff corpus against the Qwen2.5 BPE and Llama 2
 * SentencePiece tokenizers (the worse of the models this project runs) so that it over-counts
 * both (see token-budget.test.ts and docs/review-pipeline.md):
 * letters at LETTERS_PER_TOKEN; every digit, punctuation mark, tab and line break one token
 * (tokenizers split digits one by one and rarely merge symbols); spaces at SPACE_TOKENS; and one
 * token per UTF-8 byte of anything non-ASCII (the byte-fallback worst case for rare characters).
 */
export function estimateTokens(text: string): number {
  let letters = 0;
  let spaces = 0;
  let ones = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) letters++;
    else if (c === 32) spaces++;
    else if (c < 0x80) ones++;
    else if (c < 0x800) ones += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      ones += 4;
      i++;
    } else ones += 3;
  }
  return Math.ceil(letters / LETTERS_PER_TOKEN + spaces * SPACE_TOKENS) + ones;
}

export type TokenCounter = (text: string) => number;

export interface TokenBudget {
  contextWindow: number;
  /** Tokens kept free for the model's answer (also the request's maxTokens). */
  answerTokens: number;
  /** Chat-template tokens around each message (role markers etc.), counted once per prompt. */
  templateTokens: number;
  /** The most a prompt (all messages) may take. */
  promptTokens: number;
}

/**
 * A quarter of the context for the answer (1024 of 4096), bounded so tiny contexts keep room for
 * the diff and big ones do not waste it on an answer a reviewer never needs.
 */
export function makeBudget(contextWindow: number): TokenBudget {
  const ctx = Number.isFinite(contextWindow) && contextWindow > 0 ? Math.floor(contextWindow) : 4096;
  const answerTokens = Math.max(128, Math.min(1536, Math.round(ctx * 0.25)));
  const templateTokens = 32;
  return { contextWindow: ctx, answerTokens, templateTokens, promptTokens: Math.max(0, ctx - answerTokens - templateTokens) };
}
