import { describe, expect, it } from 'vitest';
import { CSS_MARKER, minifyCss, minifyMarkedStylesheets } from './css-strings';

describe('stylesheet minifying build step', () => {
  it('drops comments and layout whitespace but keeps every space that changes a rule', () => {
    const css = `/* why the panel sits here */\n.a :hover {\n  width: calc(100% - 8px);\n  font: 12px/1.5 "SF Mono", monospace;\n}\n\n@media (prefers-reduced-motion: reduce) { .b > .c { animation: none; } }\n`;
    expect(minifyCss(css)).toBe('.a :hover{width: calc(100% - 8px);font: 12px/1.5 "SF Mono", monospace;}@media (prefers-reduced-motion: reduce){.b > .c{animation: none;}}');
  });

  it('rewrites only the template literals marked as stylesheets, interpolations and all', () => {
    const code = [
      `var w = 420, f = "x";`,
      `var sheet = \`${CSS_MARKER}\n/* c */\n.p {\n  width: \${w}px;\n}\n.q { font: \${f}; }\n\`;`,
      `var message = \`Line one\n\n  indented /* not css */ line\`;`,
    ].join('\n');
    const out = minifyMarkedStylesheets(code, 'content.js');
    expect(out).toContain('var sheet = `.p{width: ${w}px;}.q{font: ${f};}`;');
    expect(out).toContain('var message = `Line one\n\n  indented /* not css */ line`;');
    const sheet = new Function(`${out}; return sheet;`)();
    expect(sheet).toBe('.p{width: 420px;}.q{font: x;}');
  });

  it('leaves a bundle without a marked stylesheet alone', () => {
    expect(minifyMarkedStylesheets('var s = `/* a */ .x { }`;', 'a.js')).toBeNull();
  });
});
