import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { parseHTML } from 'linkedom';
import type { Finding, Review } from '../model/review';
import { Markdown, MarkdownLexerContext } from '../ui/markdown';
import { lexMarkdown } from './lexer';
import { blockText, codeFence, codeSpan, findingToMarkdown, reviewToMarkdown, tableCell } from './review-markdown';

/** Renders Markdown the way the panel does, to check the structure a reader would see. */
function dom(markdown: string): Document {
  return parseHTML(`<!doctype html><html><body>${renderToString(
    <MarkdownLexerContext.Provider value={lexMarkdown}>
      <Markdown source={markdown} />
    </MarkdownLexerContext.Provider>,
  )}</body></html>`).document;
}

function finding(over: Partial<Finding>): Finding {
  return {
    id: over.id ?? 'f',
    file: 'src/app.ts',
    line: 10,
    severity: 'major',
    category: 'bug',
    title: 'A title',
    explanation: 'Why it matters.',
    quote: 'x',
    ...over,
  };
}

function review(over: Partial<Review> = {}): Review {
  return {
    summary: 'Adds a **cache** to the loader.',
    risks: ['Cache is never invalidated', '- Stale reads after deploy'],
    changes: ['New `Cache` class', 'Loader uses it'],
    walkthrough: [{ path: 'src/cache.ts', summary: 'The cache' }],
    findings: [],
    coverage: [],
    truncated: false,
    stats: {
      modelCalls: 1,
      promptTokens: 1,
      completionTokens: 1,
      dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 },
      elapsedMs: 1,
    },
    ...over,
  };
}

describe('reviewToMarkdown', () => {
  it('puts the summary first, then risks, findings, changes, walkthrough, coverage and the footer', () => {
    const md = reviewToMarkdown(
      review({
        findings: [finding({ id: 'a' })],
        coverage: [{ path: 'src/cache.ts', coverage: 'full' }],
      }),
      { modelName: 'Qwen2.5-Coder-1.5B', headSha: '0123456789abcdef' },
    );
    const order = ['Adds a **cache**', '### Risks', '### Findings (1)', '### Changes', '### Walkthrough', '### Coverage', 'local-pr-review'];
    const positions = order.map((s) => md.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(md).toContain('`Qwen2.5-Coder-1.5B`');
    expect(md).toContain('`0123456`');
  });

  it('groups findings by severity with counts, most severe first, file:line as plain text', () => {
    const md = reviewToMarkdown(
      review({
        findings: [
          finding({ id: 'n', severity: 'nit', title: 'Naming', line: 3 }),
          finding({ id: 'c', severity: 'critical', title: 'SQL injection', file: 'src/db.ts', line: 42, endLine: 44 }),
          finding({ id: 'c2', severity: 'critical', title: 'Auth bypass', file: 'src/auth.ts', line: 7 }),
        ],
      }),
    );
    expect(md).toContain('### Findings (3)');
    expect(md.indexOf('#### Critical (2)')).toBeLessThan(md.indexOf('#### Nit (1)'));
    expect(md.indexOf('Auth bypass')).toBeLessThan(md.indexOf('SQL injection'));
    expect(md).toContain('`src/db.ts:42-44`');
    const doc = dom(md);
    expect(Array.from(doc.querySelectorAll('h4')).map((h) => h.textContent)).toEqual(['Critical (2)', 'Nit (1)']);
    expect(doc.querySelectorAll('a').length).toBe(0);
  });

  it('leaves out dismissed findings and says how many', () => {
    const md = reviewToMarkdown(review({ findings: [finding({ id: 'a', title: 'Keep' }), finding({ id: 'b', title: 'Gone' })] }), {
      dismissedIds: ['b'],
    });
    expect(md).toContain('Keep');
    expect(md).not.toContain('Gone');
    expect(md).toContain('### Findings (1)');
    expect(md).toContain('1 dismissed finding not shown');
  });

  it('says so when there are no findings, and when the review was cut short', () => {
    const md = reviewToMarkdown(review({ truncated: true }));
    expect(md).toContain('No findings.');
    expect(md).toContain('cut short');
  });

  it('fences suggestions with more backticks than they contain', () => {
    const suggestion = 'const s = `a`;\n```\nnot the end\n```';
    const md = findingToMarkdown(finding({ file: 'src/x.ts', suggestion }));
    expect(md).toContain('````ts');
    const code = dom(md).querySelector('pre code');
    expect(code?.textContent).toBe(suggestion);
    expect(code?.getAttribute('data-lang')).toBe('ts');
  });

  it('keeps the walkthrough table intact when model text contains pipes and newlines', () => {
    const md = reviewToMarkdown(
      review({
        walkthrough: [
          { path: 'src/a|b.ts', summary: 'Splits on `a | b`\n| injected | row |' },
          { path: 'src/c.ts', summary: 'Plain' },
        ],
      }),
    );
    const table = dom(md).querySelector('table');
    const rows = table?.querySelectorAll('tbody tr') ?? [];
    expect(rows.length).toBe(2);
    for (const row of Array.from(rows)) expect(row.querySelectorAll('td').length).toBe(2);
    expect(rows[0]?.querySelector('td code')?.textContent).toBe('src/a|b.ts');
    expect(rows[0]?.querySelectorAll('td')[1]?.textContent).toContain('a | b');
  });

  it('lists coverage: counts, partly reviewed and skipped files with reasons, files not loaded', () => {
    const md = reviewToMarkdown(
      review({
        coverage: [
          { path: 'src/a.ts', coverage: 'full' },
          { path: 'src/big.ts', coverage: 'partial', reason: 'only the first 3 of 9 hunks fit' },
          { path: 'package-lock.json', coverage: 'skipped', reason: 'lock file' },
          { path: 'src/later.ts', coverage: 'not-loaded', reason: 'collapsed on the page' },
        ],
      }),
    );
    expect(md).toContain('Reviewed fully: 1 · partly: 1 · skipped: 1 · not loaded: 1');
    expect(md).toMatch(/\*\*Skipped\*\*\n\n- `package-lock\.json`: lock file/);
    expect(md).toMatch(/\*\*Reviewed partly\*\*\n\n- `src\/big\.ts`: only the first 3 of 9 hunks fit/);
    expect(md).toMatch(/\*\*Not loaded\*\*\n\n- `src\/later\.ts`: collapsed on the page/);
  });

  it('keeps model text from breaking out of its section', () => {
    const md = reviewToMarkdown(
      review({
        summary: '# Hijacked\n<details><summary>x</summary>\n<!-- hide the rest\n```js\nunclosed(',
        risks: ['<img src=x onerror=alert(1)>'],
        findings: [finding({ title: 'Bad <b>title</b>', explanation: 'Text\n===' })],
      }),
    );
    // The unclosed fence from the summary is closed, so the sections after it still parse.
    const doc = dom(md);
    const h3 = Array.from(doc.querySelectorAll('h3')).map((h) => h.textContent);
    expect(h3).toEqual(['Risks', 'Findings (1)', 'Changes', 'Walkthrough']);
    expect(doc.querySelector('h1')).toBeNull();
    expect(md).not.toMatch(/<details><summary>x/);
    expect(md).not.toContain('<!--');
    expect(md).not.toContain('<img');
    expect(md).toContain('Bad &lt;b>title&lt;/b>');
    expect(md).toContain('\\===');
  });
});

describe('helpers', () => {
  it('codeSpan survives backticks inside', () => {
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(dom(codeSpan('a``b`c')).querySelector('code')?.textContent).toBe('a``b`c');
  });

  it('codeFence round-trips code with long backtick runs', () => {
    const code = 'x\n`````\ny';
    expect(dom(codeFence(code)).querySelector('pre code')?.textContent).toBe(code);
  });

  it('tableCell escapes pipes even inside code and flattens lines', () => {
    expect(tableCell('a | `b|c`\nd')).toBe('a \\| `b\\|c` d');
  });

  it('blockText keeps code blocks verbatim and closes an open fence', () => {
    expect(blockText('```\n<b>\n```')).toBe('```\n<b>\n```');
    expect(blockText('~~~~\ncode')).toBe('~~~~\ncode\n~~~~');
    expect(blockText('`<b>` and <b>')).toBe('`<b>` and &lt;b>');
    expect(blockText('## Top')).toBe('#### Top');
  });
});
