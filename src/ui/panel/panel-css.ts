/**
 * Styles injected into our shadow roots: the Primer-like panel sheet (src/ui/styles) plus the
 * few pieces only the panel shell and the header button use.
 */
import { BASE_CSS as SHEET } from '../styles/panel.css';
import { themeDeclarations } from '../theme';

const MONO = 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace';

// .lpr-stream-live: newest text at the bottom with no script (a reversed column starts scrolled to its end).
// .lpr-progress-indeterminate (styles/panel.css.ts): stripes across the whole track, never a part-filled bar read as a percentage.
export const PANEL_CSS = `/*css*/${SHEET}
.lpr-stream { margin: 8px 0; padding: 8px 12px; max-height: 240px; overflow: auto; white-space: pre-wrap; word-break: break-word;
  font: 12px/1.5 ${MONO}; color: var(--lpr-fg-default); background: var(--lpr-canvas-subtle); border: 1px solid var(--lpr-border-default); border-radius: 6px; }
.lpr-stream-text { margin: 0; white-space: inherit; font: inherit; }
.lpr-stream-live { display: flex; flex-direction: column-reverse; }
.lpr-live-review { margin-top: 16px; }
.lpr-clamp { margin: 4px 0 0; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; overflow: hidden; }
.lpr-live-files li { overflow-wrap: anywhere; }
.lpr-clamp-inline { overflow-wrap: anywhere; }
.lpr-model-wrote > summary { cursor: pointer; color: var(--lpr-fg-muted); }
.lpr-mono { font-family: ${MONO}; font-size: 12px; }
.lpr-small { font-size: 12px; }
.lpr-error-text { color: var(--lpr-danger-fg); font-weight: 600; }
.lpr-actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.lpr-link { padding: 0; border: 0; background: none; color: var(--lpr-accent-fg); font: inherit; font-family: ${MONO}; font-size: 12px; cursor: pointer; }
.lpr-link:hover { text-decoration: underline; }
.lpr-findings { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.lpr-list { margin: 0; padding-left: 20px; }
.lpr-list li + li { margin-top: 4px; }
.lpr-step { margin: 0 0 4px; }
.lpr-current-file-line { display: flex; align-items: baseline; gap: 4px; margin: 0 0 8px; min-width: 0; }
.lpr-current-file-line .lpr-small { flex: none; }
.lpr-current-file { min-width: 0; color: var(--lpr-fg-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lpr-meta { margin: 8px 0 0; }
.lpr-counts { display: flex; flex-wrap: wrap; gap: 4px; margin: 0 0 12px; }
.lpr-group { margin: 0 0 12px; }
.lpr-group-title { display: flex; align-items: center; gap: 6px; margin: 0 0 8px; font-size: 12px; font-weight: 600; color: var(--lpr-fg-muted); text-transform: uppercase; letter-spacing: 0.02em; }
.lpr-counter { display: inline-block; min-width: 20px; padding: 0 6px; font-size: 12px; line-height: 18px; text-align: center; color: var(--lpr-fg-default); background: var(--lpr-code-bg); border-radius: 2em; }
.lpr-finding-header .lpr-link { margin-left: auto; overflow-wrap: anywhere; text-align: right; }
.lpr-suggestion { margin-top: 8px; }
.lpr-suggestion-head { display: flex; align-items: center; justify-content: space-between; margin-bottom: 4px; }
.lpr-suggestion .lpr-md-code { margin: 0; }
.lpr-dismissed { margin-top: 4px; }
.lpr-label-recommended { color: var(--lpr-accent-fg); border-color: var(--lpr-accent-fg); }
.lpr-choices { margin: 12px 0; padding: 0; border: 0; display: grid; gap: 8px; }
.lpr-choice { display: flex; gap: 8px; align-items: flex-start; padding: 8px 12px; border: 1px solid var(--lpr-border-default); border-radius: 6px; cursor: pointer; }
.lpr-choice-selected { border-color: var(--lpr-accent-emphasis); box-shadow: inset 0 0 0 1px var(--lpr-accent-emphasis); }
.lpr-choice input { margin: 4px 0 0; accent-color: var(--lpr-accent-emphasis); }
.lpr-choice-text { display: grid; gap: 2px; min-width: 0; }
.lpr-choice-label { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; font-weight: 600; }
.lpr-fit-ok { color: var(--lpr-success-fg); }
.lpr-fit-bad { color: var(--lpr-danger-fg); }
.lpr-next-step { margin: 4px 0 0; }
.lpr-flash p { margin: 0; }
.lpr-footer-actions { margin-top: 0; }
.lpr-action-status { margin: 8px 0 0; }
.lpr-action-ok { color: var(--lpr-success-fg); }
.lpr-action-error { color: var(--lpr-danger-fg); }
.lpr-footer .lpr-action-ok, .lpr-footer .lpr-action-error { font-weight: 500; }
.lpr-link-inline { padding: 0; border: 0; background: none; font: inherit; color: var(--lpr-accent-fg); text-decoration: underline; cursor: pointer; }
`;

export const BUTTON_CSS = `/*css*/
:host { all: initial; }
[data-theme="light"] { ${themeDeclarations('light')} }
[data-theme="dark"] { ${themeDeclarations('dark')} }
.lpr-review-button { display: inline-flex; align-items: center; gap: 4px; box-sizing: border-box; height: 28px; padding: 0 8px; margin: 0 8px 0 0;
  font: 500 12px/20px -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; white-space: nowrap;
  color: var(--lpr-fg-default); background: var(--lpr-btn-bg); border: 1px solid var(--lpr-btn-border); border-radius: 6px; cursor: pointer; }
.lpr-review-button svg { color: var(--lpr-fg-muted); }
.lpr-review-button:hover { background: var(--lpr-btn-hover-bg); }
.lpr-review-button:focus-visible { outline: 2px solid var(--lpr-accent-fg); outline-offset: 2px; }
.lpr-review-button[aria-busy="true"] { opacity: 0.85; }
`;
