/**
 * Turns a model's answer into summary lines and raw findings. Tolerates everything a small model
 * does (prose around the JSON, markdown fences, truncation, wrong types, synonyms) and never
 * throws; what it cannot use is counted, not hidden.
 */
import type { Category, Finding, Severity } from '../model/review';
import { parseLenient } from './lenient-json';
import { isRecord } from '../shared/guards';

/** A finding as the model wrote it, before the anchor checks it against the diff and gives it an id. */
export interface RawFinding extends Omit<Finding, 'id' | 'line' | 'endLine'> {
  /** As the model wrote it: a path, a file name, or '' when it left the file out (one-file part). */
  file: string;
  /** The model's line number; null when it gave none. */
  line: number | null;
  endLine: number | null;
}

export interface MapAnswer {
  summary: string[];
  findings: RawFinding[];
  /** Findings present in the answer but unusable (no file, unknown severity, cut off, ...). */
  unparseable: number;
  /** False when no JSON object could be found at all. */
  ok: boolean;
}

export interface ReduceAnswer {
  summary: string;
  risks: string[];
  changes: string[];
  ok: boolean;
}

/** Beyond this the answer is runaway generation; the head holds what matters. */
export const MAX_ANSWER_CHARS = 100_000;
const MAX_TEXT = 2000;

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical', blocker: 'critical', severe: 'critical', fatal: 'critical',
  major: 'major', high: 'major', error: 'major', important: 'major',
  minor: 'minor', medium: 'minor', moderate: 'minor', warning: 'minor', low: 'minor',
  nit: 'nit', nitpick: 'nit', trivial: 'nit', info: 'nit', suggestion: 'nit',
};

const CATEGORY_WORDS: Record<string, Category> = {
  bug: 'bug', bugs: 'bug', correctness: 'bug', logic: 'bug', error: 'bug', 'error-handling': 'bug', reliability: 'bug',
  security: 'security', vulnerability: 'security',
  performance: 'performance', perf: 'performance', efficiency: 'performance',
  maintainability: 'maintainability', readability: 'maintainability', design: 'maintainability',
  documentation: 'maintainability', docs: 'maintainability', complexity: 'maintainability',
  tests: 'tests', test: 'tests', testing: 'tests', coverage: 'tests',
  style: 'style', formatting: 'style', naming: 'style', typo: 'style',
};

function text(v: unknown, max = MAX_TEXT): string {
  if (typeof v === 'string') return v.trim().slice(0, max);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

function pick(o: Record<string, unknown>, ...keys: string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

/** A line number from 12, "12", "L12", "12-14" or "12:3". */
function lineOf(v: unknown): { line: number | null; end: number | null } {
  if (typeof v === 'number' && Number.isFinite(v)) return { line: Math.trunc(v), end: null };
  if (typeof v === 'string') {
    const m = /(\d+)(?:\s*[-–:]\s*L?(\d+))?/.exec(v);
    if (m) return { line: Number(m[1]), end: m[2] ? Number(m[2]) : null };
  }
  if (Array.isArray(v) && typeof v[0] === 'number') return { line: Math.trunc(v[0]), end: typeof v[1] === 'number' ? Math.trunc(v[1]) : null };
  return { line: null, end: null };
}

function strings(v: unknown, maxItems: number): string[] {
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const out: string[] = [];
  for (const item of list) {
    const s = text(item, 500).replace(/^[-*•]\s+/, '');
    if (s) out.push(s);
    if (out.length >= maxItems) break;
  }
  return out;
}

/** Candidate starts of the JSON: the first `{` in a ```json fence, then every `{` in order. */
function jsonStarts(answer: string): number[] {
  const starts: number[] = [];
  const fence = /```(?:json|JSON)?\s*\n?\s*\{/.exec(answer);
  if (fence) starts.push(fence.index + fence[0].length - 1);
  for (let i = answer.indexOf('{'); i >= 0 && starts.length < 8; i = answer.indexOf('{', i + 1)) {
    if (!starts.includes(i)) starts.push(i);
  }
  return starts;
}

function findObject(answer: string, wanted: readonly string[]): { obj: Record<string, unknown>; incomplete: WeakSet<object> } | null {
  const src = typeof answer === 'string' ? answer.slice(0, MAX_ANSWER_CHARS) : '';
  for (const start of jsonStarts(src)) {
    const r = parseLenient(src, start);
    const v = r.value;
    if (isRecord(v) && wanted.some((k) => k in v)) {
      return { obj: v, incomplete: r.incomplete };
    }
  }
  // A bare array of findings (some models skip the wrapper).
  const bracket = src.indexOf('[');
  if (bracket >= 0) {
    const r = parseLenient(src, bracket);
    if (Array.isArray(r.value) && r.value.some((x) => x && typeof x === 'object')) {
      return { obj: { findings: r.value }, incomplete: r.incomplete };
    }
  }
  return null;
}

/** Severity and category from one `kind` string of the short format ("major bug", "critical/security"). */
function kindOf(v: unknown): { severity?: Severity; category?: Category } {
  // "error-handling" is one word; "nit-style" is two.
  const words = text(v, 100)
    .toLowerCase()
    .split(/[^a-z-]+/)
    .flatMap((w) => (SEVERITY_WORDS[w] || CATEGORY_WORDS[w] ? [w] : w.split('-')))
    .filter(Boolean);
  const sevAt = words.findIndex((w) => SEVERITY_WORDS[w] !== undefined);
  const severity = sevAt >= 0 ? SEVERITY_WORDS[words[sevAt]!] : undefined;
  const category = words.filter((_, i) => i !== sevAt).map((w) => CATEGORY_WORDS[w]).find((c) => c !== undefined);
  return { ...(severity ? { severity } : {}), ...(category ? { category } : {}) };
}

/**
 * One finding, in the short format (`kind`, `why`, `fix`, `end`, no `file` when the part has one
 * file) or the long one (`severity`, `category`, `explanation`, `suggestion`, `end_line`). An
 * empty `file` is left for the anchor to resolve from the part's files and the quote.
 */
function toFinding(o: unknown, incomplete: WeakSet<object>): RawFinding | null {
  if (!isRecord(o) || incomplete.has(o)) return null;
  const f = o;
  const file = text(pick(f, 'file', 'path', 'filename', 'file_path'), 500).replace(/^[ab]\//, '');
  const kind = kindOf(pick(f, 'kind', 'tag'));
  const sev = SEVERITY_WORDS[text(pick(f, 'severity', 'level', 'priority', 'sev')).toLowerCase()] ?? kind.severity;
  if (!sev) return null;
  const cat = CATEGORY_WORDS[text(pick(f, 'category', 'type', 'cat')).toLowerCase()] ?? kind.category ?? 'maintainability';
  const l = lineOf(pick(f, 'line', 'start_line', 'startLine', 'line_number', 'lines'));
  const e = lineOf(pick(f, 'end', 'end_line', 'endLine'));
  const explanation = text(pick(f, 'why', 'explanation', 'description', 'details', 'message', 'body'));
  const title = text(pick(f, 'title', 'summary', 'issue'), 200) || explanation.slice(0, 80);
  if (!title) return null;
  const quote = text(pick(f, 'quote', 'code', 'line_text', 'snippet'), 1000);
  const suggestion = text(pick(f, 'fix', 'suggestion', 'suggested_code'));
  return {
    file,
    line: l.line,
    endLine: e.line ?? l.end,
    severity: sev,
    category: cat,
    title,
    explanation,
    ...(suggestion ? { suggestion } : {}),
    quote,
  };
}

export function parseMapAnswer(answer: string): MapAnswer {
  try {
    const found = findObject(answer, ['findings', 'summary', 'issues']);
    if (!found) return { summary: [], findings: [], unparseable: 0, ok: false };
    const { obj, incomplete } = found;
    const rawList = pick(obj, 'findings', 'issues', 'comments');
    const list = Array.isArray(rawList) ? rawList : [];
    const findings: RawFinding[] = [];
    let unparseable = 0;
    for (const item of list.slice(0, 200)) {
      const f = toFinding(item, incomplete);
      if (f) findings.push(f);
      else unparseable++;
    }
    return { summary: strings(pick(obj, 'summary', 'summaries'), 24), findings, unparseable, ok: true };
  } catch {
    return { summary: [], findings: [], unparseable: 0, ok: false };
  }
}

/**
 * What can be read from an answer still being written: the summary lines and findings that are
 * complete. A half-written finding is left out (lenient-json reports it as incomplete), and so
 * is a half-written summary line. Every finding returned here is, in the same order, also
 * in `parseMapAnswer` of the finished answer, so a caller can take them early and the rest later.
 */
export function parsePartialMapAnswer(answer: string): { summary: string[]; findings: RawFinding[] } {
  // The same reading as a finished answer's: lenient-json drops a string the text ended inside
  // of and marks a half-written object incomplete, so what it returns is already finished.
  const { summary, findings } = parseMapAnswer(answer);
  return { summary, findings };
}

export function parseReduceAnswer(answer: string): ReduceAnswer {
  try {
    const found = findObject(answer, ['summary', 'risks', 'changes']);
    if (!found) return { summary: '', risks: [], changes: [], ok: false };
    const o = found.obj;
    const summary = strings(o.summary, 5).join(' ');
    const risks = strings(pick(o, 'risks', 'issues'), 8);
    const changes = strings(pick(o, 'changes', 'major_changes'), 8);
    return { summary, risks, changes, ok: summary.length > 0 };
  } catch {
    return { summary: '', risks: [], changes: [], ok: false };
  }
}
