import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { parseHTML } from 'linkedom';
import { Markdown, MarkdownLexerContext, StreamingMarkdown, safeHref } from './markdown';
import { lexMarkdown } from '../markdown/lexer';
import type { ComponentChildren } from 'preact';

/** Extension pages lex in place; the content script's lexer is asynchronous (markdown-client.ts). */
const Lexed = ({ children }: { children: ComponentChildren }) => (
  <MarkdownLexerContext.Provider value={lexMarkdown}>{children}</MarkdownLexerContext.Provider>
);

function html(source: string): string {
  return renderToString(
    <Lexed>
      <Markdown source={source} />
    </Lexed>,
  );
}

/** The rendered output parsed back, to ask what a browser would build from it. */
function dom(source: string): Document {
  return parseHTML(`<!doctype html><html><body>${html(source)}</body></html>`).document;
}

const ALLOWED_TAGS = new Set([
  'DIV', 'P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'UL', 'OL', 'LI', 'PRE', 'CODE', 'STRONG', 'EM',
  'DEL', 'A', 'SPAN', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'BLOCKQUOTE', 'HR', 'BR', 'INPUT',
]);

/** Everything a browser would treat as active: unknown tags, event handlers, non-http(s) links. */
function activeParts(doc: Document): string[] {
  const problems: string[] = [];
  for (const el of Array.from(doc.body.querySelectorAll('*'))) {
    if (!ALLOWED_TAGS.has(el.tagName)) problems.push(`tag ${el.tagName}`);
    for (const attr of Array.from(el.attributes)) {
      if (/^on/i.test(attr.name)) problems.push(`handler ${attr.name}`);
      if (attr.name === 'src' || attr.name === 'srcdoc' || attr.name === 'formaction') problems.push(`attr ${attr.name}`);
    }
    const href = el.getAttribute('href');
    if (href !== null && !/^https?:\/\//.test(href)) problems.push(`href ${href}`);
  }
  return problems;
}

const XSS_CORPUS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'before <script>alert(1)</script> after',
  '[x](javascript:alert(1))',
  '[x](JAVASCRIPT:alert(1))',
  '[x]( javascript:alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x](java\tscript:alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;avascript&colon;alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](vbscript:msgbox(1))',
  '[x](file:///etc/passwd)',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '<javascript:alert(1)>',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml,<svg onload=alert(1)>)',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="https://example.com" onclick="alert(1)">click</a>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="https://evil.example"></iframe>',
  '<div>\n<img src=x onerror=alert(1)>\n</div>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  '`<img src=x onerror=alert(1)>`',
  '```html\n<script>alert(1)</script>\n```',
  '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |',
  '> <details open ontoggle=alert(1)>',
  '- <style>*{display:none}</style>',
  '<!-- <img src=x onerror=alert(1)> -->',
  '[<img src=x onerror=alert(1)>](https://example.com)',
  '[x](https://example.com "<img src=x onerror=alert(1)>")',
];

describe('Markdown: untrusted input stays inert', () => {
  it.each(XSS_CORPUS)('renders %j without active content', (source) => {
    const doc = dom(source);
    expect(activeParts(doc)).toEqual([]);
  });

  it('shows raw HTML as the literal text the model wrote', () => {
    const doc = dom('Hello <img src=x onerror=alert(1)> world');
    expect(doc.querySelector('img')).toBeNull();
    expect(doc.body.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('renders a javascript: link as its plain text', () => {
    const doc = dom('[click me](javascript:alert(1))');
    expect(doc.querySelector('a')).toBeNull();
    expect(doc.body.textContent?.trim()).toBe('click me');
  });

  it('decodes entities into text, never into markup', () => {
    const doc = dom('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#60;b&#62;');
    expect(doc.querySelector('script')).toBeNull();
    expect(doc.querySelector('b')).toBeNull();
    expect(doc.body.textContent?.trim()).toBe('<script>alert(1)</script> & <b>');
  });

  it('turns an image into a link instead of loading it', () => {
    const doc = dom('![diagram](https://example.com/d.png)');
    expect(doc.querySelector('img')).toBeNull();
    const a = doc.querySelector('a');
    expect(a?.getAttribute('href')).toBe('https://example.com/d.png');
    expect(a?.textContent).toBe('diagram');
  });

  it('keeps code blocks as text', () => {
    const doc = dom('```html\n<script>alert(1)</script>\n```');
    expect(doc.querySelector('script')).toBeNull();
    expect(doc.querySelector('pre code')?.textContent).toBe('<script>alert(1)</script>');
  });

  it('never throws on odd input', () => {
    const nasty = ['', '\u0000', '>'.repeat(5000) + ' deep', '- '.repeat(3000) + 'x', '[](', '```', '|'.repeat(1000)];
    for (const source of nasty) expect(() => html(source)).not.toThrow();
  });

  it('bounds nesting depth and still shows the text', () => {
    const doc = dom('>'.repeat(200) + ' deep quote');
    expect(doc.querySelectorAll('blockquote').length).toBeLessThan(30);
    expect(doc.body.textContent).toContain('deep quote');
  });
});

describe('Markdown: ordinary Markdown', () => {
  it('renders paragraphs, emphasis and code spans', () => {
    const doc = dom('Use **strong**, *em*, ~~gone~~ and `a < b`.');
    expect(doc.querySelector('p strong')?.textContent).toBe('strong');
    expect(doc.querySelector('p em')?.textContent).toBe('em');
    expect(doc.querySelector('p del')?.textContent).toBe('gone');
    expect(doc.querySelector('p code')?.textContent).toBe('a < b');
  });

  it('renders headings, with an optional offset', () => {
    expect(dom('# Title').querySelector('h1')?.textContent).toBe('Title');
    const offset = parseHTML(renderToString(
        <Lexed>
          <Markdown source="# Title" headingOffset={2} />
        </Lexed>,
      )).document;
    expect(offset.querySelector('h3')?.textContent).toBe('Title');
    expect(dom('###### Six').querySelector('h6')).not.toBeNull();
  });

  it('renders http(s) links that open in a new tab without an opener', () => {
    const a = dom('See [docs](https://example.com/a?b=1&c=2 "Docs").').querySelector('a');
    expect(a?.getAttribute('href')).toBe('https://example.com/a?b=1&c=2');
    expect(a?.getAttribute('target')).toBe('_blank');
    expect(a?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(a?.getAttribute('title')).toBe('Docs');
    expect(a?.textContent).toBe('docs');
  });

  it('links bare URLs (GFM autolinks)', () => {
    expect(dom('go to https://example.com/x now').querySelector('a')?.getAttribute('href')).toBe('https://example.com/x');
  });

  it('renders lists, nested and ordered with their start', () => {
    const doc = dom('- one\n- two\n  - nested\n\n3. three\n4. four');
    expect(doc.querySelectorAll('ul > li').length).toBe(3);
    expect(doc.querySelector('ul ul li')?.textContent).toBe('nested');
    expect(doc.querySelector('ol')?.getAttribute('start')).toBe('3');
    expect(doc.querySelectorAll('ol li').length).toBe(2);
  });

  it('renders task list items as disabled checkboxes', () => {
    const boxes = dom('- [x] done\n- [ ] todo').querySelectorAll('input');
    expect(boxes.length).toBe(2);
    expect(boxes[0]?.hasAttribute('disabled')).toBe(true);
    expect(boxes[0]?.hasAttribute('checked')).toBe(true);
    expect(boxes[1]?.hasAttribute('checked')).toBe(false);
  });

  it('renders fenced code with its language and exact text', () => {
    const code = dom('```ts\nconst a = 1 && 2;\n```').querySelector('pre code');
    expect(code?.getAttribute('data-lang')).toBe('ts');
    expect(code?.textContent).toBe('const a = 1 && 2;');
  });

  it('renders tables with alignment', () => {
    const doc = dom('| File | Notes |\n|:---|---:|\n| `a.ts` | x \\| y |');
    expect(Array.from(doc.querySelectorAll('th')).map((th) => th.textContent)).toEqual(['File', 'Notes']);
    const cells = doc.querySelectorAll('td');
    expect(cells[0]?.querySelector('code')?.textContent).toBe('a.ts');
    expect(cells[1]?.textContent).toBe('x | y');
    expect(cells[1]?.getAttribute('style')).toContain('right');
  });

  it('renders blockquotes, rules and hard breaks', () => {
    const doc = dom('> quoted\n\n---\n\nline one  \nline two');
    expect(doc.querySelector('blockquote p')?.textContent).toBe('quoted');
    expect(doc.querySelector('hr')).not.toBeNull();
    expect(doc.querySelector('br')).not.toBeNull();
  });

  it('keeps backslash escapes as the literal character', () => {
    expect(dom('\\*not em\\*').body.textContent?.trim()).toBe('*not em*');
  });
});

describe('StreamingMarkdown', () => {
  it('renders partial text, including an unclosed code fence, and marks it busy', () => {
    const out = parseHTML(renderToString(
        <Lexed>
          <StreamingMarkdown source={'Intro\n\n```js\nlet x = "<b>'} done={false} />
        </Lexed>,
      )).document;
    const root = out.querySelector('.lpr-md');
    expect(root?.getAttribute('aria-busy')).toBe('true');
    expect(out.querySelector('pre code')?.textContent).toBe('let x = "<b>');
    expect(out.querySelector('b')).toBeNull();
  });

  it('drops the busy mark when done', () => {
    const out = parseHTML(renderToString(
        <Lexed>
          <StreamingMarkdown source="All **done**" done />
        </Lexed>,
      )).document;
    expect(out.querySelector('.lpr-md')?.hasAttribute('aria-busy')).toBe(false);
    expect(out.querySelector('strong')?.textContent).toBe('done');
  });
});

describe('safeHref', () => {
  it('accepts only absolute http(s) URLs', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('HTTP://EXAMPLE.com/x')).toBe('http://example.com/x');
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\nscript:x', 'data:text/html,x', '/relative', '//host/x', 'mailto:a@b.c', '']) {
      expect(safeHref(bad)).toBeNull();
    }
  });
});

describe('Markdown without a lexer (or while the background lexes)', () => {
  it('shows the source as plain text, with nothing parsed into elements', () => {
    const html = renderToString(<Markdown source={'**bold** <img src=x onerror=alert(1)>'} />);
    const out = parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;
    expect(out.querySelector('strong')).toBeNull();
    expect(out.querySelector('img')).toBeNull();
    expect(out.body.textContent).toContain('**bold** <img src=x onerror=alert(1)>');
  });
});
