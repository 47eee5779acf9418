import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { CONTRAST_PAIRS, contrastRatio, cssVariableName, detectGithubTheme, SEVERITY_TOKENS, THEMES, watchGithubTheme, type ThemeName } from './theme';
import { PANEL_CSS } from './panel/panel-css';

const THEME_NAMES: ThemeName[] = ['light', 'dark'];

function githubDocument(attrs: string): Document {
  return parseHTML(`<!doctype html><html ${attrs}><head></head><body></body></html>`).document;
}
const prefers = (dark: boolean) => (query: string) => ({ matches: dark && query.includes('dark') });

describe('contrastRatio', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#1f2328', '#1f2328')).toBe(1);
    // #767676 is the lightest grey that passes AA on white; #777777 just fails.
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });

  it('rejects colours it cannot measure instead of guessing', () => {
    expect(() => contrastRatio('red', '#ffffff')).toThrow(/#rrggbb/);
  });
});

describe('theme colours are legible', () => {
  for (const theme of THEME_NAMES) {
    for (const pair of CONTRAST_PAIRS) {
      it(`${theme}: ${pair.fg} on ${pair.bg} (${pair.use}) reaches ${pair.min}:1`, () => {
        const ratio = contrastRatio(THEMES[theme][pair.fg], THEMES[theme][pair.bg]);
        expect(ratio, `${THEMES[theme][pair.fg]} on ${THEMES[theme][pair.bg]} is ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(pair.min);
      });
    }
  }

  it('draws every severity label in a token that is checked against the canvas', () => {
    for (const token of Object.values(SEVERITY_TOKENS)) {
      expect(CONTRAST_PAIRS.some((p) => p.fg === token && p.bg === 'canvasDefault' && p.min >= 4.5)).toBe(true);
    }
  });
});

describe('panel stylesheet', () => {
  it('defines every custom property it uses, in both themes', () => {
    const used = new Set([...PANEL_CSS.matchAll(/var\((--lpr-[a-z-]+)(,?)/g)].filter((m) => m[2] !== ',').map((m) => m[1]!));
    const lightBlock = /\[data-theme="light"\] \{([^}]*)\}/.exec(PANEL_CSS)?.[1] ?? '';
    const darkBlock = /\[data-theme="dark"\] \{([^}]*)\}/.exec(PANEL_CSS)?.[1] ?? '';
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) {
      expect(lightBlock, `${name} in light`).toContain(`${name}:`);
      expect(darkBlock, `${name} in dark`).toContain(`${name}:`);
    }
  });

  it('takes its colours from the theme tokens only (no stray hex colours)', () => {
    const withoutThemeBlocks = PANEL_CSS.replace(/\[data-theme="(light|dark)"\] \{[^}]*\}/g, '');
    expect(withoutThemeBlocks.match(/#[0-9a-fA-F]{3,8}\b/g)).toBeNull();
  });

  it('declares each token under its kebab-case name', () => {
    expect(cssVariableName('btnPrimaryHoverBg')).toBe('--lpr-btn-primary-hover-bg');
    expect(PANEL_CSS).toContain(`--lpr-fg-default: ${THEMES.dark.fgDefault};`);
  });

  it('switches animations off for people who ask for reduced motion', () => {
    const block = /@media \(prefers-reduced-motion: reduce\) \{([\s\S]*?)\n\}/.exec(PANEL_CSS)?.[1] ?? '';
    expect(block).toMatch(/animation-duration: 0\.01ms !important/);
    expect(block).toMatch(/transition-duration: 0\.01ms !important/);
  });

  it('has balanced braces (a typo would silently drop the rules after it)', () => {
    let depth = 0;
    for (const c of PANEL_CSS) {
      if (c === '{') depth++;
      if (c === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });
});

describe('detectGithubTheme', () => {
  it('follows an explicit light or dark mode', () => {
    expect(detectGithubTheme(githubDocument('data-color-mode="dark" data-light-theme="light" data-dark-theme="dark"'), prefers(false))).toBe('dark');
    expect(detectGithubTheme(githubDocument('data-color-mode="light" data-light-theme="light" data-dark-theme="dark"'), prefers(true))).toBe('light');
  });

  it('in auto mode, follows the system preference', () => {
    const doc = githubDocument('data-color-mode="auto" data-light-theme="light" data-dark-theme="dark_dimmed"');
    expect(detectGithubTheme(doc, prefers(true))).toBe('dark');
    expect(detectGithubTheme(doc, prefers(false))).toBe('light');
  });

  it('reads which theme each slot holds (a dark theme in the day slot is still dark)', () => {
    expect(detectGithubTheme(githubDocument('data-color-mode="light" data-light-theme="dark_high_contrast"'), prefers(false))).toBe('dark');
    expect(detectGithubTheme(githubDocument('data-color-mode="dark" data-dark-theme="light_colorblind"'), prefers(true))).toBe('light');
  });

  it('falls back to the system preference on a page without GitHub attributes', () => {
    expect(detectGithubTheme(githubDocument(''), prefers(true))).toBe('dark');
    expect(detectGithubTheme(githubDocument(''), prefers(false))).toBe('light');
  });
});

describe('watchGithubTheme', () => {
  it('reports when GitHub switches theme, and stops when asked', async () => {
    const doc = githubDocument('data-color-mode="light" data-light-theme="light" data-dark-theme="dark"');
    const seen: ThemeName[] = [];
    const stop = watchGithubTheme(doc, (t) => seen.push(t));
    doc.documentElement.setAttribute('data-color-mode', 'dark');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['dark']);
    stop();
    doc.documentElement.setAttribute('data-color-mode', 'light');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['dark']);
  });
});
