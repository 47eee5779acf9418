/**
 * The compact diff format the model reads: cheaper than unified diff text and numbered where
 * findings land.
 *
 *   ### src/app.ts (modified)       one header per file (repeated on every piece of a split file)
 *   @@ function load()              a hunk; its section heading, no line ranges
 *    unchanged context               leading space, no number (cheap: findings rarely land here)
 *   12+added line                   new-side line number, then the added text
 *   -removed line                    no number: removed lines have no new-side position
 *   -[9 more removed lines]          a long run of removed lines, shortened
 *
 * Line numbers cost about two tokens a line, so only added lines carry one; re-anchoring matches
 * the quoted text anyway (anchor.ts), the number only picks among equal lines.
 */
import type { DiffFile, DiffHunk } from '../model/diff';

/** Removed lines shown before a long run is shortened (a rewrite still shows what it replaced). */
export const DELETION_RUN_SHOWN = 3;
/** Runs longer than this are shortened. */
export const DELETION_RUN_MAX = 6;
/** Longer lines are cut: a line this long is data or minified code, not something to review. */
export const MAX_LINE_CHARS = 400;

export interface RenderedHunk {
  /** The `@@ …` line. */
  head: string;
  lines: string[];
  /** True when a line was shortened. */
  cut: boolean;
}

export function fileHeader(file: DiffFile): string {
  const status =
    file.status === 'renamed' && file.oldPath ? `renamed from ${file.oldPath}` : file.status === 'added' ? 'new file' : file.status;
  return `### ${file.path} (${status})`;
}

function sectionOf(header: string): string {
  const m = /^@@[^@]*@@ ?(.*)$/.exec(header ?? '');
  return m?.[1]?.trim() ?? '';
}

function clip(text: string): { text: string; cut: boolean } {
  // Line breaks inside a line's text would break the one-line-per-line format.
  const flat = text.replace(/[\r\n]+/g, ' ');
  if (flat.length <= MAX_LINE_CHARS) return { text: flat, cut: false };
  return { text: `${flat.slice(0, MAX_LINE_CHARS)}…[line cut]`, cut: true };
}

export function renderHunk(hunk: DiffHunk): RenderedHunk {
  const section = sectionOf(hunk.header);
  const out: string[] = [];
  let cut = false;
  const lines = hunk.lines ?? [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.kind === 'deletion') {
      let end = i;
      while (end < lines.length && lines[end]!.kind === 'deletion') end++;
      const run = end - i;
      const shown = run > DELETION_RUN_MAX ? DELETION_RUN_SHOWN : run;
      for (let k = i; k < i + shown; k++) {
        const c = clip(lines[k]!.text);
        cut ||= c.cut;
        out.push(`-${c.text}`);
      }
      if (shown < run) out.push(`-[${run - shown} more removed lines]`);
      i = end - 1;
      continue;
    }
    const c = clip(line.text);
    cut ||= c.cut;
    out.push(line.kind === 'addition' ? `${line.newNumber ?? '?'}+${c.text}` : ` ${c.text}`);
  }
  return { head: section ? `@@ ${section}` : '@@', lines: out, cut };
}

/**
 * The file as plain unified diff text (what `git diff` or GitHub's `.diff` shows), used as the
 * yardstick for "tokens of reviewable diff" in plans and benchmarks.
 */
export function unifiedText(file: DiffFile): string {
  const old = file.oldPath ?? file.path;
  const out = [`diff --git a/${old} b/${file.path}`, 'index 0000000..0000000 100644', `--- a/${old}`, `+++ b/${file.path}`];
  for (const h of file.hunks) {
    out.push(h.header);
    for (const l of h.lines) out.push(`${l.kind === 'addition' ? '+' : l.kind === 'deletion' ? '-' : ' '}${l.text}`);
  }
  return `${out.join('\n')}\n`;
}
