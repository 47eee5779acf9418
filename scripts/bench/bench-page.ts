/**
 * The one-page sites the browser benchmarks load: an `index.html` that runs a generated `main.ts`,
 * bundled by vite from a temporary folder. Each benchmark writes its own `main.ts` (what it puts on
 * `window` for the harness to call); this module owns the rest.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type PluginOption } from 'vite';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A repository file as an import path the page's `main.ts` can use. */
export function repoImport(file: string): string {
  return pathToFileURL(join(repo, file)).pathname;
}

export async function buildBenchPage(outDir: string, page: { title: string; main: string; plugins?: PluginOption[] }): Promise<void> {
  const src = mkdtempSync(join(tmpdir(), 'bench-page-src-'));
  writeFileSync(join(src, 'index.html'), `<!doctype html><meta charset="utf-8"><title>${page.title}</title><script type="module" src="./main.ts"></script>`);
  writeFileSync(join(src, 'main.ts'), page.main);
  try {
    await build({
      root: src,
      base: './',
      configFile: false,
      logLevel: 'warn',
      ...(page.plugins ? { plugins: page.plugins } : {}),
      build: { outDir, emptyOutDir: true, target: 'es2022' },
    });
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
}
