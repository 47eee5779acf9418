/**
 * Shared by the panel, marker and options specs: the saved GitHub pages they run on (classic and
 * React), a rich review to seed into review memory, and checks on what the panel looks like.
 */
import type { Locator, Page, TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, ROOT, type Launched, type RouteTable } from './support/extension';
import type { Review } from '../src/model/review';

export interface PrPage {
  name: 'classic' | 'react';
  path: string;
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  /** A file and new-side line that the page shows. */
  file: string;
  line: number;
  routes: RouteTable;
}

export const CLASSIC: PrPage = {
  name: 'classic',
  path: '/OctoLinker/testrepo/pull/1/files',
  owner: 'OctoLinker',
  repo: 'testrepo',
  number: 1,
  headSha: '9981d1a99ef8fff1f569c2ae24b136d5a0275132',
  file: 'sourcereader/popular-cat-names.js',
  line: 3,
  routes: {
    '/OctoLinker/testrepo/pull/1/files': fixture('OctoLinker__pull-diff_testrepo-1.html'),
    '/OctoLinker/testrepo/pull/1.diff': { body: fixture('OctoLinker__pull-diff_testrepo-1.expected.diff'), contentType: 'text/plain' },
  },
};

export const REACT: PrPage = {
  name: 'react',
  path: '/octo/constructed/pull/7/changes',
  owner: 'octo',
  repo: 'constructed',
  number: 7,
  headSha: 'b'.repeat(40),
  file: '',
  line: 0,
  routes: {
    '/octo/constructed/pull/7/changes': fixture('constructed/react-content_unified.html'),
    '/octo/constructed/pull/7.diff': { body: fixture('constructed/react-content_unified.expected.diff'), contentType: 'text/plain' },
  },
};

/** Pages with files GitHub did not load and a .diff endpoint that refuses: a partial review. */
export const PARTIAL: Record<'classic' | 'react', { path: string; routes: RouteTable }> = {
  classic: {
    path: '/octo/constructed/pull/7/files',
    routes: {
      '/octo/constructed/pull/7/files': fixture('constructed/classic-statuses_unified.html'),
      '/octo/constructed/pull/7.diff': { status: 500, body: 'unavailable', contentType: 'text/plain' },
    },
  },
  react: {
    path: '/octo/constructed/pull/7/changes',
    routes: {
      '/octo/constructed/pull/7/changes': fixture('constructed/react-statuses_unified.html'),
      '/octo/constructed/pull/7.diff': { status: 500, body: 'unavailable', contentType: 'text/plain' },
    },
  },
};

/** A first file and added line of a unified diff text (the React page's lines come from its diff). */
export function firstAddedLine(diffText: string): { file: string; line: number } {
  let file = '';
  let line = 0;
  for (const raw of diffText.split(/\r?\n/)) {
    const header = /^\+\+\+ b\/(.+)$/.exec(raw);
    if (header) file = header[1]!;
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(raw);
    if (hunk) line = Number(hunk[1]) - 1;
    else if (file && raw.startsWith('+') && !raw.startsWith('+++')) return { file, line: line + 1 };
    else if (file && (raw.startsWith(' ') || raw === '')) line++;
  }
  throw new Error('no added line');
}

const reactLine = firstAddedLine(fixture('constructed/react-content_unified.expected.diff'));
REACT.file = reactLine.file;
REACT.line = reactLine.line;

/** A review with every kind of content the Done state shows, anchored to `page`'s real lines. */
export function richReview(page: PrPage, overrides: Partial<Review> = {}): Review {
  const f = page.file;
  return {
    summary:
      'This PR adds **three cat names** to the list and sorts it. The change is small and mostly safe; see the findings for a duplicate and a missing test.',
    risks: ['The list is now sorted, so code that relied on insertion order may change behaviour.'],
    changes: ['Adds names to `popular-cat-names.js`.', 'Sorts the exported array.'],
    walkthrough: [{ path: f, summary: 'Adds names.' }],
    findings: [
      {
        id: 'f-critical',
        file: f,
        line: page.line,
        severity: 'critical',
        category: 'bug',
        title: 'Exported name collides with an existing entry',
        explanation: 'The same name appears twice, so `indexOf` lookups return the **first** one only.',
        suggestion: "module.exports = [...new Set(names)];",
        quote: '',
      },
      {
        id: 'f-major',
        file: f,
        line: page.line,
        severity: 'major',
        category: 'tests',
        title: 'No test covers the new entries',
        explanation: 'Add a test that checks the list has no duplicates.',
        quote: '',
      },
      {
        id: 'f-nit',
        file: f,
        line: page.line + 1,
        severity: 'nit',
        category: 'style',
        title: 'Trailing comma style differs from the rest of the file',
        explanation: 'Minor: keep one style.',
        quote: '',
      },
    ],
    coverage: [
      { path: f, coverage: 'full' },
      { path: 'docs/huge-generated.json', coverage: 'skipped', reason: 'generated file (matches an ignore pattern)' },
    ],
    truncated: false,
    notes: ['One file was skipped by your ignore patterns.'],
    stats: {
      modelCalls: 2,
      promptTokens: 1200,
      completionTokens: 300,
      elapsedMs: 4200,
      dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 },
    },
    ...overrides,
  };
}

/** Saves a review into review memory the way the content script does (through the background). */
export async function seedReview(ext: Launched, page: PrPage, review: Review, headSha = page.headSha): Promise<void> {
  const tab = await ext.context.newPage();
  await tab.goto(`chrome-extension://${ext.extensionId}/extension/options.html`);
  const answer = await tab.evaluate(
    (message) => chrome.runtime.sendMessage(message),
    {
      kind: 'reviews/save',
      key: { owner: page.owner, repo: page.repo, number: page.number, headSha, modelId: 'scripted?delay=2' },
      settings: { depth: 'thorough', language: 'English', customInstructions: '', ignorePatterns: [] },
      review,
    },
  );
  await tab.close();
  if (!answer?.ok) throw new Error(`seeding failed: ${JSON.stringify(answer)}`);
}

export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate((t) => document.documentElement.setAttribute('data-color-mode', t), theme);
  await page.locator(`[data-local-pr-review="panel"]`).evaluate(
    (host, t) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const root = host.shadowRoot?.querySelector('.lpr-root');
          if (root?.getAttribute('data-theme') === t) resolve();
          else if (Date.now() - started > 3000) reject(new Error('theme did not switch'));
          else requestAnimationFrame(check);
        };
        check();
      }),
    theme,
  );
  // Buttons fade their background over 80 ms; measure and shoot the settled colours.
  await page.waitForTimeout(250);
}

/** Kept across runs (Playwright empties test-results); ignored by git. */
export const SCREENSHOT_DIR = join(ROOT, 'e2e', 'screenshots');

/** Screenshots the panel in light and dark, and checks the contrast of its text in each. */
export async function shootBothThemes(page: Page, name: string, info: TestInfo): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    const panel = page.getByTestId('review-panel');
    const box = await panel.boundingBox();
    const viewport = page.viewportSize();
    if (!box || !viewport) throw new Error('panel not laid out');
    // The panel is a sheet on the right edge of the window, inside it.
    if (Math.abs(box.x + box.width - viewport.width) > 1 || box.width > 421 || box.y < 0) {
      throw new Error(`panel misplaced: ${JSON.stringify(box)}`);
    }
    const low = await lowContrast(panel);
    if (low.length) throw new Error(`${name} (${theme}): text below 4.5:1 contrast: ${JSON.stringify(low.slice(0, 5))}`);
    const file = join(SCREENSHOT_DIR, `${name}-${theme}.png`);
    await panel.screenshot({ path: file, animations: 'disabled' });
    await info.attach(`${name}-${theme}`, { path: file, contentType: 'image/png' });
  }
}

/**
 * Text in the panel whose colour against its (first opaque ancestor's) background is below
 * WCAG AA for normal text, computed from the rendered styles.
 */
export async function lowContrast(panel: Locator): Promise<Array<{ text: string; ratio: number; fg: string; bg: string }>> {
  return panel.evaluate((root) => {
    const parse = (c: string): [number, number, number, number] | null => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const [r, g, b, a = '1'] = m[1]!.split(/[ ,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    };
    const lum = ([r, g, b]: number[]) =>
      [r!, g!, b!]
        .map((v) => v / 255)
        .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    const backgroundOf = (el: Element | null): [number, number, number, number] => {
      for (let e = el; e; e = e.parentElement ?? ((e.getRootNode() as ShadowRoot).host ?? null)) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg && bg[3] > 0.9) return bg;
      }
      return [255, 255, 255, 1];
    };
    const out: Array<{ text: string; ratio: number; fg: string; bg: string }> = [];
    const all = [root, ...root.querySelectorAll('*')];
    for (const el of all) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim() !== '');
      if (!own || el.closest('.lpr-sr-only, .lpr-finding-dismissed, [disabled]')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(el);
      const fg = parse(style.color);
      if (!fg) continue;
      const bg = backgroundOf(el);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a) as [number, number];
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      if (ratio < 4.5) out.push({ text: (el.textContent ?? '').trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100, fg: style.color, bg: `rgb(${bg.slice(0, 3).join(',')})` });
    }
    return out;
  });
}
