/** Options page styles: Primer-like, with the panel's colour tokens, light and dark from the system setting. */
import { themeDeclarations } from '../theme';

export const OPTIONS_CSS = `/*css*/
:root { color-scheme: light; ${themeDeclarations('light')} }
@media (prefers-color-scheme: dark) { :root { color-scheme: dark; ${themeDeclarations('dark')} } }
body { margin: 0; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
  color: var(--lpr-fg-default); background: var(--lpr-canvas-default); }
.opt { max-width: 760px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; font-weight: 600; margin: 0 0 4px; }
.lpr-welcome { margin: 16px 0 0; padding: 4px 16px 8px; border: 1px solid var(--lpr-accent-fg); border-radius: 6px; background: var(--lpr-canvas-subtle); }
.lpr-welcome h2 { margin-top: 12px; border-bottom: 0; }
.lpr-welcome li + li { margin-top: 6px; }
.lpr-welcome kbd { padding: 0 4px; font: 12px ui-monospace, monospace; border: 1px solid var(--lpr-border-default); border-radius: 4px; }
h2 { font-size: 16px; font-weight: 600; margin: 32px 0 8px; padding-bottom: 8px; border-bottom: 1px solid var(--lpr-border-default); }
a { color: var(--lpr-accent-fg); }
label { display: block; margin: 12px 0; font-weight: 600; }
label.inline { display: flex; align-items: center; gap: 8px; font-weight: 400; }
input[type=text], select, textarea { display: block; width: 100%; box-sizing: border-box; margin-top: 4px; padding: 5px 12px;
  font: inherit; font-weight: 400; line-height: 20px; border: 1px solid var(--lpr-border-default); border-radius: 6px;
  background: var(--lpr-canvas-default); color: var(--lpr-fg-default); }
input:focus-visible, select:focus-visible, textarea:focus-visible, button:focus-visible, a:focus-visible {
  outline: 2px solid var(--lpr-accent-emphasis); outline-offset: -1px; }
fieldset { border: 1px solid var(--lpr-border-default); border-radius: 6px; padding: 8px 16px; }
legend { padding: 0 4px; font-weight: 600; }
.subhead { margin: 24px 0 0; font-size: 14px; font-weight: 600; }
.muted { color: var(--lpr-fg-muted); }
.small { font-size: 12px; }
.error { color: var(--lpr-danger-fg); }
.status { min-height: 1.5em; color: var(--lpr-success-fg); }
code, kbd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 85%; }
kbd { padding: 2px 6px; border: 1px solid var(--lpr-border-default); border-bottom-width: 2px; border-radius: 6px; background: var(--lpr-canvas-subtle); }
.row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.btn { height: 32px; padding: 0 12px; font: inherit; font-weight: 500; color: var(--lpr-fg-default); background: var(--lpr-btn-bg);
  border: 1px solid var(--lpr-btn-border); border-radius: 6px; cursor: pointer; }
.btn:hover { background: var(--lpr-btn-hover-bg); }
.btn-danger { color: var(--lpr-danger-fg); }
.history { list-style: none; margin: 12px 0 0; padding: 0; border: 1px solid var(--lpr-border-default); border-radius: 6px; }
.history-item { padding: 12px 16px; border-top: 1px solid var(--lpr-border-default); }
.history-item:first-child { border-top: 0; }
.history-head { display: flex; flex-wrap: wrap; gap: 12px; justify-content: space-between; align-items: flex-start; }
.history-title { min-width: 0; overflow-wrap: anywhere; }
.history-title a { font-weight: 600; }
.history-review { margin-top: 12px; padding: 16px; background: var(--lpr-canvas-default); border: 1px solid var(--lpr-border-default); border-radius: 6px; }
`;
