/**
 * Build-time warning: a Chrome build without bundled web-llm model libraries cannot run any
 * web-llm model (the store forbids fetching them at run time, see docs/engines-webgpu.md), so the
 * build says so plainly and names the command that bundles them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { parseBundledIndex } from '../../src/engine/webllm-catalog';

/** The warning for this public/model-libs/index.json text (null: no file); null when libraries are bundled. */
export function modelLibsWarning(indexJson: string | null): string | null {
  let files = new Set<string>();
  if (indexJson !== null) {
    try {
      files = parseBundledIndex(JSON.parse(indexJson));
    } catch {
      // An unreadable index bundles nothing.
    }
  }
  if (files.size > 0) return null;
  return (
    'WARNING: this build has no web-llm model libraries (public/model-libs/ is empty), so no web-llm GPU model can run in it. ' +
    'Run `npm run fetch-model-libs` where GitHub is reachable, then build again. ' +
    'The llama.cpp engine (GPU through WebGPU, or CPU) is not affected.'
  );
}

export function modelLibsWarningPlugin(root: string): Plugin {
  return {
    name: 'local-pr-review:model-libs-warning',
    apply: 'build',
    closeBundle() {
      const index = join(root, 'public/model-libs/index.json');
      const warning = modelLibsWarning(existsSync(index) ? readFileSync(index, 'utf8') : null);
      if (warning) console.warn(`\n${warning}\n`);
    },
  };
}
