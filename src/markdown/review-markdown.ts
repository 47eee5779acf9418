/**
 * A finished review as GitHub-flavoured Markdown, for "Copy as Markdown" and "Insert into comment".
 *
 * Everything the model wrote is untrusted and gets pasted into a GitHub comment, so model text is
 * fenced in: raw HTML is escaped (an unclosed `<details>` or `<!--` would swallow the rest of the
 * comment), an unclosed code fence is closed, headings are demoted below ours, table cells cannot
 * end their cell or row, and code is fenced with more backticks than it contains.
 */
import type { FileCoverage, Finding, Review } from '../model/review';
import { groupFindings, SEVERITY_LABELS } from '../model/finding-groups';

export interface ReviewMarkdownOptions {
  /** The model that wrote the review, named in the footer. */
  modelName?: string;
  /** Findings the user dismissed are left out (and counted). */
  dismissedIds?: ReadonlySet<string> | readonly string[];
  /** The commit the review is about, named in the footer (shortened to 7 characters). */
  headSha?: string;
}

const PRODUCT = 'local-pr-review';

function longestRun(text: string, char: '`' | '~'): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

function oneLine(text: string): string {
  return String(text ?? '').replace(/\s+/g, ' ').trim();
}

/** `text` as an inline code span that no backtick inside it can end early. */
export function codeSpan(text: string): string {
  const value = oneLine(text);
  const ticks = '`'.repeat(longestRun(value, '`') + 1);
  // A span that starts or ends with a backtick needs a space of padding, which GitHub strips.
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${value}${pad}${ticks}`;
}

/** A fenced code block whose fence is longer than any backtick run in the code. */
export function codeFence(code: string, lang = ''): string {
  const body = String(code ?? '').replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  const info = /^[\w+#.-]{1,20}$/.test(lang) ? lang : '';
  return `${fence}${info}\n${body}\n${fence}`;
}

/** Escapes `<` outside inline code spans, so model text cannot open HTML in the comment. */
function escapeHtmlOutsideCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '`') {
      let run = 0;
      while (line[i + run] === '`') run++;
      const ticks = '`'.repeat(run);
      // The span closes at the next run of exactly the same length.
      let search = i + run;
      let close = -1;
      while (search < line.length) {
        const at = line.indexOf(ticks, search);
        if (at === -1) break;
        let len = 0;
        while (line[at + len] === '`') len++;
        if (len === run) {
          close = at;
          break;
        }
        search = at + len;
      }
      if (close === -1) {
        out += ticks;
        i += run;
      } else {
        out += line.slice(i, close + run);
        i = close + run;
      }
      continue;
    }
    const c = line[i]!;
    out += c === '<' ? '&lt;' : c;
    i++;
  }
  return out;
}

/** Model text for inline places (bullets, titles): one line, no HTML. */
export function inlineText(text: string): string {
  return escapeHtmlOutsideCode(oneLine(text));
}

/** Model text for a table cell: inline, and a `|` cannot end the cell (not even inside code). */
export function tableCell(text: string): string {
  return inlineText(text).replace(/\\?\|/g, '\\|');
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * Model text for block places (summary, explanation): keeps its Markdown, but escapes HTML,
 * demotes headings below `minHeading`, and closes a code fence the model left open.
 */
export function blockText(text: string, minHeading = 4): string {
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').trim().split('\n');
  const out: string[] = [];
  let open: { char: string; length: number } | null = null;
  for (const line of lines) {
    const fence = FENCE_LINE.exec(line);
    if (open) {
      if (fence && fence[1]![0] === open.char && fence[1]!.length >= open.length && fence[2]!.trim() === '') open = null;
      out.push(line);
      continue;
    }
    if (fence && !(fence[1]![0] === '`' && fence[2]!.includes('`'))) {
      open = { char: fence[1]![0]!, length: fence[1]!.length };
      out.push(line);
      continue;
    }
    const heading = /^ {0,3}(#{1,6})(?=\s|$)(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, Math.max(minHeading, heading[1]!.length));
      out.push(`${'#'.repeat(level)}${escapeHtmlOutsideCode(heading[2]!)}`);
      continue;
    }
    const previous = out[out.length - 1];
    if (/^ {0,3}(?:=+|-+)\s*$/.test(line) && previous !== undefined && previous.trim() !== '') {
      // A setext underline would turn the previous line into a heading above ours: keep a rule
      // for `---` (what models usually mean) and show `===` literally.
      out.push('', line.trim().startsWith('-') ? '***' : `\\${line.trim()}`);
      continue;
    }
    out.push(escapeHtmlOutsideCode(line));
  }
  if (open) out.push(open.char.repeat(open.length));
  return out.join('\n');
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : by + line))
    .join('\n');
}

function bullet(text: string): string {
  // Risks and changes sometimes arrive with their own bullet marker.
  return `- ${inlineText(String(text ?? '').replace(/^\s*(?:[-*+]|\d+[.)])\s+/, ''))}`;
}

function location(finding: Finding): string {
  const end = finding.endLine !== undefined && finding.endLine > finding.line ? `-${finding.endLine}` : '';
  return `${finding.file}:${finding.line}${end}`;
}

function languageOf(path: string): string {
  const match = /\.([A-Za-z0-9+#-]{1,10})$/.exec(path);
  return match ? match[1]!.toLowerCase() : '';
}

/** One finding as a Markdown list item (also usable alone, e.g. for a line comment). */
export function findingToMarkdown(finding: Finding): string {
  const head = `- **${inlineText(finding.title) || 'Finding'}** · ${codeSpan(location(finding))} · ${inlineText(finding.category)}`;
  const parts = [head];
  const explanation = blockText(finding.explanation);
  if (explanation) parts.push(indent(explanation));
  if (finding.suggestion !== undefined && finding.suggestion.trim() !== '') {
    parts.push(indent(`Suggested change:\n\n${codeFence(finding.suggestion, languageOf(finding.file))}`));
  }
  return parts.join('\n\n');
}

function coverageSection(coverage: readonly FileCoverage[]): string {
  const byKind = (kind: FileCoverage['coverage']) => coverage.filter((c) => c.coverage === kind);
  const full = byKind('full');
  const partial = byKind('partial');
  const skipped = byKind('skipped');
  const notLoaded = byKind('not-loaded');
  const item = (c: FileCoverage) => `- ${codeSpan(c.path)}${c.reason ? `: ${inlineText(c.reason)}` : ''}`;
  const out = [
    `Reviewed fully: ${full.length} · partly: ${partial.length} · skipped: ${skipped.length} · not loaded: ${notLoaded.length}`,
  ];
  if (partial.length) out.push(`**Reviewed partly**\n\n${partial.map(item).join('\n')}`);
  if (skipped.length) out.push(`**Skipped**\n\n${skipped.map(item).join('\n')}`);
  if (notLoaded.length) out.push(`**Not loaded**\n\n${notLoaded.map(item).join('\n')}`);
  if (full.length) {
    out.push(`<details><summary>Reviewed fully (${full.length})</summary>\n\n${full.map(item).join('\n')}\n\n</details>`);
  }
  return out.join('\n\n');
}

/** The whole review, summary first, ready to paste into a GitHub comment. */
export function reviewToMarkdown(review: Review, options: ReviewMarkdownOptions = {}): string {
  const sections: string[] = ['## Pull request review'];
  const summary = blockText(review.summary ?? '');
  sections.push(summary || '_No summary._');
  if (review.truncated) {
    sections.push('> [!NOTE]\n> This review was cut short (call limit or an error), so some changes were not reviewed. See Coverage.');
  }

  const risks = (review.risks ?? []).filter((r) => oneLine(r) !== '');
  if (risks.length) sections.push(`### Risks\n\n${risks.map(bullet).join('\n')}`);

  const grouped = groupFindings(review.findings ?? [], options.dismissedIds ?? []);
  const findingParts = [`### Findings (${grouped.total})`];
  if (grouped.total === 0) findingParts.push('No findings.');
  for (const group of grouped.groups) {
    findingParts.push(`#### ${SEVERITY_LABELS[group.severity]} (${group.count})`);
    findingParts.push(group.findings.map(findingToMarkdown).join('\n\n'));
  }
  if (grouped.dismissed > 0) findingParts.push(`_${grouped.dismissed} dismissed finding${grouped.dismissed === 1 ? '' : 's'} not shown._`);
  sections.push(findingParts.join('\n\n'));

  const changes = (review.changes ?? []).filter((c) => oneLine(c) !== '');
  if (changes.length) sections.push(`### Changes\n\n${changes.map(bullet).join('\n')}`);

  const rows = review.walkthrough ?? [];
  if (rows.length) {
    const table = ['| File | Summary |', '| --- | --- |', ...rows.map((r) => `| ${tableCell(codeSpan(r.path))} | ${tableCell(r.summary)} |`)];
    sections.push(`### Walkthrough\n\n${table.join('\n')}`);
  }

  if ((review.coverage ?? []).length) sections.push(`### Coverage\n\n${coverageSection(review.coverage)}`);

  const model = options.modelName ? ` with ${codeSpan(options.modelName)}` : '';
  const commit = options.headSha ? ` at ${codeSpan(options.headSha.slice(0, 7))}` : '';
  sections.push(
    `---\n\n<sub>Reviewed${commit} by ${PRODUCT}${model}, a language model running on the reviewer's own machine. ` +
      'Findings are suggestions; check them before acting.</sub>',
  );
  return `${sections.join('\n\n')}\n`;
}
