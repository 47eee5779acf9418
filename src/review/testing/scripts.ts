/**
 * Helpers for writing the scripts of the scripted engine (src/engine/scripted-engine.ts) in review
 * tests and benchmarks: what kind of call a request is, what it shows, and a plausible reviewer.
 */
import type { ChatRequest } from '../../engine/engine';

export type RequestKind = 'map' | 'reduce' | 'verify' | 'other';

export function requestKind(request: ChatRequest): RequestKind {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  if (system.startsWith('You review one part')) return 'map';
  if (system.startsWith('You write the final review')) return 'reduce';
  if (system.startsWith('You check one finding')) return 'verify';
  return 'other';
}

/** The fenced data of a request's user message (the diff for map calls, the notes for reduce). */
export function fencedData(request: ChatRequest): string {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const m = /^(`{3,})\n([\s\S]*)\n\1\n/.exec(user);
  return m?.[2] ?? '';
}

/** The files a map request shows (from its `### path (status)` headers). */
export function filesInRequest(request: ChatRequest): string[] {
  const out: string[] = [];
  for (const line of fencedData(request).split('\n')) {
    const m = /^### (.+) \([^)]*\)$/.exec(line);
    if (m && !out.includes(m[1]!)) out.push(m[1]!);
  }
  return out;
}

/** Added lines of a map request: `{file, line, text}` in order. */
export function addedLinesInRequest(request: ChatRequest): { file: string; line: number; text: string }[] {
  const out: { file: string; line: number; text: string }[] = [];
  let file = '';
  for (const line of fencedData(request).split('\n')) {
    const h = /^### (.+) \([^)]*\)$/.exec(line);
    if (h) file = h[1]!;
    const a = /^(\d+)\+(.*)$/.exec(line);
    if (a && file) out.push({ file, line: Number(a[1]), text: a[2]! });
  }
  return out;
}

/**
 * A plausible reviewer: per map request, a one-line summary per file and one finding on each
 * file's first added line; per reduce request, a fixed summary; per verify request, "real".
 */
export function plausibleResponder(request: ChatRequest): string {
  if (requestKind(request) === 'verify') return '{"real": true, "confidence": 0.8}';
  if (requestKind(request) === 'reduce') {
    return JSON.stringify({ summary: 'Scripted summary of the pull request.', risks: ['Scripted risk.'], changes: ['Scripted change.'] });
  }
  const files = filesInRequest(request);
  const added = addedLinesInRequest(request);
  const findings = files.flatMap((file) => {
    const first = added.find((a) => a.file === file && a.text.trim().length > 0);
    return first
      ? [{ file, line: first.line, severity: 'major', category: 'bug', title: `Check ${file}`, explanation: 'Scripted.', quote: first.text }]
      : [];
  });
  return JSON.stringify({ summary: files.map((f) => `${f}: scripted change`), findings });
}
