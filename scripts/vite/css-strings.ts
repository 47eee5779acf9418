/**
 * Build step: our stylesheets ship without their comments and layout whitespace. The panel's
 * sheet travels in the content script, which has a 40 KB gzipped budget; the comments explain the
 * CSS to us, the browser needs none of them.
 *
 * A stylesheet opts in by starting its template literal with the marker comment `/*css*\/`. The
 * step runs on the finished bundles (the content script is bundled by @crxjs in a build of its
 * own that runs no plugin of ours, so a per-module transform would never see it), finds those
 * literals with a real parser, and rewrites only their text. Conservative on purpose: it drops
 * comments, folds runs of whitespace to one space and removes the space around `{`, `}` and `;`,
 * none of which changes what a rule means (a space before `:` or inside `calc()` would, so those
 * stay).
 */
import MagicString from 'magic-string';
import { parseAst } from 'rolldown/parseAst';
import type { Plugin } from 'vite';

export const CSS_MARKER = '/*css*/';

/** One piece of a stylesheet (between interpolations), minified; the sheet's own ends are trimmed by the caller. */
function minifyPiece(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};]) ?/g, '$1');
}

export function minifyCss(css: string): string {
  return minifyPiece(css).trim();
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof Reflect.get(value, 'type') === 'string';

function markedStylesheets(node: Node, code: string, out: Node[][]): Node[][] {
  const quasis = node.type === 'TemplateLiteral' ? node.quasis : null;
  if (Array.isArray(quasis)) {
    const parts = quasis.filter(isNode);
    const first = parts[0];
    if (first && code.slice(first.start, first.end).trimStart().startsWith(CSS_MARKER)) out.push(parts);
  }
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const item of value) if (isNode(item)) markedStylesheets(item, code, out);
    if (isNode(value)) markedStylesheets(value, code, out);
  }
  return out;
}

/** A bundle as a module (chunks), else as a classic script (the IIFE content script may be either). */
function parseBundle(code: string, fileName: string): unknown {
  try {
    return parseAst(code, { lang: 'js', sourceType: 'module' }, fileName);
  } catch {
    return parseAst(code, { lang: 'js', sourceType: 'script' }, fileName);
  }
}

/** The script with every marked stylesheet literal minified, or null when it has none. */
export function minifyMarkedStylesheets(code: string, fileName: string): string | null {
  if (!code.includes(CSS_MARKER)) return null;
  const program = parseBundle(code, fileName);
  if (!isNode(program)) return null;
  const out = new MagicString(code);
  for (const parts of markedStylesheets(program, code, [])) {
    parts.forEach((part, i) => {
      const raw = code.slice(part.start, part.end);
      let small = minifyPiece(raw);
      // Only the sheet's own ends: a space next to an interpolation may separate two selectors.
      if (i === 0) small = small.trimStart();
      if (i === parts.length - 1) small = small.trimEnd();
      if (small === '') out.remove(part.start, part.end);
      else if (small !== raw) out.overwrite(part.start, part.end, small);
    });
  }
  return out.hasChanged() ? out.toString() : null;
}

export function cssStringsPlugin(): Plugin {
  return {
    name: 'local-pr-review:css-strings',
    apply: 'build',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const file of Object.values(bundle)) {
          if (!file.fileName.endsWith('.js')) continue;
          if (file.type === 'chunk') {
            const small = minifyMarkedStylesheets(file.code, file.fileName);
            if (small !== null) file.code = small;
          } else if (typeof file.source === 'string') {
            const small = minifyMarkedStylesheets(file.source, file.fileName);
            if (small !== null) file.source = small;
          }
        }
      },
    },
  };
}
