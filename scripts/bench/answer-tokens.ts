/**
 * Answer tokens of the map format (`npm run bench -- --only=answers`): the evaluation corpora's
 * oracle engine (src/eval/reference-engines.ts) writes, for every map call, the answer a perfect
 * model would give, once in the short map format (src/review/prompts.ts) and once in the long
 * format it replaced; each answer is counted with the Qwen2.5 reference tokenizer, in total and
 * by part (JSON keys and punctuation, quotes of the diff, prose), before and after.
 */
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import type { ChatRequest, Engine } from '../../src/engine/engine';
import { loadCases } from '../../src/eval/corpus';
import { oracleEngine, type MapFormat } from '../../src/eval/reference-engines';
import { runReview } from '../../src/review/pipeline';
import { qwenTokenizer } from '../../src/review/testing/reference-tokenizers';
import { requestKind } from '../../src/review/testing/scripts';

/** Tokens of every string value under one of `keys` in a parsed answer. */
function valueTokens(answer: unknown, keys: readonly string[]): number {
  let n = 0;
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (keys.includes(k) && typeof x === 'string' ? (n += qwenTokenizer.count(x)) : walk(x));
  };
  walk(answer);
  return n;
}

/** The oracle's map answers over the corpora, in one format, as a real review sends them. */
async function oracleAnswers(root: string, format: MapFormat): Promise<string[]> {
  const answers: string[] = [];
  for (const c of loadCases(root)) {
    const inner = oracleEngine(c, format);
    const engine: Engine = {
      ...inner,
      kind: inner.kind,
      modelId: inner.modelId,
      load: (p, s) => inner.load(p, s),
      capabilities: () => inner.capabilities(),
      unload: () => inner.unload(),
      chat: async function* (request: ChatRequest, signal: AbortSignal) {
        let text = '';
        for await (const chunk of inner.chat(request, signal)) {
          if (chunk.type === 'delta') text += chunk.text;
          yield chunk;
        }
        if (requestKind(request) === 'map') answers.push(text);
      },
    };
    await runReview({ diff: c.diff, settings: { ...DEFAULT_SETTINGS, verifyFindings: false }, engine }, () => {}, new AbortController().signal);
  }
  return answers;
}

function tally(answers: readonly string[]) {
  const parsed: unknown[] = answers.map((a) => JSON.parse(a));
  const total = answers.reduce((n, a) => n + qwenTokenizer.count(a), 0);
  const findings = parsed.reduce<number>((n, p) => n + (p && typeof p === 'object' && 'findings' in p && Array.isArray(p.findings) ? p.findings.length : 0), 0);
  const count = (...keys: string[]) => parsed.reduce<number>((n, p) => n + valueTokens(p, keys), 0);
  // The parts counted apart, each under its key in either format.
  const parts = {
    summary: count('summary'),
    title: count('title'),
    explanation: count('explanation', 'why'),
    suggestion: count('suggestion', 'fix'),
    quote: count('quote'),
    file: count('file'),
  };
  return {
    mapCalls: answers.length,
    findings,
    answerTokens: total,
    perCall: Number((total / answers.length).toFixed(1)),
    perFinding: findings ? Number(((total - parts.summary) / findings).toFixed(1)) : null,
    byPart: { ...parts, keysNumbersAndPunctuation: total - Object.values(parts).reduce((a, b) => a + b, 0) },
  };
}

/** Before (the long format) and after (the short one), same corpus, same tokenizer. */
export async function benchAnswerTokens(root = join(process.cwd(), 'eval/corpora')) {
  const before = tally(await oracleAnswers(root, 'long'));
  const after = tally(await oracleAnswers(root, 'short'));
  const result = {
    tokenizer: qwenTokenizer.name,
    before,
    after,
    perCallSaved: Number((before.perCall - after.perCall).toFixed(1)),
    ratio: Number((after.answerTokens / before.answerTokens).toFixed(3)),
  };
  console.error(JSON.stringify(result));
  return result;
}

if (process.argv[1] && /bench\/answer-tokens\.ts$/.test(process.argv[1])) {
  console.log(JSON.stringify(await benchAnswerTokens(), null, 2));
}
