/**
 * The two reference engines that check the harness itself (no model involved):
 * - `oracle` answers every map call with the case's ground truth, quoting the defect's line the
 *   way a model would (in the short map format by default, the long one on request), and confirms every finding in the verify pass: through the real pipeline
 *   (parse, re-anchor, caps, verify) it must score F1 = 1.0;
 * - `empty` finds nothing: it must score recall 0.
 */
import type { ChatChunk, ChatRequest, Engine, EngineCapabilities, LoadProgress } from '../engine/engine';
import { anchorFinding, indexFile, normalize, type FileIndex } from '../review/anchor';
import { filesInRequest, requestKind } from '../review/testing/scripts';
import { basename } from '../review/paths';
import { estimateTokens } from '../review/token-budget';
import type { EvalCase } from './corpus';
import { TOLERANCE, type TruthIssue } from './score';

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

/** 'short': today's map format (src/review/prompts.ts); 'long': the format before it, still read. */
export type MapFormat = 'short' | 'long';

/** The `file` of a short answer: none for a one-file part, else the name, with folders only if needed. */
function shortFile(file: string, files: readonly string[]): string | undefined {
  if (files.length === 1) return undefined;
  return files.filter((f) => basename(f) === basename(file)).length === 1 ? basename(file) : file;
}

/**
 * The line's first words as a careful model writes the short format's `quote`: at least three
 * (the prompt asks for "first words"), more until the validator puts them back on that very line
 * without help from the line number (so a model's wrong number could not move it).
 */
function shortQuote(text: string, target: { file: string; line: number }, file: string | undefined, chunk: readonly FileIndex[], all: readonly FileIndex[]): string {
  const words = text.trim().split(/\s+/);
  for (let n = Math.min(3, words.length); n < words.length; n++) {
    const quote = words.slice(0, n).join(' ');
    const raw = { file: file ?? '', line: null, endLine: null, severity: 'major' as const, category: 'bug' as const, title: 't', explanation: '', quote };
    const a = anchorFinding(raw, chunk, all);
    if (a.ok && a.file === target.file && a.line === target.line) return quote;
  }
  return text.trim();
}

function oracleMapAnswer(c: EvalCase, request: ChatRequest, format: MapFormat): string {
  const findings = [];
  const files = filesInRequest(request);
  const all = c.diff.files.map(indexFile);
  const chunk = files.map((f) => all.find((i) => i.file.path === f)).filter((i): i is FileIndex => i !== undefined);
  for (const file of files) {
    const lines = newSide(c, file);
    const taken = new Set<number>();
    for (const issue of c.issues.filter((i) => i.file === file)) {
      const { line, inRange } = quoteLine(issue, lines, taken);
      taken.add(line);
      const end = inRange && issue.lineEnd > line ? issue.lineEnd : undefined;
      const category = issue.category === 'security' || issue.category === 'performance' ? issue.category : 'bug';
      const text = lines.get(line)?.text ?? '';
      if (format === 'long') {
        findings.push({ file, line, ...(end ? { end_line: end } : {}), severity: issue.severity, category, title: issue.title, explanation: `Ground truth ${issue.id}.`, quote: text });
        continue;
      }
      const named = shortFile(file, files);
      findings.push({
        ...(named ? { file: named } : {}),
        line,
        ...(end ? { end } : {}),
        kind: `${issue.severity} ${category}`,
        title: issue.title,
        why: `Ground truth ${issue.id}.`,
        quote: shortQuote(text, { file, line }, named, chunk, all),
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

export function oracleEngine(c: EvalCase, format: MapFormat = 'short'): Engine {
  return new ReferenceEngine('oracle', (request) => {
    const kind = requestKind(request);
    if (kind === 'reduce') return REDUCE_ANSWER;
    if (kind === 'verify') return '{"real": true, "confidence": 1}';
    return oracleMapAnswer(c, request, format);
  });
}

export function emptyEngine(): Engine {
  return new ReferenceEngine('empty', (request) => {
    const kind = requestKind(request);
    if (kind === 'reduce') return REDUCE_ANSWER;
    if (kind === 'verify') return '{"real": false, "confidence": 1}';
    return '{"summary": [], "findings": []}';
  });
}
