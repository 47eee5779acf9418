/**
 * The final step: one call turns the per-chunk notes and the top findings into the review's
 * summary, risks and changes (the walkthrough is assembled here from the per-file lines, which
 * costs no call). Notes too big for one prompt are reduced in groups first, or shortened with a
 * note when the call limit leaves no room for that. A reduce answer that cannot be read gives way
 * to a review assembled from the notes themselves.
 */
import type { ChatMessage } from '../engine/engine';
import { basename } from './paths';
import type { PromptOptions } from './prompts';
import { REDUCE_JSON_SCHEMA, REDUCE_USER_SUFFIX, reduceMessages, reduceSystemPrompt, wrapperOverhead } from './prompts';
import { parseReduceAnswer, type ReduceAnswer } from './finding-parser';
import type { FileCoverage, Finding, WalkthroughRow } from '../model/review';
import type { TokenBudget, TokenCounter } from './token-budget';

/** What one map call said. */
export interface PartNotes {
  files: string[];
  /** Summary lines as the model wrote them ("path: what changed"). */
  summary: string[];
}

export interface ReduceContext {
  options: PromptOptions;
  budget: TokenBudget;
  count: TokenCounter;
  /** Calls still allowed by the call limit. */
  callsLeft(): number;
  /** Sends one reduce prompt; returns the answer text, or null when the call failed. */
  call(messages: ChatMessage[], jsonSchema: object, label: string): Promise<string | null>;
  /** Told as soon as the summary needs more calls than one (so progress can say so up front). */
  willCall?(calls: number): void;
}

export interface ReduceResult {
  summary: string;
  risks: string[];
  changes: string[];
  /** Said to the user in the review's notes (fallbacks, shortened input). */
  notes: string[];
}

const MAX_NOTE_LINE = 300;

function clipLine(s: string, max = MAX_NOTE_LINE): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function findingLine(f: Finding): string {
  return `[${f.severity}] ${f.file}:${f.line} ${clipLine(f.title, 120)}`;
}

/** Strips markdown decoration a model puts around a path ("**`a.ts`**: ..."). */
function splitPathLine(line: string): { path: string; text: string } | null {
  const m = /^[\s*`_"'\-•]*([^\s:*`"']+)[*`_"']*\s*[:—–-]\s*(.+)$/.exec(line);
  return m ? { path: m[1]!, text: m[2]!.trim() } : null;
}

/** Assigns summary lines to the files of their chunk; the rest are general notes. */
export function perFileLines(parts: readonly PartNotes[]): { byFile: Map<string, string>; general: string[] } {
  const byFile = new Map<string, string>();
  const general: string[] = [];
  for (const part of parts) {
    for (const raw of part.summary) {
      const line = clipLine(raw);
      const split = splitPathLine(line);
      const target = split
        ? part.files.find((f) => f === split.path) ??
          part.files.find((f) => f.endsWith(`/${split.path}`)) ??
          (part.files.filter((f) => basename(f) === basename(split.path)).length === 1
            ? part.files.find((f) => basename(f) === basename(split.path))
            : undefined)
        : undefined;
      if (target && split) {
        const prev = byFile.get(target);
        if (!prev) byFile.set(target, split.text);
        else if (prev.length < 200 && !prev.includes(split.text)) byFile.set(target, `${prev}; ${split.text}`);
      } else if (part.files.length === 1 && !byFile.has(part.files[0]!)) byFile.set(part.files[0]!, split ? line : line);
      else general.push(line);
    }
  }
  return { byFile, general };
}

/** One row per file: what the model said, else what is known without it. */
export function buildWalkthrough(
  coverage: readonly FileCoverage[],
  byFile: ReadonlyMap<string, string>,
  stats: ReadonlyMap<string, { additions: number; deletions: number }>,
): WalkthroughRow[] {
  return coverage.map((c) => {
    const said = byFile.get(c.path);
    if (said && c.coverage !== 'skipped' && c.coverage !== 'not-loaded') return { path: c.path, summary: said };
    const s = stats.get(c.path);
    const size = s ? ` (+${s.additions} −${s.deletions})` : '';
    if (c.coverage === 'skipped' || c.coverage === 'not-loaded') return { path: c.path, summary: `${c.coverage === 'skipped' ? 'Skipped' : 'Not loaded'}: ${c.reason ?? ''}${size}`.trim() };
    return { path: c.path, summary: `Changed${size}` };
  });
}

/** The review without a reduce call: from the chunks' own lines and the top findings. */
export function assembleFromNotes(parts: readonly PartNotes[], findings: readonly Finding[]): Omit<ReduceResult, 'notes'> {
  const { byFile, general } = perFileLines(parts);
  const lines = [...general, ...[...byFile].map(([p, t]) => `${p}: ${t}`)];
  const files = new Set(parts.flatMap((p) => p.files));
  const summary = lines.length > 0 ? lines.slice(0, 3).join(' ') : `Changes in ${files.size} file${files.size === 1 ? '' : 's'}.`;
  return {
    summary,
    risks: findings.filter((f) => f.severity === 'critical' || f.severity === 'major').slice(0, 5).map((f) => `${f.file}:${f.line}: ${f.title}`),
    changes: lines.slice(0, 5),
  };
}

function partBlock(part: PartNotes, i: number): string {
  return [`Part ${i + 1} (${part.files.join(', ')}):`, ...part.summary.map((s) => `- ${clipLine(s)}`)].join('\n');
}

function answerBlock(a: ReduceAnswer, i: number): string {
  return [`Group ${i + 1}: ${clipLine(a.summary, 600)}`, ...a.risks.map((r) => `- risk: ${clipLine(r)}`), ...a.changes.map((c) => `- change: ${clipLine(c)}`)].join('\n');
}

/** Cuts a block to at most `max` tokens by dropping its last lines. */
function fitBlock(block: string, max: number, count: TokenCounter): string {
  if (count(block) <= max) return block;
  const lines = block.split('\n');
  while (lines.length > 1 && count(`${lines.join('\n')}\n- […]`) > max) lines.pop();
  const out = `${lines.join('\n')}\n- […]`;
  return count(out) <= max ? out : clipLine(lines[0] ?? '', Math.max(20, Math.floor(max * 2)));
}

/** Greedy groups of blocks that each fit `max` tokens (joined by newlines). */
export function groupBlocks(blocks: readonly string[], max: number, count: TokenCounter): string[][] {
  const groups: string[][] = [];
  let cur: string[] = [];
  let used = 0;
  for (const b of blocks) {
    const t = count(`${b}\n`);
    if (cur.length > 0 && used + t > max) {
      groups.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(b);
    used += t;
  }
  if (cur.length > 0) groups.push(cur);
  return groups;
}

/**
 * @param header a line about the whole pull request (file counts), always kept
 */
export async function reduceReview(
  parts: readonly PartNotes[],
  findings: readonly Finding[],
  header: string,
  ctx: ReduceContext,
): Promise<ReduceResult> {
  const notes: string[] = [];
  const { count } = ctx;
  const dataBudget = ctx.budget.promptTokens - count(reduceSystemPrompt(ctx.options)) - wrapperOverhead(count, REDUCE_USER_SUFFIX);
  const fallback = (why: string): ReduceResult => ({ ...assembleFromNotes(parts, findings), notes: [...notes, why] });
  if (dataBudget < 64) return fallback('The final summary was assembled from the per-part notes: the context window is too small for a summary call.');

  // Fixed lines: the header and the top findings take at most a third of the room.
  const headerText = clipLine(header, 400);
  let findingText = '';
  const top = findings.slice(0, 10).map(findingLine);
  while (top.length > 0) {
    findingText = `Top findings:\n${top.map((l) => `- ${l}`).join('\n')}`;
    if (count(findingText) <= dataBudget / 3) break;
    top.pop();
    findingText = '';
  }
  const fixedTokens = count(`${headerText}\n${findingText}\n`);
  const room = Math.max(32, dataBudget - fixedTokens);

  let blocks = parts.map((p, i) => fitBlock(partBlock(p, i), room, count));
  // Reduce in groups while the notes do not fit and the call limit allows a group call plus the final one.
  for (let level = 0; level < 6; level++) {
    const groups = groupBlocks(blocks, room, count);
    if (groups.length <= 1) break;
    if (ctx.callsLeft() < groups.length + 1) {
      // Not enough calls for another level: keep what fits, say what was left out.
      const kept = groups[0]!;
      notes.push(`${blocks.length - kept.length} of ${blocks.length} part summaries did not fit the final summary prompt and were left out of it (their findings are still listed).`);
      blocks = kept;
      break;
    }
    ctx.willCall?.(groups.length + 1);
    const next: string[] = [];
    for (const [g, group] of groups.entries()) {
      const text = await ctx.call(reduceMessages(ctx.options, group.join('\n')), REDUCE_JSON_SCHEMA, `Summarising group ${g + 1} of ${groups.length}`);
      const a = text === null ? null : parseReduceAnswer(text);
      next.push(a && a.ok ? fitBlock(answerBlock(a, g), room, count) : fitBlock(group.map((b) => b.split('\n')[0]).join('\n'), room, count));
    }
    blocks = next;
  }

  const data = [headerText, findingText, ...blocks].filter(Boolean).join('\n');
  if (ctx.callsLeft() < 1) return fallback('The final summary was assembled from the per-part notes: the call limit left no call for it.');
  const text = await ctx.call(reduceMessages(ctx.options, data), REDUCE_JSON_SCHEMA, 'Writing the summary');
  const answer = text === null ? null : parseReduceAnswer(text);
  if (!answer || !answer.ok) return fallback('The model’s final summary could not be read, so this review was assembled from the per-part notes.');
  return { summary: answer.summary, risks: answer.risks.slice(0, 5), changes: answer.changes.slice(0, 5), notes };
}
