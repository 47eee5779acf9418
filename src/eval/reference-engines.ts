/**
 * The two reference engines that check the harness itself (no model involved):
 * - `oracle` answers every map call with the case's ground truth, quoting the defect's line the
 *   way a model would, and confirms every finding in the verify pass: through the real pipeline
 *   (parse, re-anchor, caps, verify) it must score F1 = 1.0;
 * - `empty` finds nothing: it must score recall 0.
 */
import type { ChatChunk, ChatRequest, Engine, EngineCapabilities, LoadProgress } from '../engine/engine';
import { normalize } from '../review/anchor';
import { filesInRequest } from '../review/testing/scripts';
import { estimateTokens } from '../review/token-budget';
import type { EvalCase } from './corpus';
import { TOLERANCE, type TruthIssue } from './score';

type Kind = 'map' | 'reduce' | 'verify';

function kindOf(request: ChatRequest): Kind {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  if (system.startsWith('You write the final review')) return 'reduce';
  if (system.startsWith('You check one finding')) return 'verify';
  return 'map';
}

const REDUCE_ANSWER = JSON.stringify({ summary: 'Reference engine: no summary.', risks: [], changes: [] });

/** Lines of one file on the new side: number -> text, and whether the line was added. */
function newSide(c: EvalCase, path: string): Map<number, { text: string; added: boolean }> {
  const out = new Map<number, { text: string; added: boolean }>();
  for (const f of c.diff.files) {
    if (f.path !== path) continue;
    for (const h of f.hunks) for (const l of h.lines) if (l.kind !== 'deletion' && l.newNumber !== null) out.set(l.newNumber, { text: l.text, added: l.kind === 'addition' });
  }
  return out;
}

/**
 * The line of an issue the oracle quotes: text that says something and that no other line of the
 * file shares (so re-anchoring cannot move it), not taken by another issue; in the issue's range
 * if possible, else the nearest such line within the matching tolerance (a truth range may start
 * on a bare `);` that also closes an added call elsewhere).
 */
function quoteLine(issue: TruthIssue, lines: Map<number, { text: string; added: boolean }>, taken: Set<number>): { line: number; inRange: boolean } {
  const norm = (n: number) => normalize(lines.get(n)?.text ?? '');
  const safe = (n: number) => lines.has(n) && !taken.has(n) && /[\p{L}\p{N}]/u.test(norm(n)) && [...lines.keys()].filter((m) => norm(m) === norm(n)).length === 1;
  for (let n = issue.lineStart; n <= issue.lineEnd; n++) if (safe(n)) return { line: n, inRange: true };
  for (let d = 1; d <= TOLERANCE; d++) {
    for (const n of [issue.lineStart - d, issue.lineEnd + d]) if (safe(n)) return { line: n, inRange: false };
  }
  return { line: issue.lineStart, inRange: true };
}

function oracleMapAnswer(c: EvalCase, request: ChatRequest): string {
  const findings = [];
  for (const file of filesInRequest(request)) {
    const lines = newSide(c, file);
    const taken = new Set<number>();
    for (const issue of c.issues.filter((i) => i.file === file)) {
      const { line, inRange } = quoteLine(issue, lines, taken);
      taken.add(line);
      findings.push({
        file,
        line,
        ...(inRange && issue.lineEnd > line ? { end_line: issue.lineEnd } : {}),
        severity: issue.severity,
        category: issue.category === 'security' || issue.category === 'performance' ? issue.category : 'bug',
        title: issue.title,
        explanation: `Ground truth ${issue.id}.`,
        quote: lines.get(line)?.text ?? '',
      });
    }
  }
  return JSON.stringify({ summary: [], findings });
}

class ReferenceEngine implements Engine {
  readonly kind = 'scripted' as const;
  constructor(
    readonly modelId: string,
    private readonly answer: (request: ChatRequest) => string,
  ) {}

  async load(onProgress: (p: LoadProgress) => void): Promise<void> {
    onProgress({ fraction: 1, text: 'ready' });
  }

  capabilities(): EngineCapabilities {
    return { contextWindow: 8192, structuredOutput: false };
  }

  async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
    if (signal.aborted) return;
    const text = this.answer(request);
    yield { type: 'delta', text };
    yield { type: 'usage', promptTokens: request.messages.reduce((n, m) => n + estimateTokens(m.content), 0), completionTokens: estimateTokens(text) };
  }

  async unload(): Promise<void> {}
}

export function oracleEngine(c: EvalCase): Engine {
  return new ReferenceEngine('oracle', (request) => {
    const kind = kindOf(request);
    if (kind === 'reduce') return REDUCE_ANSWER;
    if (kind === 'verify') return '{"real": true, "confidence": 1}';
    return oracleMapAnswer(c, request);
  });
}

export function emptyEngine(): Engine {
  return new ReferenceEngine('empty', (request) => {
    const kind = kindOf(request);
    if (kind === 'reduce') return REDUCE_ANSWER;
    if (kind === 'verify') return '{"real": false, "confidence": 1}';
    return '{"summary": [], "findings": []}';
  });
}
