import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from './diff-text';
import { findFileContainer, findLineElement, findLineNumberCell } from './line-locator';

// Saved GitHub pages and the diffs they show (e2e/fixtures/github, see SOURCES.md), read with linkedom.
const FIXTURES = new URL('../../e2e/fixtures/github/', import.meta.url);
const text = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const load = (name: string) => parseHTML(text(name)).document;

const PAGES: Array<[layout: string, html: string, diff: string]> = [
  ['classic unified', 'OctoLinker__pull-diff_testrepo-1.html', 'OctoLinker__pull-diff_testrepo-1.expected.diff'],
  ['classic split', 'OctoLinker__commit-b0775a9_split.html', 'OctoLinker__commit-b0775a9.expected.diff'],
  ['classic unified, constructed', 'constructed/classic-content_unified.html', 'constructed/classic-content_unified.expected.diff'],
  ['classic split, constructed', 'constructed/classic-content_split.html', 'constructed/classic-content_split.expected.diff'],
  ['React unified', 'constructed/react-content_unified.html', 'constructed/react-content_unified.expected.diff'],
  ['React split', 'constructed/react-content_split.html', 'constructed/react-content_split.expected.diff'],
];

describe('finding a finding\'s line on the page', () => {
  for (const [layout, html, diffName] of PAGES) {
    it(`${layout}: every added line is found on its own row, on the new side`, () => {
      const doc = load(html);
      let checked = 0;
      for (const file of parseUnifiedDiff(text(diffName))) {
        for (const line of file.hunks.flatMap((h) => h.lines)) {
          if (line.kind !== 'addition' || line.newNumber === null || line.text.trim().length < 3) continue;
          const row = findLineElement(doc, file.path, line.newNumber);
          expect(row, `${file.path}:${line.newNumber}`).not.toBeNull();
          expect(row?.textContent ?? '').toContain(line.text.trim());
          // The marker goes into the number cell that says this line's number.
          const cell = findLineNumberCell(doc, file.path, line.newNumber);
          expect(cell?.getAttribute('data-line-number') ?? cell?.textContent?.trim()).toBe(String(line.newNumber));
          // New side: in every layout the new-side number cell comes right before the added code.
          expect(cell?.nextElementSibling?.textContent ?? '').toContain(line.text.trim());
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it('finds nothing for a line outside the shown hunks or a file the page does not show', () => {
    const doc = load('OctoLinker__pull-diff_testrepo-1.html');
    const [file] = parseUnifiedDiff(text('OctoLinker__pull-diff_testrepo-1.expected.diff'));
    expect(findLineElement(doc, file!.path, 99_999)).toBeNull();
    expect(findLineElement(doc, 'no/such/file.ts', 1)).toBeNull();
    expect(findFileContainer(doc, 'no/such/file.ts')).toBeNull();
  });

  it('a file GitHub did not load ("Load diff") still has its place on the page, though none of its lines', () => {
    const doc = load('constructed/classic-statuses_unified.html');
    const container = findFileContainer(doc, 'data/huge.json');
    expect(container?.querySelector('[data-path]')?.getAttribute('data-path')).toBe('data/huge.json');
    expect(findLineElement(doc, 'data/huge.json', 1)).toBeNull();
  });
});
