/**
 * Colours for the panel, following GitHub's Primer tokens so the panel looks at home on the page,
 * and detection of the theme GitHub is showing.
 *
 * All tokens are opaque hex so contrast can be computed; CONTRAST_PAIRS lists every
 * foreground/background pairing the stylesheet uses, and a unit test holds them to WCAG AA.
 */
import type { Severity } from '../model/review';

export type ThemeName = 'light' | 'dark';

export interface ThemeTokens {
  fgDefault: string;
  fgMuted: string;
  /** Text on emphasis (solid) backgrounds. */
  fgOnEmphasis: string;
  canvasDefault: string;
  canvasSubtle: string;
  borderDefault: string;
  accentFg: string;
  /** Focus rings and the progress bar. */
  accentEmphasis: string;
  dangerFg: string;
  dangerEmphasis: string;
  severeFg: string;
  attentionFg: string;
  successFg: string;
  btnBg: string;
  btnHoverBg: string;
  btnBorder: string;
  btnPrimaryBg: string;
  btnPrimaryHoverBg: string;
  /** Inline code background. */
  codeBg: string;
  progressTrack: string;
}

export const THEMES: Readonly<Record<ThemeName, ThemeTokens>> = {
  light: {
    fgDefault: '#1f2328',
    fgMuted: '#59636e',
    fgOnEmphasis: '#ffffff',
    canvasDefault: '#ffffff',
    canvasSubtle: '#f6f8fa',
    borderDefault: '#d0d7de',
    accentFg: '#0969da',
    accentEmphasis: '#0969da',
    dangerFg: '#d1242f',
    dangerEmphasis: '#cf222e',
    severeFg: '#bc4c00',
    attentionFg: '#9a6700',
    successFg: '#1a7f37',
    btnBg: '#f6f8fa',
    btnHoverBg: '#eff2f5',
    btnBorder: '#d0d7de',
    btnPrimaryBg: '#1f883d',
    btnPrimaryHoverBg: '#1c8139',
    codeBg: '#eff1f3',
    progressTrack: '#e6eaef',
  },
  dark: {
    fgDefault: '#e6edf3',
    fgMuted: '#9198a1',
    fgOnEmphasis: '#ffffff',
    canvasDefault: '#0d1117',
    canvasSubtle: '#151b23',
    borderDefault: '#30363d',
    accentFg: '#4493f8',
    accentEmphasis: '#1f6feb',
    dangerFg: '#f85149',
    dangerEmphasis: '#da3633',
    severeFg: '#db6d28',
    attentionFg: '#d29922',
    successFg: '#3fb950',
    btnBg: '#21262d',
    btnHoverBg: '#262c36',
    btnBorder: '#3d444d',
    btnPrimaryBg: '#238636',
    // Primer's lighter hover green is below 4.5:1 with white text; a darker one keeps it legible.
    btnPrimaryHoverBg: '#1a7f37',
    codeBg: '#262c36',
    progressTrack: '#262c36',
  },
};

export type TokenName = keyof ThemeTokens;

export interface ContrastPair {
  fg: TokenName;
  bg: TokenName;
  /** 4.5 for text (WCAG 1.4.3 AA), 3 for focus rings and bars (WCAG 1.4.11). */
  min: number;
  use: string;
}

/** Every pairing panel.css.ts uses. Add a line here when the stylesheet pairs two new tokens. */
export const CONTRAST_PAIRS: readonly ContrastPair[] = [
  { fg: 'fgDefault', bg: 'canvasDefault', min: 4.5, use: 'body text' },
  { fg: 'fgDefault', bg: 'canvasSubtle', min: 4.5, use: 'header, code blocks, coverage' },
  { fg: 'fgMuted', bg: 'canvasDefault', min: 4.5, use: 'secondary text' },
  { fg: 'fgMuted', bg: 'canvasSubtle', min: 4.5, use: 'secondary text in the header' },
  { fg: 'fgDefault', bg: 'codeBg', min: 4.5, use: 'inline code' },
  { fg: 'accentFg', bg: 'canvasDefault', min: 4.5, use: 'links' },
  { fg: 'accentFg', bg: 'canvasSubtle', min: 4.5, use: 'links in table headers' },
  { fg: 'dangerFg', bg: 'canvasDefault', min: 4.5, use: 'critical label, errors' },
  { fg: 'severeFg', bg: 'canvasDefault', min: 4.5, use: 'major label' },
  { fg: 'attentionFg', bg: 'canvasDefault', min: 4.5, use: 'minor label, warnings' },
  { fg: 'successFg', bg: 'canvasDefault', min: 4.5, use: 'fully reviewed' },
  { fg: 'fgDefault', bg: 'btnBg', min: 4.5, use: 'button' },
  { fg: 'fgDefault', bg: 'btnHoverBg', min: 4.5, use: 'button hover' },
  { fg: 'dangerFg', bg: 'btnBg', min: 4.5, use: 'danger button' },
  { fg: 'fgOnEmphasis', bg: 'dangerEmphasis', min: 4.5, use: 'danger button hover' },
  { fg: 'fgOnEmphasis', bg: 'btnPrimaryBg', min: 4.5, use: 'primary button' },
  { fg: 'fgOnEmphasis', bg: 'btnPrimaryHoverBg', min: 4.5, use: 'primary button hover' },
  { fg: 'accentEmphasis', bg: 'canvasDefault', min: 3, use: 'focus ring, progress bar' },
  { fg: 'accentEmphasis', bg: 'canvasSubtle', min: 3, use: 'focus ring in the header' },
  { fg: 'accentEmphasis', bg: 'btnBg', min: 3, use: 'focus ring on a button' },
  { fg: 'successFg', bg: 'canvasSubtle', min: 4.5, use: 'action done, in the panel footer' },
  { fg: 'dangerFg', bg: 'canvasSubtle', min: 4.5, use: 'action failed, in the panel footer' },
];

/** The token each severity label is drawn in (Primer Label colours). */
export const SEVERITY_TOKENS: Readonly<Record<Severity, TokenName>> = {
  critical: 'dangerFg',
  major: 'severeFg',
  minor: 'attentionFg',
  nit: 'fgMuted',
};

function channel(hex: string, offset: number): number {
  const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) throw new Error(`Not a #rrggbb colour: ${hex}`);
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** WCAG contrast ratio between two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const light = Math.max(relativeLuminance(a), relativeLuminance(b));
  const dark = Math.min(relativeLuminance(a), relativeLuminance(b));
  return (light + 0.05) / (dark + 0.05);
}

/** `fgDefault` → `--lpr-fg-default`. */
export function cssVariableName(token: TokenName): string {
  return variableName(token);
}

function variableName(token: string): string {
  return `--lpr-${token.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The custom-property declarations of a theme, for the stylesheet. */
export function themeDeclarations(theme: ThemeName): string {
  return Object.entries(THEMES[theme])
    .map(([token, value]) => `${variableName(token)}: ${value};`)
    .join(' ');
}

type MatchMedia = (query: string) => { matches: boolean };

const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * The theme GitHub is showing: `html[data-color-mode]` is light, dark or auto; the theme names
 * (`data-light-theme`, `data-dark-theme`, e.g. `dark_dimmed`, `light_high_contrast`) say which
 * theme each slot uses, and auto follows the system setting.
 */
export function detectGithubTheme(doc: Document, matchMedia?: MatchMedia): ThemeName {
  const html = doc.documentElement;
  const mode = html?.getAttribute('data-color-mode');
  const lightSlot = html?.getAttribute('data-light-theme') || 'light';
  const darkSlot = html?.getAttribute('data-dark-theme') || 'dark';
  let name: string;
  if (mode === 'light') name = lightSlot;
  else if (mode === 'dark') name = darkSlot;
  else {
    const query = matchMedia ?? doc.defaultView?.matchMedia?.bind(doc.defaultView);
    let prefersDark = false;
    try {
      prefersDark = query ? query(DARK_QUERY).matches : false;
    } catch {
      prefersDark = false;
    }
    name = prefersDark ? darkSlot : lightSlot;
  }
  return name.toLowerCase().startsWith('dark') ? 'dark' : 'light';
}

/**
 * Calls back when GitHub's theme changes (the user switches it, or the system does in auto mode).
 * Returns the function that stops watching.
 */
export function watchGithubTheme(doc: Document, callback: (theme: ThemeName) => void): () => void {
  let current = detectGithubTheme(doc);
  const check = () => {
    const next = detectGithubTheme(doc);
    if (next !== current) {
      current = next;
      callback(next);
    }
  };
  const view = doc.defaultView;
  const observer = view?.MutationObserver ? new view.MutationObserver(check) : null;
  observer?.observe(doc.documentElement, { attributes: true, attributeFilter: ['data-color-mode', 'data-light-theme', 'data-dark-theme'] });
  const media = view?.matchMedia?.(DARK_QUERY);
  media?.addEventListener?.('change', check);
  return () => {
    observer?.disconnect();
    media?.removeEventListener?.('change', check);
  };
}
