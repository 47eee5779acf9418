/**
 * Unified diff text <-> DiffFile[].
 *
 * The only importer of `parse-diff`. parse-diff reads hunk lines well (it follows the hunk line
 * counts, so content such as `+++ x` or `--- y` stays content) but does not report binary files,
 * renames, or "\ No newline at end of file" as such. So the text is first cut into one section per
 * file here, using the hunk counts; each section's extended header (rename/mode/binary lines) is
 * read here, and its hunks are handed to parse-diff.
 */
import parseDiff from 'parse-diff';
import type { DiffFile, DiffHunk, DiffLine, DiffSource, FileStatus } from '../model/diff';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const NO_NEWLINE = '\\ No newline at end of file';

interface Section {
  header: string[];
  body: string[];
}

/**
 * Parse `git diff` / `.diff` endpoint text. Never throws: text that is not a diff gives `[]`,
 * a malformed section is skipped.
 */
export function parseUnifiedDiff(text: string, source: DiffSource = 'diff-text'): DiffFile[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const files: DiffFile[] = [];
  for (const section of splitSections(toLines(text))) {
    try {
      const file = readSection(section, source);
      if (file) files.push(file);
    } catch {
      // A section parse-diff cannot read is dropped rather than failing the whole diff.
    }
  }
  return files;
}

/**
 * Lines of the text. When the header lines end in CR the whole text went through a CRLF
 * conversion (clipboard, Windows checkout) and one CR per line is transport, not content;
 * otherwise a CR is part of the file's content (a CRLF file in an LF diff) and is kept.
 */
function toLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const first = lines.find((l) => l.startsWith('diff ') || l.startsWith('--- ') || l.startsWith('@@ '));
  if (first !== undefined && first.endsWith('\r')) {
    return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
  return lines;
}

function splitSections(lines: string[]): Section[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  let oldLeft = 0;
  let newLeft = 0;
  const inHunk = () => oldLeft > 0 || newLeft > 0;

  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (inHunk()) {
      if (line.startsWith('\\')) {
        current?.body.push(line);
        continue;
      }
      if (line === '') line = ' '; // editors strip the space of empty context lines
      const marker = line[0];
      if (marker === ' ' || marker === '-' || marker === '+') {
        if (marker !== '+') oldLeft = Math.max(0, oldLeft - 1);
        if (marker !== '-') newLeft = Math.max(0, newLeft - 1);
        current?.body.push(line);
        continue;
      }
      // The hunk ended before its counts said (truncated text): read this line as a header.
      oldLeft = 0;
      newLeft = 0;
    }

    const next = lines[i + 1] ?? '';
    const startsGit = line.startsWith('diff --git ');
    // A plain `---`/`+++` pair starts a file unless it completes the header of a `diff --git` one.
    const startsPlain =
      line.startsWith('--- ') &&
      next.startsWith('+++ ') &&
      (current === null || current.body.length > 0 || hasMinusPlus(current));
    if (startsGit || startsPlain) {
      current = { header: [], body: [] };
      sections.push(current);
    }
    if (current === null) continue; // preamble (e.g. a commit message before the diff)
    const m = HUNK_HEADER.exec(line);
    if (m) {
      oldLeft = m[2] === undefined ? 1 : Number(m[2]);
      newLeft = m[4] === undefined ? 1 : Number(m[4]);
      current.body.push(line);
    } else if (current.body.length === 0) {
      current.header.push(line);
    } else if (line.startsWith('\\')) {
      current.body.push(line);
    }
    // Anything else after a finished hunk and before the next file is noise (e.g. `-- ` signature of a .patch).
  }
  return sections;
}

function hasMinusPlus(s: Section): boolean {
  return s.header.some((l) => l.startsWith('+++ '));
}

function readSection(section: Section, source: DiffSource): DiffFile | null {
  const h = readHeader(section.header);
  const hunks = section.body.length > 0 ? readHunks(section) : [];
  let path = h.newPath ?? h.oldPath;
  if (!path) return null;
  let oldPath = h.oldPath ?? path;
  if (h.isNew) oldPath = path;
  if (h.isDeleted) path = oldPath;

  let status: FileStatus;
  if (h.binary) status = 'binary';
  else if (h.isNew) status = 'added';
  else if (h.isDeleted) status = 'deleted';
  else if (oldPath !== path) status = 'renamed';
  else if (hunks.length === 0 && h.oldMode && h.newMode && h.oldMode !== h.newMode) status = 'mode-only';
  else status = 'modified';

  const file: DiffFile = { path, status, hunks, source };
  if (oldPath !== path) file.oldPath = oldPath;
  // Modes follow git: an added file has only a new mode, a deleted one only an old mode.
  if (h.oldMode && !h.isNew) file.oldMode = h.oldMode;
  if (h.newMode && !h.isDeleted) file.newMode = h.newMode;
  if (h.isNew && h.newMode) file.newMode = h.newMode;
  if (h.isDeleted && h.oldMode) file.oldMode = h.oldMode;
  if (h.isNew && !file.newMode) file.newMode = '100644';
  if (h.isDeleted && !file.oldMode) file.oldMode = '100644';
  let additions = 0;
  let deletions = 0;
  for (const hunk of hunks) {
    for (const l of hunk.lines) {
      if (l.kind === 'addition') additions++;
      else if (l.kind === 'deletion') deletions++;
    }
  }
  file.additions = additions;
  file.deletions = deletions;
  return file;
}

interface Header {
  oldPath?: string;
  newPath?: string;
  oldMode?: string;
  newMode?: string;
  isNew: boolean;
  isDeleted: boolean;
  binary: boolean;
}

function readHeader(lines: string[]): Header {
  const h: Header = { isNew: false, isDeleted: false, binary: false };
  let gitOld: string | undefined;
  let gitNew: string | undefined;
  let renameFrom: string | undefined;
  let renameTo: string | undefined;
  let minus: string | null | undefined;
  let plus: string | null | undefined;
  for (const line of lines) {
    if (line.startsWith('diff --git ')) {
      const pair = splitGitPaths(line.slice('diff --git '.length));
      if (pair) [gitOld, gitNew] = pair;
    } else if (line.startsWith('new file mode ')) {
      h.isNew = true;
      h.newMode = line.slice('new file mode '.length).trim();
    } else if (line.startsWith('deleted file mode ')) {
      h.isDeleted = true;
      h.oldMode = line.slice('deleted file mode '.length).trim();
    } else if (line.startsWith('old mode ')) h.oldMode = line.slice('old mode '.length).trim();
    else if (line.startsWith('new mode ')) h.newMode = line.slice('new mode '.length).trim();
    else if (line.startsWith('rename from ')) renameFrom = unquote(line.slice('rename from '.length));
    else if (line.startsWith('rename to ')) renameTo = unquote(line.slice('rename to '.length));
    else if (line.startsWith('copy from ')) renameFrom = unquote(line.slice('copy from '.length));
    else if (line.startsWith('copy to ')) renameTo = unquote(line.slice('copy to '.length));
    else if (line.startsWith('Binary files ') || line.startsWith('GIT binary patch')) {
      h.binary = true;
      const m = /^Binary files (.+) and (.+) differ$/.exec(line);
      if (m?.[1] && m[2]) {
        minus ??= stripPrefix(unquote(m[1]));
        plus ??= stripPrefix(unquote(m[2]));
      }
    } else if (line.startsWith('--- ')) minus = stripPrefix(readMinusPlusPath(line.slice(4)));
    else if (line.startsWith('+++ ')) plus = stripPrefix(readMinusPlusPath(line.slice(4)));
  }
  if (minus === null) h.isNew = true;
  if (plus === null) h.isDeleted = true;
  h.oldPath = renameFrom ?? (minus === null ? undefined : minus) ?? gitOld;
  h.newPath = renameTo ?? (plus === null ? undefined : plus) ?? gitNew;
  if (h.isNew) h.oldPath = h.newPath;
  if (h.isDeleted) h.newPath = h.oldPath;
  return h;
}

/** `a/x b/y` (possibly quoted) -> [x, y]. Unquoted paths with spaces are ambiguous; equal halves win. */
function splitGitPaths(rest: string): [string, string] | null {
  if (rest.startsWith('"')) {
    const end = closingQuote(rest, 0);
    if (end < 0) return null;
    const first = unquote(rest.slice(0, end + 1));
    const second = unquote(rest.slice(end + 2));
    return [stripPrefix(first) ?? first, stripPrefix(second) ?? second];
  }
  const n = rest.length;
  if ((n - 1) % 2 === 0) {
    const half = (n - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (rest[half] === ' ' && a.slice(2) === b.slice(2) && a.startsWith('a/') && b.startsWith('b/')) return [a.slice(2), b.slice(2)];
  }
  const q = rest.indexOf(' "');
  if (q >= 0) return [stripPrefix(rest.slice(0, q)) ?? '', stripPrefix(unquote(rest.slice(q + 1))) ?? ''];
  const idx = rest.indexOf(' b/');
  if (idx < 0) return null;
  return [stripPrefix(rest.slice(0, idx)) ?? '', stripPrefix(rest.slice(idx + 1)) ?? ''];
}

function readMinusPlusPath(raw: string): string {
  if (raw.startsWith('"')) return unquote(raw);
  // GNU diff appends a tab and a timestamp; git quotes any path that holds a tab.
  const tab = raw.indexOf('\t');
  return tab >= 0 ? raw.slice(0, tab) : raw;
}

/** Drop git's `a/` / `b/` prefix; `/dev/null` -> null. */
function stripPrefix(p: string): string | null {
  if (p === '/dev/null') return null;
  if (p.startsWith('a/') || p.startsWith('b/')) return p.slice(2);
  return p;
}

function closingQuote(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

const ESCAPES = new Map(Object.entries({ a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 }));

/** Undo git's C-style path quoting (octal escapes are UTF-8 bytes). */
function unquote(s: string): string {
  if (!(s.startsWith('"') && s.endsWith('"') && s.length >= 2)) return s;
  const bytes: number[] = [];
  const inner = s.slice(1, -1);
  const enc = new TextEncoder();
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charAt(i);
    if (c !== '\\') {
      const cp = inner.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      bytes.push(...enc.encode(ch));
      i += ch.length - 1;
      continue;
    }
    const escaped = ESCAPES.get(inner.charAt(i + 1));
    const oct = /^[0-7]{3}/.exec(inner.slice(i + 1, i + 4));
    if (oct) {
      bytes.push(parseInt(oct[0], 8));
      i += 3;
    } else if (escaped !== undefined) {
      bytes.push(escaped);
      i += 1;
    } else {
      bytes.push(92);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function readHunks(section: Section): DiffHunk[] {
  // parse-diff needs a file header to start a file; the section's own header may be a git one
  // it reads differently, so give it a neutral one and keep only its hunks.
  const parsed = parseDiff(['--- a/x', '+++ b/x', ...section.body].join('\n'));
  const chunks = parsed[0]?.chunks ?? [];
  const hunks: DiffHunk[] = [];
  for (const chunk of chunks) {
    const lines: DiffLine[] = [];
    for (const change of chunk.changes) {
      if (change.content.startsWith('\\')) {
        const last = lines[lines.length - 1];
        if (last) last.noNewlineAtEnd = true;
        continue;
      }
      const text = change.content.slice(1);
      if (change.type === 'normal') lines.push({ kind: 'context', oldNumber: change.ln1, newNumber: change.ln2, text });
      else if (change.type === 'add') lines.push({ kind: 'addition', oldNumber: null, newNumber: change.ln, text });
      else lines.push({ kind: 'deletion', oldNumber: change.ln, newNumber: null, text });
    }
    hunks.push({
      header: chunk.content,
      oldStart: chunk.oldStart,
      oldLines: chunk.oldLines,
      newStart: chunk.newStart,
      newLines: chunk.newLines,
      lines,
    });
  }
  return hunks;
}

// ---------------------------------------------------------------------------------------------

/**
 * Standard `git diff` text for the files. Files whose lines were never read (not-loaded, or
 * too-large without hunks) are left out: they have no diff to show, and `missing[]` says why.
 * Hunk line counts are recomputed from the lines so the output always applies.
 */
export function serializeUnifiedDiff(files: DiffFile[]): string {
  const out: string[] = [];
  for (const file of files) {
    if ((file.status === 'not-loaded' || file.status === 'too-large') && file.hunks.length === 0) continue;
    serializeFile(file, out);
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

function serializeFile(file: DiffFile, out: string[]): void {
  const start = out.length;
  writeFile(file, out);
  // A bare `diff --git` line says nothing (e.g. a mode change whose modes the page did not show).
  if (out.length === start + 1) out.pop();
}

function writeFile(file: DiffFile, out: string[]): void {
  const newPath = file.path;
  const oldPath = file.oldPath ?? file.path;
  const isNew = file.status === 'added' || (file.status === 'binary' && !file.oldMode && !!file.newMode && !file.oldPath);
  const isDeleted = file.status === 'deleted' || (file.status === 'binary' && !!file.oldMode && !file.newMode && !file.oldPath);
  out.push(`diff --git ${quotePath('a/' + oldPath)} ${quotePath('b/' + newPath)}`);
  if (isNew) out.push(`new file mode ${file.newMode ?? '100644'}`);
  else if (isDeleted) out.push(`deleted file mode ${file.oldMode ?? '100644'}`);
  else if (file.oldMode && file.newMode && file.oldMode !== file.newMode) {
    out.push(`old mode ${file.oldMode}`, `new mode ${file.newMode}`);
  }
  if (oldPath !== newPath) out.push(`rename from ${quotePath(oldPath)}`, `rename to ${quotePath(newPath)}`);
  const minus = isNew ? '/dev/null' : quotePath('a/' + oldPath);
  const plus = isDeleted ? '/dev/null' : quotePath('b/' + newPath);
  if (file.status === 'binary') {
    out.push(`Binary files ${minus} and ${plus} differ`);
    return;
  }
  const hunks = file.hunks.filter((h) => h.lines.length > 0);
  if (hunks.length === 0) return;
  out.push(`--- ${minus}`, `+++ ${plus}`);
  for (const hunk of hunks) {
    let oldCount = 0;
    let newCount = 0;
    for (const l of hunk.lines) {
      if (l.kind !== 'addition') oldCount++;
      if (l.kind !== 'deletion') newCount++;
    }
    const section = HUNK_HEADER.exec(hunk.header) ? hunk.header.replace(HUNK_HEADER, '').replace(/\r$/, '') : '';
    out.push(`@@ -${range(hunk.oldStart, oldCount)} +${range(hunk.newStart, newCount)} @@${section}`);
    for (const l of hunk.lines) {
      out.push((l.kind === 'addition' ? '+' : l.kind === 'deletion' ? '-' : ' ') + l.text);
      if (l.noNewlineAtEnd) out.push(NO_NEWLINE);
    }
  }
}

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}

/** Quote like git does for paths holding control characters, quotes or backslashes. */
function quotePath(p: string): string {
  if (!/[\u0000-\u001f"\\\u007f]/.test(p)) return p;
  let s = '"';
  for (const ch of p) {
    const code = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') s += '\\' + ch;
    else if (ch === '\t') s += '\\t';
    else if (ch === '\n') s += '\\n';
    else if (ch === '\r') s += '\\r';
    else if (code < 0x20 || code === 0x7f) s += '\\' + code.toString(8).padStart(3, '0');
    else s += ch;
  }
  return s + '"';
}
