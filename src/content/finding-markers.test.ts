/** Finding markers on a saved classic "Files changed" page (GitHub's own DOM). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FindingMarkers } from './finding-markers';
import { githubPage, press } from './testing/github-page';
import { CHANGED_FILE, finding, PR_PAGE, PR_URL } from './testing/pull-request';
import type { Finding } from '../model/review';

afterEach(() => vi.unstubAllGlobals());

function setup() {
  const page = githubPage(PR_PAGE, PR_URL);
  const selected: Finding[] = [];
  const markers = new FindingMarkers(page.document, { theme: () => 'dark', onSelect: (f) => selected.push(f) });
  const onPage = () => [...page.document.querySelectorAll('[data-testid="finding-marker"]')];
  const inside = (marker: Element | undefined) => marker?.shadowRoot ?? null;
  return { page, markers, selected, onPage, inside };
}

describe('finding markers', () => {
  it("puts one marker in the line's number cell, with its findings as text in a tooltip", async () => {
    const { markers, onPage, inside } = setup();
    const hostile = finding({ id: 'f2', severity: 'critical', title: '<img src=x onerror=alert(1)>', explanation: '**Bold** `code`' });
    markers.set([finding(), hostile], true);
    const [marker] = onPage();
    expect(onPage()).toHaveLength(1);
    expect(marker?.getAttribute('data-file')).toBe(CHANGED_FILE);
    expect(marker?.getAttribute('data-line')).toBe('3');
    expect(marker?.closest('td')).not.toBeNull();
    const button = inside(marker)?.querySelector('[data-testid="marker-button"]');
    expect(button?.textContent).toBe('2');
    expect(button?.getAttribute('aria-label')).toBe('2 review findings on line 3');
    const tip = inside(marker)?.querySelector('[data-testid="marker-tooltip"]');
    expect(tip?.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(tip?.textContent).toContain('Bold code');
    expect(tip?.querySelector('img')).toBeNull();
    // The most severe finding colours the marker.
    expect(inside(marker)?.querySelector('[data-theme="dark"]')?.getAttribute('style')).toContain('--lpr-danger-fg');
    expect(markers.count).toBe(1);
  });

  it('shows nothing while hidden, and nothing for a line the page does not show', () => {
    const { markers, onPage } = setup();
    markers.set([finding()], false);
    expect(onPage()).toHaveLength(0);
    markers.set([finding({ line: 999 }), finding({ id: 'x', file: 'not/on/page.js' })], true);
    expect(onPage()).toHaveLength(0);
  });

  it('puts a marker back when GitHub re-renders its row, and clear removes every marker', () => {
    const { markers, onPage } = setup();
    markers.set([finding()], true);
    onPage()[0]?.remove();
    markers.sync();
    expect(onPage()).toHaveLength(1);
    const before = onPage()[0];
    markers.sync();
    expect(onPage()[0]).toBe(before); // nothing changed: nothing touched
    markers.clear();
    expect(onPage()).toHaveLength(0);
  });

  it('a click selects the finding (its first one, for a line with several)', () => {
    const { page, markers, onPage, inside, selected } = setup();
    markers.set([finding(), finding({ id: 'f2' })], true);
    press(inside(onPage()[0])?.querySelector('[data-testid="marker-button"]'));
    expect(selected.map((f) => f.id)).toEqual(['f1']);
    expect(page.document.querySelector('style[data-local-pr-review="page-style"]')).not.toBeNull();
  });
});
