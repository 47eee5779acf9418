import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { MarkdownLexerContext } from '../markdown';
import { lexMarkdown } from '../../markdown/lexer';
import { parseHTML } from 'linkedom';
import { ReviewView } from './review-view';
import type { Finding, Review } from '../../model/review';

const finding = (id: string, severity: Finding['severity'], line: number, extra: Partial<Finding> = {}): Finding => ({
  id,
  file: 'src/a.ts',
  line,
  severity,
  category: 'bug',
  title: `Title ${id}`,
  explanation: `Explanation ${id}`,
  quote: '',
  ...extra,
});

function review(extra: Partial<Review> = {}): Review {
  return {
    summary: 'The summary.',
    risks: [],
    changes: [],
    walkthrough: [],
    findings: [finding('n', 'nit', 1), finding('c', 'critical', 9), finding('m', 'minor', 2), finding('c2', 'critical', 3)],
    coverage: [{ path: 'src/a.ts', coverage: 'full' }],
    truncated: false,
    stats: { modelCalls: 1, promptTokens: 1, completionTokens: 1, elapsedMs: 1, dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 } },
    ...extra,
  };
}

function dom(node: preact.VNode): Document {
  return parseHTML(`<!doctype html><html><body>${renderToString(<MarkdownLexerContext.Provider value={lexMarkdown}>{node}</MarkdownLexerContext.Provider>)}</body></html>`).document;
}

const testIds = (doc: Document, id: string) => [...doc.querySelectorAll(`[data-testid="${id}"]`)];

describe('ReviewView', () => {
  it('puts the summary first and groups findings by severity, most severe first, in line order, with counts', () => {
    const doc = dom(<ReviewView review={review()} dismissed={new Set()} />);
    const sections = [...doc.querySelectorAll('[data-testid="panel-done"] > section')].map((s) => s.getAttribute('data-testid'));
    expect(sections[0]).toBe('review-summary');
    expect(testIds(doc, 'finding-group').map((g) => g.getAttribute('data-severity'))).toEqual(['critical', 'minor', 'nit']);
    expect(testIds(doc, 'finding').map((f) => f.getAttribute('data-finding-id'))).toEqual(['c2', 'c', 'm', 'n']);
    expect(testIds(doc, 'severity-counts')[0]!.textContent).toBe('2 critical1 minor1 nit');
    expect(doc.querySelector('[data-testid="review-findings"] h3')!.textContent).toBe('Findings (4)');
  });

  it('leaves dismissed findings out of the groups and counts them', () => {
    const doc = dom(<ReviewView review={review()} dismissed={new Set(['c', 'n'])} onDismiss={() => {}} onUndismiss={() => {}} />);
    expect(testIds(doc, 'finding').map((f) => f.getAttribute('data-finding-id'))).toEqual(['c2', 'm']);
    expect(testIds(doc, 'toggle-dismissed')[0]!.textContent).toContain('2 dismissed');
    expect(testIds(doc, 'dismiss-finding')).toHaveLength(2);
  });

  it('shows a suggestion as escaped code with a copy button', () => {
    const withSuggestion = review({ findings: [finding('s', 'major', 4, { suggestion: '</code><img src=x onerror=alert(1)>' })] });
    const doc = dom(<ReviewView review={withSuggestion} dismissed={new Set()} onCopy={() => {}} />);
    const code = doc.querySelector('[data-testid="finding-suggestion"] pre code')!;
    expect(code.textContent).toBe('</code><img src=x onerror=alert(1)>');
    expect(doc.querySelector('img')).toBeNull();
    expect(testIds(doc, 'copy-suggestion')).toHaveLength(1);
  });

  it('calls a review partial when files were not loaded or read in part, not when binaries were skipped', () => {
    const skippedOnly = dom(<ReviewView review={review({ coverage: [{ path: 'a.png', coverage: 'skipped', reason: 'binary file' }] })} dismissed={new Set()} />);
    expect(testIds(skippedOnly, 'panel-partial')).toHaveLength(0);
    expect(testIds(skippedOnly, 'coverage-item')[0]!.textContent).toContain('binary file');
    const notLoaded = dom(
      <ReviewView review={review({ coverage: [{ path: 'big.json', coverage: 'not-loaded', reason: 'GitHub did not load this diff' }] })} dismissed={new Set()} />,
    );
    expect(testIds(notLoaded, 'panel-partial')[0]!.textContent).toContain('0 of 1 files reviewed fully');
    expect(testIds(notLoaded, 'coverage-item')[0]!.textContent).toContain('not loaded: GitHub did not load this diff');
    const truncated = dom(<ReviewView review={review({ truncated: true })} dismissed={new Set()} />);
    expect(testIds(truncated, 'panel-partial')[0]!.textContent).toContain('cut short');
  });

  it('marks a stored review from an older commit as outdated and offers to review the new commits', () => {
    const saved = { savedAt: Date.UTC(2026, 0, 2), outdated: true, headSha: 'abcdef0123456789' };
    const doc = dom(<ReviewView review={review()} dismissed={new Set()} saved={saved} onRerun={() => {}} />);
    expect(testIds(doc, 'review-outdated')[0]!.textContent).toContain('abcdef0');
    expect(testIds(doc, 'rerun-outdated')).toHaveLength(1);
    const current = dom(<ReviewView review={review()} dismissed={new Set()} saved={{ ...saved, outdated: false }} />);
    expect(testIds(current, 'review-outdated')).toHaveLength(0);
    expect(testIds(current, 'review-saved')).toHaveLength(1);
  });

  it('without page actions (the options history) shows locations as text, not links or buttons', () => {
    const doc = dom(<ReviewView review={review()} dismissed={new Set()} />);
    expect(testIds(doc, 'finding-link')).toHaveLength(0);
    expect(testIds(doc, 'dismiss-finding')).toHaveLength(0);
    expect(doc.querySelector('.lpr-finding-location')!.textContent).toBe('src/a.ts:3');
  });
});
