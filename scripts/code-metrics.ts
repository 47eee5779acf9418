/**
 * Measures the code the way issue 11 states its goals: `as` casts (not `as const`) in non-test
 * source, files over 400 lines, functions over 120 lines, and the import graph the layering rules
 * are checked on (src/architecture.test.ts). Parsed with the bundler's own parser (rolldown, oxc)
 * rather than regexes, so a cast in a comment or a string and `import * as` are not counted.
 *
 *   npx tsx scripts/code-metrics.ts      prints the counts and the offenders
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAst } from 'rolldown/parseAst';

export const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Every .ts/.tsx file under `dir`, tests included (callers filter). Paths relative to ROOT. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs)) {
      const path = join(abs, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, dir));
  return out.sort();
}

export const isTestFile = (path: string): boolean => /\.test\.tsx?$/.test(path) || /(^|\/)testing\//.test(path);

/** An ESTree node as the parser returns it (TypeScript nodes included); read loosely on purpose. */
interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const isNode = (value: unknown): value is AstNode => typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

interface Parsed {
  text: string;
  program: AstNode;
  lineAt: (offset: number) => number;
}

/** Files read from disk, parsed once per run (the layering rules and the size goals all walk every file). */
const parsedFiles = new Map<string, Parsed>();

function parse(path: string, given?: string): Parsed {
  if (given !== undefined) return parseText(path, given);
  let parsed = parsedFiles.get(path);
  if (!parsed) parsedFiles.set(path, (parsed = parseText(path, readFileSync(join(ROOT, path), 'utf8'))));
  return parsed;
}

function parseText(path: string, text: string): Parsed {
  const program = parseAst(text, { lang: path.endsWith('.tsx') ? 'tsx' : 'ts', sourceType: 'module' }, path) as unknown as AstNode;
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return { text, program, lineAt };
}

/** Visits every node depth-first with its parent. */
function walk(node: AstNode, visit: (node: AstNode, parent: AstNode | null) => void, parent: AstNode | null = null): void {
  visit(node, parent);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) walk(item, visit, node);
    } else if (isNode(value)) walk(value, visit, node);
  }
}

export interface Located {
  path: string;
  line: number;
  text: string;
}

const isConstType = (type: unknown): boolean =>
  isNode(type) && type.type === 'TSTypeReference' && isNode(type.typeName) && type.typeName.type === 'Identifier' && type.typeName.name === 'const';

/** `x as T` and `<T>x` casts, leaving out `as const` (which narrows a literal, it asserts nothing). */
export function castsIn(path: string, text?: string): Located[] {
  const parsed = parse(path, text);
  const found: Located[] = [];
  walk(parsed.program, (node) => {
    if ((node.type === 'TSAsExpression' || node.type === 'TSTypeAssertion') && !isConstType(node.typeAnnotation)) {
      found.push({ path, line: parsed.lineAt(node.start), text: parsed.text.slice(node.start, node.end).replace(/\s+/g, ' ').slice(0, 120) });
    }
  });
  return found;
}

export interface Sized {
  path: string;
  name: string;
  lines: number;
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Functions (declarations, methods, arrows, function expressions) longer than `limit` lines. */
export function longFunctionsIn(path: string, limit: number, text?: string): Sized[] {
  const parsed = parse(path, text);
  const found: Sized[] = [];
  const keyName = (key: unknown): string => (isNode(key) && typeof key.name === 'string' ? key.name : '(computed)');
  walk(parsed.program, (node, parent) => {
    if (!FUNCTION_TYPES.has(node.type)) return;
    const lines = parsed.lineAt(node.end) - parsed.lineAt(node.start) + 1;
    if (lines <= limit) return;
    let name = '(anonymous)';
    if (isNode(node.id)) name = keyName(node.id);
    else if (parent && (parent.type === 'MethodDefinition' || parent.type === 'Property' || parent.type === 'PropertyDefinition')) name = keyName(parent.key);
    else if (parent && parent.type === 'VariableDeclarator') name = keyName(parent.id);
    found.push({ path, name, lines });
  });
  return found;
}

export function lineCount(path: string): number {
  return parse(path).text.split('\n').length - 1;
}

const sourceOf = (node: AstNode): string | null => (isNode(node.source) && typeof node.source.value === 'string' ? node.source.value : null);

/**
 * Module specifiers a file imports or re-exports, and dynamic `import()`s. With `runtimeOnly`,
 * imports of types alone are left out: they are erased at build and pull no code into a bundle.
 */
export function importsOf(path: string, text?: string, runtimeOnly = false): string[] {
  const parsed = parse(path, text);
  const specs: string[] = [];
  walk(parsed.program, (node) => {
    const source = sourceOf(node);
    if (node.type === 'ImportDeclaration' && source !== null) {
      const specifiers = Array.isArray(node.specifiers) ? node.specifiers.filter(isNode) : [];
      const typeOnly = node.importKind === 'type' || (specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type'));
      if (!runtimeOnly || !typeOnly) specs.push(source);
    } else if ((node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') && source !== null) {
      if (!runtimeOnly || node.exportKind !== 'type') specs.push(source);
    } else if (node.type === 'ImportExpression' && source !== null) {
      specs.push(source);
    }
  });
  return specs;
}

/**
 * Where a file reads one of these globals (`chrome`, `document`…) as a value: identifiers that are
 * not a property name (`x.window`), an object key or a type. Comments and strings do not count.
 */
export function globalsUsedIn(path: string, names: readonly string[], text?: string): Located[] {
  const parsed = parse(path, text);
  const wanted = new Set(names);
  const found: Located[] = [];
  walk(parsed.program, (node, parent) => {
    if (node.type !== 'Identifier' || typeof node.name !== 'string' || !wanted.has(node.name)) return;
    if (parent?.type === 'MemberExpression' && parent.property === node && parent.computed !== true) return;
    if ((parent?.type === 'Property' || parent?.type === 'PropertyDefinition' || parent?.type === 'MethodDefinition') && parent.key === node) return;
    if (parent?.type.startsWith('TS') && parent.type !== 'TSAsExpression' && parent.type !== 'TSSatisfiesExpression' && parent.type !== 'TSNonNullExpression') return;
    found.push({ path, line: parsed.lineAt(node.start), text: String(node.name) });
  });
  return found;
}

/** Resolves a relative specifier to a source file (ROOT-relative), or returns the bare package name. */
export function resolveImport(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  const base = join(dirname(from), spec.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (/\.tsx?$/.test(candidate) && existsSync(join(ROOT, candidate))) return candidate;
  }
  return base;
}

export type Graph = Map<string, string[]>;

/** The import graph of the project's source (runtime imports only when `runtimeOnly`). */
export function importGraph(dirs: string[], runtimeOnly: boolean): Graph {
  const graph: Graph = new Map();
  for (const dir of dirs) {
    for (const path of sourceFiles(dir)) {
      const specs = importsOf(path, undefined, runtimeOnly);
      graph.set(path, specs.map((s) => resolveImport(path, s)));
    }
  }
  return graph;
}

/** Every module reachable from `entry`, with one import chain per module (for readable failures). */
export function reachable(graph: Graph, entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const at = queue.shift()!;
    for (const next of graph.get(at) ?? []) {
      if (chains.has(next)) continue;
      chains.set(next, [...chains.get(at)!, next]);
      queue.push(next);
    }
  }
  return chains;
}

export interface Metrics {
  casts: Located[];
  longFiles: Array<{ path: string; lines: number }>;
  longFunctions: Sized[];
}

export function measure(dirs = ['src'], fileLimit = 400, functionLimit = 120): Metrics {
  const files = dirs.flatMap(sourceFiles).filter((p) => !isTestFile(p));
  return {
    casts: files.flatMap((p) => castsIn(p)),
    longFiles: files.map((path) => ({ path, lines: lineCount(path) })).filter((f) => f.lines > fileLimit),
    longFunctions: files.flatMap((p) => longFunctionsIn(p, functionLimit)),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(ROOT, 'scripts/code-metrics.ts')) {
  const m = measure();
  const byFile = new Map<string, number>();
  for (const c of m.casts) byFile.set(c.path, (byFile.get(c.path) ?? 0) + 1);
  console.log(`casts (non-test src, not "as const"): ${m.casts.length}`);
  for (const [path, n] of [...byFile].sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${path}`);
  console.log(`files over 400 lines: ${m.longFiles.length}`);
  for (const f of m.longFiles) console.log(`  ${f.lines}\t${f.path}`);
  console.log(`functions over 120 lines: ${m.longFunctions.length}`);
  for (const f of m.longFunctions) console.log(`  ${f.lines}\t${f.path} ${f.name}`);
}
