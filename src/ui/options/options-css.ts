/** Options page styles (Primer-like), light and dark from the system setting. */
export const OPTIONS_CSS = `
:root { color-scheme: light dark; }
body { margin: 0; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
  color: #1f2328; background: #ffffff; }
@media (prefers-color-scheme: dark) { body { color: #e6edf3; background: #0d1117; } }
.opt { max-width: 720px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; }
label { display: block; margin: 8px 0; font-weight: 600; }
label.inline { font-weight: 400; }
input[type=text], select, textarea { display: block; width: 100%; box-sizing: border-box; margin-top: 4px; padding: 5px 12px;
  font: inherit; border: 1px solid #d0d7de; border-radius: 6px; background: transparent; color: inherit; }
fieldset { border: 1px solid #d0d7de; border-radius: 6px; }
.muted { color: #59636e; }
.error { color: #d1242f; }
.status { min-height: 1.5em; color: #1a7f37; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 85%; }
`;
