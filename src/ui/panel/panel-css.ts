/**
 * Styles injected into our shadow roots: the Primer-like panel sheet (src/ui/styles) plus the
 * few pieces only the panel shell and the header button use.
 */
import { PANEL_CSS as SHEET } from '../styles/panel.css';
import { themeDeclarations } from '../theme';

const MONO = 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace';

export const PANEL_CSS = `${SHEET}
.lpr-stream { margin: 8px 0; padding: 8px 12px; max-height: 240px; overflow: auto; white-space: pre-wrap; word-break: break-word;
  font: 12px/1.5 ${MONO}; color: var(--lpr-fg-default); background: var(--lpr-canvas-subtle); border: 1px solid var(--lpr-border-default); border-radius: 6px; }
.lpr-stream:empty { display: none; }
.lpr-mono { font-family: ${MONO}; font-size: 12px; }
.lpr-small { font-size: 12px; }
.lpr-error-text { color: var(--lpr-danger-fg); font-weight: 600; }
.lpr-actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.lpr-link { padding: 0; border: 0; background: none; color: var(--lpr-accent-fg); font: inherit; font-family: ${MONO}; font-size: 12px; cursor: pointer; }
.lpr-link:hover { text-decoration: underline; }
.lpr-findings { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
`;

export const BUTTON_CSS = `
:host { all: initial; }
[data-theme="light"] { ${themeDeclarations('light')} }
[data-theme="dark"] { ${themeDeclarations('dark')} }
.lpr-review-button { display: inline-flex; align-items: center; gap: 6px; height: 32px; padding: 0 12px; margin: 0 8px 0 0;
  font: 500 14px/20px -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
  color: var(--lpr-fg-on-emphasis); background: var(--lpr-btn-primary-bg); border: 1px solid var(--lpr-border-default); border-radius: 6px; cursor: pointer; }
.lpr-review-button:hover { background: var(--lpr-btn-primary-hover-bg); }
.lpr-review-button:focus-visible { outline: 2px solid var(--lpr-accent-fg); outline-offset: 2px; }
.lpr-review-button[aria-busy="true"] { opacity: 0.85; }
`;
