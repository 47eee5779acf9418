/**
 * The layering rules of issue 11, checked on the real import graph (parsed with the bundler's
 * parser, re-exports and dynamic imports followed), plus the code-size goals as a ratchet.
 * Each rule is also run on a small made-up graph that breaks it, so a rule that can no longer
 * fail is caught.
 */
import { describe, expect, it } from 'vitest';
import { castsIn, globalsUsedIn, importGraph, isTestFile, longFunctionsIn, measure, reachable, type Graph } from '../scripts/code-metrics';

const REVIEW_MAY_NOT_IMPORT = ['src/github/', 'src/ui/', 'src/content/', 'src/background/', 'src/host/'];
const BROWSER_GLOBALS = ['chrome', 'browser', 'document', 'window'];
const INFERENCE_LIBRARIES = ['@mlc-ai/web-llm', '@wllama/wllama', 'node-llama-cpp'];
/** The model files' storage: only the engine host writes it (the UI asks the host). */
const MODEL_STORAGE = 'src/engine/model-cache.ts';
/** Engine adapters: the modules that drive a runtime (each the only importer of its library). */
const isEngineAdapter = (path: string): boolean => /^src\/(engine|eval)\/[^/]+-engine\.ts$/.test(path) && path !== 'src/engine/scripted-engine.ts';

/** Every broken rule, one readable line each (an import chain where the break is indirect). */
export function violations(
  graph: Graph,
  runtimeGraph: Graph,
  globalsIn: (path: string) => Array<{ line: number; text: string }>,
  contentEntry = 'extension/content.tsx',
): string[] {
  const found: string[] = [];
  for (const [path, imports] of graph) {
    if (!path.startsWith('src/review/') || isTestFile(path)) continue;
    for (const target of imports) {
      if (REVIEW_MAY_NOT_IMPORT.some((layer) => target.startsWith(layer))) found.push(`${path} imports ${target} (src/review imports no github, ui, content, background or host code)`);
    }
    for (const use of globalsIn(path)) found.push(`${path}:${use.line} uses the browser API "${use.text}" (src/review is pure)`);
  }
  for (const [path, imports] of graph) {
    const isBackground = path.startsWith('src/background/') || /^extension\/background[^/]*\.ts$/.test(path);
    if (!isBackground || isTestFile(path)) continue;
    for (const target of imports) if (target.startsWith('src/ui/')) found.push(`${path} imports ${target} (the background imports no UI code)`);
  }
  for (const [target, chain] of reachable(runtimeGraph, contentEntry)) {
    if (isEngineAdapter(target) || INFERENCE_LIBRARIES.includes(target)) found.push(`the content script reaches ${target}: ${chain.join(' → ')}`);
  }
  for (const path of runtimeGraph.keys()) {
    if (!path.startsWith('src/ui/') || isTestFile(path)) continue;
    for (const [target, chain] of reachable(runtimeGraph, path)) {
      if (INFERENCE_LIBRARIES.includes(target)) found.push(`the UI module ${path} reaches ${target}: ${chain.join(' → ')}`);
      if (target === MODEL_STORAGE) found.push(`the UI module ${path} reaches ${target} (model files go through the engine host): ${chain.join(' → ')}`);
    }
  }
  return found;
}

const DIRS = ['src', 'extension'];

describe('layering rules', () => {
  it('hold for the project', () => {
    const graph = importGraph(DIRS, false);
    const runtime = importGraph(DIRS, true);
    expect(violations(graph, runtime, (p) => globalsUsedIn(p, BROWSER_GLOBALS))).toEqual([]);
  });

  it('fail on a graph that breaks each of them', () => {
    const graph: Graph = new Map([
      ['src/review/pipeline.ts', ['src/github/diff-model.ts', 'src/review/plan.ts']],
      ['src/review/plan.ts', []],
      ['extension/content.tsx', ['src/content/page-controller.ts']],
      ['src/content/page-controller.ts', ['src/shared/helper.ts']],
      ['src/shared/helper.ts', ['src/engine/wllama-engine.ts']],
      ['src/engine/wllama-engine.ts', ['@wllama/wllama']],
      ['src/ui/options/options-page.tsx', ['@mlc-ai/web-llm']],
      ['extension/background.ts', ['src/ui/options/welcome.tsx']],
      ['src/ui/model-manager/model-manager.tsx', ['src/engine/model-cache.ts']],
    ]);
    const globals = (path: string) => (path === 'src/review/plan.ts' ? [{ line: 3, text: 'document' }] : []);
    const found = violations(graph, graph, globals);
    expect(found).toContain('src/review/pipeline.ts imports src/github/diff-model.ts (src/review imports no github, ui, content, background or host code)');
    expect(found).toContain('src/review/plan.ts:3 uses the browser API "document" (src/review is pure)');
    expect(found).toContain(
      'the content script reaches src/engine/wllama-engine.ts: extension/content.tsx → src/content/page-controller.ts → src/shared/helper.ts → src/engine/wllama-engine.ts',
    );
    expect(found.some((v) => v.startsWith('the content script reaches @wllama/wllama'))).toBe(true);
    expect(found).toContain('extension/background.ts imports src/ui/options/welcome.tsx (the background imports no UI code)');
    expect(found).toContain('the UI module src/ui/options/options-page.tsx reaches @mlc-ai/web-llm: src/ui/options/options-page.tsx → @mlc-ai/web-llm');
    expect(found).toContain(
      'the UI module src/ui/model-manager/model-manager.tsx reaches src/engine/model-cache.ts (model files go through the engine host): src/ui/model-manager/model-manager.tsx → src/engine/model-cache.ts',
    );
  });

  it('sees a browser global only where it is read as a value', () => {
    const text = [
      '// document.title in a comment',
      "const s = 'window.location';",
      'type T = { window: number };',
      'const o = { document: 1 };',
      'o.chrome = 2;',
      'export const t = document.title;',
      'if (typeof browser !== "undefined") {}',
    ].join('\n');
    expect(globalsUsedIn('src/review/x.ts', BROWSER_GLOBALS, text).map((u) => `${u.line}:${u.text}`)).toEqual(['6:document', '7:browser']);
  });
});

/**
 * Issue 11's size goals as a ratchet: the counts may fall, never rise. Lower a limit when you
 * remove casts; shorten a file or function on the list instead of adding one to it.
 */
const MAX_CASTS = 1;
const FILES_OVER_400: string[] = [];
const FUNCTIONS_OVER_120: string[] = [];

describe('code size goals (npx tsx scripts/code-metrics.ts lists the offenders)', () => {
  const metrics = measure();

  it(`has at most ${MAX_CASTS} "as" casts in non-test source (not counting "as const")`, () => {
    expect(metrics.casts.length, metrics.casts.map((c) => `${c.path}:${c.line} ${c.text}`).join('\n')).toBeLessThanOrEqual(MAX_CASTS);
  });

  it('adds no file over 400 lines and no function over 120 lines', () => {
    for (const file of metrics.longFiles) expect(FILES_OVER_400, `${file.path} has ${file.lines} lines`).toContain(file.path);
    for (const fn of metrics.longFunctions) expect(FUNCTIONS_OVER_120, `${fn.path} ${fn.name} has ${fn.lines} lines`).toContain(`${fn.path} ${fn.name}`);
  });

  it('counts casts and long functions as written, not as text', () => {
    const text = [
      "const a = b as string; // x as y in a comment",
      "const c = 'd as e';",
      "const f = [1] as const;",
      "import * as g from 'h';",
      "const i = <number>j;",
      "const k = l satisfies object;",
    ].join('\n');
    expect(castsIn('src/x.ts', text).map((c) => `${c.line}:${c.text}`)).toEqual(['1:b as string', '5:<number>j']);
    const long = `function big() {\n${'  x();\n'.repeat(121)}}\nconst small = () => 1;`;
    expect(longFunctionsIn('src/x.ts', 120, long)).toEqual([{ path: 'src/x.ts', name: 'big', lines: 123 }]);
  });
});
