/**
 * The panel's stylesheet, as a string to put in a <style> inside the panel's shadow root (the
 * shadow root keeps GitHub's CSS out and ours in). Primer-like: system fonts, 14px, 6px radius,
 * Primer colour tokens switched by `data-theme="light|dark"` on the panel root.
 *
 * Colours come only from the custom properties generated from theme.ts, and every text/background
 * pairing used here is listed in CONTRAST_PAIRS there (checked by a unit test).
 */
import { themeDeclarations } from '../theme';

const FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif';
const MONO = 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace';

export const PANEL_WIDTH_PX = 420;

/** The base sheet; the panel's one PANEL_CSS (src/ui/panel/panel-css.ts) adds the shell's few rules to it. */
export const BASE_CSS = `/*css*/
:host { all: initial; }

:host, [data-theme="light"] { ${themeDeclarations('light')} color-scheme: light; }
[data-theme="dark"] { ${themeDeclarations('dark')} color-scheme: dark; }

.lpr-panel, .lpr-panel *, .lpr-panel *::before, .lpr-panel *::after { box-sizing: border-box; }

/* A sheet on the right, below GitHub's header: above sticky diff headers (z-index in the 30s),
   below GitHub's menus and dialogs (100 and up), so neither hides the other's controls. */
.lpr-panel {
  position: fixed;
  top: var(--lpr-top, 64px);
  right: 0;
  bottom: 0;
  width: min(${PANEL_WIDTH_PX}px, 100vw);
  z-index: 95;
  display: flex;
  flex-direction: column;
  font-family: ${FONT};
  font-size: 14px;
  line-height: 1.5;
  color: var(--lpr-fg-default);
  background: var(--lpr-canvas-default);
  border-left: 1px solid var(--lpr-border-default);
  border-top: 1px solid var(--lpr-border-default);
  border-top-left-radius: 6px;
  box-shadow: -8px 0 24px rgba(1, 4, 9, 0.12);
  text-align: left;
  animation: lpr-slide-in 160ms ease-out;
}
@keyframes lpr-slide-in { from { transform: translateX(24px); opacity: 0; } to { transform: none; opacity: 1; } }

.lpr-header {
  display: flex;
  align-items: center;
  gap: 8px;
  padding: 8px 12px;
  background: var(--lpr-canvas-subtle);
  color: var(--lpr-fg-default);
  border-bottom: 1px solid var(--lpr-border-default);
  border-top-left-radius: 6px;
  flex: none;
}
.lpr-header-title { flex: 1; min-width: 0; margin: 0; font-size: 14px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lpr-header-actions { display: flex; gap: 4px; flex: none; }

.lpr-body { flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain; padding: 12px 16px; }
.lpr-footer {
  flex: none;
  padding: 8px 12px;
  border-top: 1px solid var(--lpr-border-default);
  background: var(--lpr-canvas-subtle);
  color: var(--lpr-fg-muted);
  font-size: 12px;
}

.lpr-section { margin: 0 0 16px; }
.lpr-section-title { margin: 0 0 8px; font-size: 14px; font-weight: 600; }
.lpr-muted { color: var(--lpr-fg-muted); }
.lpr-runs-on { margin: 0; padding: 2px 12px; font-size: 12px; }

/* Buttons (Primer btn) */
.lpr-btn {
  display: inline-flex;
  align-items: center;
  justify-content: center;
  gap: 4px;
  height: 32px;
  padding: 0 12px;
  font: inherit;
  font-size: 14px;
  font-weight: 500;
  line-height: 20px;
  white-space: nowrap;
  color: var(--lpr-fg-default);
  background: var(--lpr-btn-bg);
  border: 1px solid var(--lpr-btn-border);
  border-radius: 6px;
  cursor: pointer;
  user-select: none;
  transition: background-color 80ms ease-in-out;
}
.lpr-btn:hover:not(:disabled) { background: var(--lpr-btn-hover-bg); }
.lpr-btn:disabled, .lpr-btn[aria-disabled="true"] { cursor: not-allowed; opacity: 0.6; }
.lpr-btn-primary { color: var(--lpr-fg-on-emphasis); background: var(--lpr-btn-primary-bg); border-color: rgba(31, 35, 40, 0.15); }
.lpr-btn-primary:hover:not(:disabled) { background: var(--lpr-btn-primary-hover-bg); }
.lpr-btn-danger { color: var(--lpr-danger-fg); }
.lpr-btn-danger:hover:not(:disabled) { color: var(--lpr-fg-on-emphasis); background: var(--lpr-danger-emphasis); border-color: var(--lpr-danger-emphasis); }
.lpr-btn-sm { height: 28px; padding: 0 8px; font-size: 12px; }
.lpr-btn-invisible { background: transparent; border-color: transparent; color: var(--lpr-fg-muted); }
.lpr-btn-invisible:hover:not(:disabled) { background: var(--lpr-btn-hover-bg); color: var(--lpr-fg-default); }

/* Focus: a visible ring for keyboard users only */
.lpr-panel :focus { outline: none; }
.lpr-panel :focus-visible { outline: 2px solid var(--lpr-accent-emphasis); outline-offset: 2px; border-radius: 6px; }

/* Progress bar: set the fill with style="width: 40%" or the --lpr-progress custom property */
.lpr-progress { position: relative; height: 8px; overflow: hidden; background: var(--lpr-progress-track); border-radius: 6px; }
.lpr-progress-bar { height: 100%; width: var(--lpr-progress, 0%); background: var(--lpr-accent-emphasis); border-radius: 6px; transition: width 200ms ease-out; }
.lpr-progress-indeterminate .lpr-progress-bar { width: 100%; opacity: 0.55; background-image: repeating-linear-gradient(-45deg, transparent 0 6px, rgba(255, 255, 255, 0.45) 6px 12px); background-size: 34px 100%; animation: lpr-indeterminate 0.9s linear infinite; }
@keyframes lpr-indeterminate { from { background-position: 0 0; } to { background-position: 34px 0; } }

/* Severity labels (Primer Label: coloured text and border on the canvas) */
.lpr-label {
  display: inline-flex;
  align-items: center;
  height: 20px;
  padding: 0 7px;
  font-size: 12px;
  font-weight: 500;
  line-height: 18px;
  white-space: nowrap;
  background: var(--lpr-canvas-default);
  border: 1px solid var(--lpr-border-default);
  border-radius: 2em;
}
.lpr-label-critical { color: var(--lpr-danger-fg); border-color: var(--lpr-danger-fg); }
.lpr-label-major { color: var(--lpr-severe-fg); border-color: var(--lpr-severe-fg); }
.lpr-label-minor { color: var(--lpr-attention-fg); border-color: var(--lpr-attention-fg); }
.lpr-label-nit { color: var(--lpr-fg-muted); border-color: var(--lpr-border-default); }

/* Notices */
.lpr-flash { margin: 0 0 12px; padding: 8px 12px; background: var(--lpr-canvas-default); border: 1px solid var(--lpr-border-default); border-left-width: 4px; border-radius: 6px; }
.lpr-flash-warning { border-left-color: var(--lpr-attention-fg); }
.lpr-flash-danger { border-left-color: var(--lpr-danger-fg); }
.lpr-flash-danger strong { color: var(--lpr-danger-fg); }

/* Finding cards */
.lpr-finding { margin: 0 0 8px; background: var(--lpr-canvas-default); border: 1px solid var(--lpr-border-default); border-radius: 6px; }
.lpr-finding-header { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 8px 12px 0; }
.lpr-finding-title { flex: 1 1 100%; margin: 0; font-size: 14px; font-weight: 600; overflow-wrap: anywhere; }
.lpr-finding-location { font-family: ${MONO}; font-size: 12px; color: var(--lpr-fg-muted); overflow-wrap: anywhere; }
a.lpr-finding-location { color: var(--lpr-accent-fg); text-decoration: none; }
a.lpr-finding-location:hover { text-decoration: underline; }
.lpr-finding-body { padding: 4px 12px 8px; }
.lpr-finding-actions { display: flex; flex-wrap: wrap; gap: 4px; padding: 0 12px 8px; }
.lpr-finding-dismissed { opacity: 0.6; }
.lpr-finding-dismissed .lpr-finding-title { text-decoration: line-through; }

/* Coverage */
.lpr-coverage { margin: 0; padding: 0; list-style: none; background: var(--lpr-canvas-subtle); border: 1px solid var(--lpr-border-default); border-radius: 6px; }
.lpr-coverage-item { display: flex; gap: 8px; align-items: baseline; padding: 4px 12px; font-size: 12px; border-top: 1px solid var(--lpr-border-default); }
.lpr-coverage-item:first-child { border-top: 0; }
.lpr-coverage-item code { font-family: ${MONO}; overflow-wrap: anywhere; }
.lpr-coverage-full::before, .lpr-coverage-partial::before, .lpr-coverage-skipped::before, .lpr-coverage-not-loaded::before {
  flex: none; width: 8px; height: 8px; border-radius: 50%; content: ""; transform: translateY(-1px);
}
.lpr-coverage-full::before { background: var(--lpr-success-fg); }
.lpr-coverage-partial::before { background: var(--lpr-attention-fg); }
.lpr-coverage-skipped::before { background: var(--lpr-fg-muted); }
.lpr-coverage-not-loaded::before { background: transparent; border: 1px solid var(--lpr-fg-muted); }

/* Model Markdown */
.lpr-md { overflow-wrap: anywhere; }
.lpr-md > :first-child { margin-top: 0; }
.lpr-md > :last-child { margin-bottom: 0; }
.lpr-md p, .lpr-md ul, .lpr-md ol, .lpr-md blockquote, .lpr-md pre, .lpr-md .lpr-md-table-wrap { margin: 0 0 8px; }
.lpr-md ul, .lpr-md ol { padding-left: 2em; }
.lpr-md li + li { margin-top: 2px; }
.lpr-md h1, .lpr-md h2, .lpr-md h3, .lpr-md h4, .lpr-md h5, .lpr-md h6 { margin: 12px 0 8px; font-weight: 600; line-height: 1.25; }
.lpr-md h1, .lpr-md h2 { font-size: 16px; }
.lpr-md h3, .lpr-md h4, .lpr-md h5, .lpr-md h6 { font-size: 14px; }
.lpr-md a { color: var(--lpr-accent-fg); text-decoration: underline; text-underline-offset: 2px; }
.lpr-md blockquote { padding: 0 12px; color: var(--lpr-fg-muted); border-left: 4px solid var(--lpr-border-default); }
.lpr-md hr { height: 1px; margin: 12px 0; background: var(--lpr-border-default); border: 0; }
.lpr-md code { padding: 0.2em 0.4em; font-family: ${MONO}; font-size: 85%; color: var(--lpr-fg-default); background: var(--lpr-code-bg); border-radius: 6px; }
.lpr-md-code {
  padding: 12px;
  overflow: auto;
  font-family: ${MONO};
  font-size: 12px;
  line-height: 1.45;
  color: var(--lpr-fg-default);
  background: var(--lpr-canvas-subtle);
  border: 1px solid var(--lpr-border-default);
  border-radius: 6px;
  white-space: pre;
  overflow-wrap: normal;
}
.lpr-md-code code { padding: 0; font-size: inherit; background: transparent; border-radius: 0; }
.lpr-md-table-wrap { overflow-x: auto; }
.lpr-md table { border-collapse: collapse; font-size: 12px; }
.lpr-md th, .lpr-md td { padding: 4px 8px; border: 1px solid var(--lpr-border-default); vertical-align: top; }
.lpr-md th { font-weight: 600; background: var(--lpr-canvas-subtle); }
.lpr-md input[type="checkbox"] { margin: 0 4px 0 0; vertical-align: middle; }
.lpr-md-streaming > :last-child::after { content: "\\258D"; margin-left: 1px; color: var(--lpr-fg-muted); animation: lpr-blink 1s steps(2, start) infinite; }
@keyframes lpr-blink { to { visibility: hidden; } }

/* For ARIA live regions and labels: read by screen readers, not shown */
.lpr-sr-only {
  position: absolute !important;
  width: 1px !important;
  height: 1px !important;
  padding: 0 !important;
  margin: -1px !important;
  overflow: hidden !important;
  clip: rect(0, 0, 0, 0) !important;
  white-space: nowrap !important;
  border: 0 !important;
}

/* Model text is untrusted: each block takes its direction from its own text and is isolated, so
   a bidi control inside cannot reorder what sits around it (src/ui/invisible-chars.ts). */
.lpr-md p, .lpr-md li, .lpr-md h1, .lpr-md h2, .lpr-md h3, .lpr-md h4, .lpr-md h5, .lpr-md h6, .lpr-md td, .lpr-md th,
.lpr-md blockquote, .lpr-md pre, .lpr-finding-title, .lpr-stream { unicode-bidi: plaintext; }
.lpr-md code, .lpr-md a, .lpr-md strong, .lpr-md em, .lpr-md del, .lpr-finding-location, .lpr-link, .lpr-label { unicode-bidi: isolate; }

@media (max-width: 544px) {
  .lpr-panel { top: 0; border-radius: 0; }
}

@media (prefers-reduced-motion: reduce) {
  .lpr-panel, .lpr-panel *, .lpr-panel *::before, .lpr-panel *::after {
    animation-duration: 0.01ms !important;
    animation-iteration-count: 1 !important;
    transition-duration: 0.01ms !important;
    scroll-behavior: auto !important;
  }
  .lpr-progress-indeterminate .lpr-progress-bar { width: 100%; opacity: 0.5; animation: none !important; }
}
`;
