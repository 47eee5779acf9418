/**
 * Answer tokens of the map format (`npm run bench -- --only=answers`): the evaluation corpora's
 * oracle engine (src/eval/reference-engines.ts) writes, for every map call, the answer a perfect
 * model would give in today's format (src/review/prompts.ts); each answer is counted with the
 * Qwen2.5 reference tokenizer, in total and by part (JSON keys and punctuation, quotes of the
 * diff, prose), so the cost of what the model must write is known before changing the format.
 */
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import type { ChatRequest, Engine } from '../../src/engine/engine';
import { loadCases } from '../../src/eval/corpus';
import { oracleEngine } from '../../src/eval/reference-engines';
import { runReview } from '../../src/review/pipeline';
import { qwenTokenizer } from '../../src/review/testing/reference-tokenizers';
import { requestKind } from '../../src/review/testing/scripts';

/** Tokens of every string value under `key` in a parsed answer. */
function valueTokens(answer: unknown, key: string): number {
  let n = 0;
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === key && typeof x === 'string' ? (n += qwenTokenizer.count(x)) : walk(x));
  };
  walk(answer);
  return n;
}

export async function benchAnswerTokens(root = join(process.cwd(), 'eval/corpora')): Promise<Record<string, unknown>> {
  const answers: string[] = [];
  for (const c of loadCases(root)) {
    const inner = oracleEngine(c);
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
    await runReview({ diff: c.diff, settings: { ...DEFAULT_SETTINGS, verify: 'off' } as typeof DEFAULT_SETTINGS, engine }, () => {}, new AbortController().signal);
  }
  const parsed = answers.map((a) => JSON.parse(a) as { findings?: unknown[] });
  const total = answers.reduce((n, a) => n + qwenTokenizer.count(a), 0);
  const findings = parsed.reduce((n, p) => n + (p.findings?.length ?? 0), 0);
  const parts: Record<string, number> = {};
  for (const key of ['summary', 'title', 'explanation', 'suggestion', 'quote', 'file']) parts[key] = parsed.reduce((n, p) => n + valueTokens(p, key), 0);
  const result = {
    tokenizer: qwenTokenizer.name,
    mapCalls: answers.length,
    findings,
    answerTokens: total,
    perCall: Number((total / answers.length).toFixed(1)),
    perFinding: findings ? Number(((total - parts.summary!) / findings).toFixed(1)) : null,
    byPart: { ...parts, keysNumbersAndPunctuation: total - Object.values(parts).reduce((a, b) => a + b, 0) },
  };
  console.error(JSON.stringify(result));
  return result;
}

if (process.argv[1] && /bench\/answer-tokens\.ts$/.test(process.argv[1])) {
  console.log(JSON.stringify(await benchAnswerTokens(), null, 2));
}
