import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { reviewButtonAnchors } from './selectors';

const load = (name: string) => parseHTML(readFileSync(new URL(`../../e2e/fixtures/github/${name}`, import.meta.url), 'utf8')).document;

/** The first anchor in priority order that the page has, as the content script picks it. */
function anchorOf(doc: Document): { selector: string; el: Element } | null {
  for (const selector of reviewButtonAnchors) {
    const el = doc.querySelector(selector);
    if (el) return { selector, el };
  }
  return null;
}

describe('reviewButtonAnchors on saved real pages', () => {
  it.each([
    ['OctoLinker__pull-diff_testrepo-1.html', '.gh-header-show .gh-header-actions'],
    ['OctoLinker__pull-comments_testrepo-1.html', '.gh-header-show .gh-header-actions'],
    ['TingGeorge__commit-2fa8000_react.html', '[data-component="PH_Actions"]'],
    ['OctoLinker__commit-b0775a9_unified.html', '#toc .toc-diff-stats'],
  ])('%s: the Review button goes into %s', (page, selector) => {
    const found = anchorOf(load(page));
    expect(found?.selector).toBe(selector);
  });

  it('the React header anchor is the PageHeader actions slot (also matched by its hashed class)', () => {
    const el = load('TingGeorge__commit-2fa8000_react.html').querySelector('[class*="prc-PageHeader-Actions"]');
    expect(el?.getAttribute('data-component')).toBe('PH_Actions');
  });
});
