/**
 * Finding markers on the diff, in the classic and React layouts, unified and split: placed in the
 * new-side line-number cell, showing the finding on hover and focus, hidden and shown from the
 * panel or the settings, and put back when GitHub re-renders, folds or lazy-loads a file.
 * "Jump to finding" unfolds or loads a file first when it has to.
 */
import type { Page } from '@playwright/test';
import { SCRIPTED, expect, fixture, serveGithub, setSettings, test } from './support/extension';
import { join } from 'node:path';
import { CLASSIC, REACT, SCREENSHOT_DIR, firstAddedLine, richReview, seedReview, type PrPage } from './panel-pages';

function constructed(name: 'classic' | 'react', layout: 'split'): PrPage {
  const file = `constructed/${name}-content_${layout}`;
  const path = name === 'classic' ? '/octo/constructed/pull/7/files' : '/octo/constructed/pull/7/changes';
  const at = firstAddedLine(fixture(`${file}.expected.diff`));
  return {
    ...REACT,
    name,
    path,
    file: at.file,
    line: at.line,
    routes: {
      [path]: fixture(`${file}.html`),
      '/octo/constructed/pull/7.diff': { body: fixture(`${file}.expected.diff`), contentType: 'text/plain' },
    },
  };
}

const PAGES: Array<[string, PrPage]> = [
  ['classic unified', CLASSIC],
  ['React unified', REACT],
  ['classic split', constructed('classic', 'split')],
  ['React split', constructed('react', 'split')],
];

const markers = (page: Page) => page.locator('[data-local-pr-review="marker"]');

async function showReview(page: Page, pr: PrPage): Promise<void> {
  await page.goto(`https://github.com${pr.path}`);
  await page.getByTestId('review-button').click();
  await expect(page.getByTestId('panel-done')).toBeVisible();
}

for (const [name, pr] of PAGES) {
  test(`${name}: a marker sits in the new-side number cell of each line with findings and shows them on hover and focus`, async ({ ext, page }) => {
    await serveGithub(ext.context, pr.routes);
    await seedReview(ext, pr, richReview(pr));
    await showReview(page, pr);
    // Two findings on one line share a marker; the third line has its own.
    await expect(markers(page)).toHaveCount(2);
    const first = markers(page).filter({ has: page.locator(`xpath=.`) }).and(page.locator(`[data-line="${pr.line}"]`));
    await expect(first.getByTestId('marker-button')).toHaveText('2');
    const cell = await first.evaluate((host) => {
      const td = host.parentElement!;
      const numberCells = [...td.parentElement!.children].filter((c) => c.matches('td.blob-num, td.diff-line-number'));
      return {
        line: td.getAttribute('data-line-number') ?? td.textContent?.trim(),
        isNumberCell: td.matches('td.blob-num, td.diff-line-number'),
        // Both layouts, unified and split, put the new side's number in the row's second number cell.
        index: numberCells.indexOf(td),
      };
    });
    expect(cell).toEqual({ line: String(pr.line), isNumberCell: true, index: 1 });
    // Zero size: GitHub's line numbers do not move.
    const size = await first.evaluate((host) => host.getBoundingClientRect().width);
    expect(size).toBe(0);

    const tip = first.getByTestId('marker-tooltip');
    await expect(tip).toBeHidden();
    await first.getByTestId('marker-button').hover();
    await expect(tip).toBeVisible();
    await expect(tip).toContainText('Exported name collides with an existing entry');
    await expect(tip).toContainText('No test covers the new entries');
    // For people to look at: the marker and its tooltip on the (unstyled, saved) diff.
    const row = await first.evaluate((host) => host.closest('tr')!.getBoundingClientRect().toJSON() as DOMRect);
    await page.screenshot({
      path: join(SCREENSHOT_DIR, `markers-${name.replace(' ', '-').toLowerCase()}.png`),
      clip: { x: 0, y: Math.max(0, row.y - 60), width: 860, height: 220 },
    });
    await page.mouse.move(5, 5);
    await expect(tip).toBeHidden();
    await first.getByTestId('marker-button').focus();
    await expect(tip).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(tip).toBeHidden();
  });
}

test('markers hide and show from the panel, and stay off when the settings say so', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await showReview(page, CLASSIC);
  await expect(markers(page)).toHaveCount(2);
  await page.getByTestId('markers-toggle').click();
  await expect(markers(page)).toHaveCount(0);
  await expect(page.getByTestId('markers-toggle')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('markers-toggle').click();
  await expect(markers(page)).toHaveCount(2);
  // Dismissing the finding of a line takes its marker away.
  await page.locator('[data-finding-id="f-nit"]').getByTestId('dismiss-finding').click();
  await expect(markers(page)).toHaveCount(1);

  await setSettings(ext.serviceWorker, { showMarkers: false });
  await showReview(page, CLASSIC);
  await expect(markers(page)).toHaveCount(0);
});

test('clicking a marker shows its finding in the panel', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await showReview(page, CLASSIC);
  await page.getByTestId('panel-close').click();
  await markers(page).and(page.locator(`[data-line="${CLASSIC.line + 1}"]`)).getByTestId('marker-button').click();
  await expect(page.locator('[data-finding-id="f-nit"]')).toBeFocused();
});

test('React: markers come back when a file is folded and unfolded or its rows are rendered anew', async ({ ext, page }) => {
  await serveGithub(ext.context, REACT.routes);
  await seedReview(ext, REACT, richReview(REACT));
  await showReview(page, REACT);
  await expect(markers(page)).toHaveCount(2);
  // Folding removes the table (as GitHub's React view does); unfolding renders a fresh one.
  await page.evaluate((path) => {
    const table = document.querySelector(`table[aria-label="Diff for: ${path}"]`)!;
    const fresh = table.cloneNode(true) as HTMLElement;
    fresh.querySelectorAll('[data-local-pr-review]').forEach((m) => m.remove());
    const parent = table.parentElement!;
    table.remove();
    (window as unknown as { __unfold: () => void }).__unfold = () => parent.append(fresh);
  }, REACT.file);
  await expect(markers(page)).toHaveCount(0);
  await page.evaluate(() => (window as unknown as { __unfold: () => void }).__unfold());
  await expect(markers(page)).toHaveCount(2);
});

test('classic: markers come back when GitHub re-renders a file\'s rows (lazy loading)', async ({ ext, page }) => {
  await serveGithub(ext.context, CLASSIC.routes);
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await showReview(page, CLASSIC);
  await expect(markers(page)).toHaveCount(2);
  await page.evaluate(() => {
    const table = document.querySelector('table.diff-table')!;
    const html = table.innerHTML.replace(/<span data-local-pr-review="marker"[^>]*><\/span>/g, '');
    table.innerHTML = html;
  });
  await expect(markers(page)).toHaveCount(2);
});

test('jump to finding unfolds a folded classic file and loads a React "Load Diff" file first', async ({ ext, page }) => {
  // Classic: the file is folded (GitHub hides its table and flips the chevron).
  await serveGithub(ext.context, { ...CLASSIC.routes, ...REACT.routes });
  await setSettings(ext.serviceWorker, SCRIPTED('delay=2'));
  await seedReview(ext, CLASSIC, richReview(CLASSIC));
  await showReview(page, CLASSIC);
  await page.evaluate(() => {
    const file = document.querySelector('.file.js-file')!;
    const table = file.querySelector<HTMLElement>('table.diff-table')!;
    const toggle = file.querySelector<HTMLButtonElement>('button.js-details-target[aria-expanded]')!;
    table.style.display = 'none';
    toggle.setAttribute('aria-expanded', 'false');
    toggle.addEventListener('click', () => {
      table.style.display = '';
      toggle.setAttribute('aria-expanded', 'true');
    });
  });
  await page.locator('[data-finding-id="f-critical"]').getByTestId('finding-link').click();
  await expect(page.locator('tr[data-lpr-flash]')).toBeInViewport();

  // React: the file shows a "Load Diff" placeholder instead of its table.
  await seedReview(ext, REACT, richReview(REACT));
  await showReview(page, REACT);
  await page.evaluate((path) => {
    const table = document.querySelector(`table[aria-label="Diff for: ${path}"]`)!;
    const parent = table.parentElement!;
    table.remove();
    const button = document.createElement('button');
    button.textContent = 'Load Diff';
    button.addEventListener('click', () => setTimeout(() => button.replaceWith(table), 300));
    parent.append(button);
  }, REACT.file);
  await page.locator('[data-finding-id="f-critical"]').getByTestId('finding-link').click();
  await expect(page.locator('tr[data-lpr-flash]')).toBeInViewport();
  await expect(markers(page)).toHaveCount(2);
});
