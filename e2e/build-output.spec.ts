/**
 * Checks on the production build itself (dist/chrome, dist/firefox), as users download it:
 * the content script stays small, inference libraries never reach github.com pages, and the
 * scripted test engine is not in the package.
 */
import { test, expect } from '@playwright/test';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CONTENT_BUDGET_GZIP = 40 * 1024;
const SCRIPTED_SIGNATURE = 'scripted-engine: test double for a real model';
/** Strings only the inference libraries contain. */
const INFERENCE_MARKERS = ['MLCEngine', 'tvmjs', 'wllama.wasm', 'ContextWindowSizeExceededError'];

interface Manifest {
  content_scripts: Array<{ js?: string[]; css?: string[] }>;
  background?: { service_worker?: string; scripts?: string[] };
  web_accessible_resources?: Array<{ resources: string[]; matches?: string[]; use_dynamic_url?: boolean }>;
}

function readManifest(dist: string): Manifest {
  return JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Manifest;
}

/** Every file the content script loads: its loader, and the chunks the loader imports, transitively. */
function contentScriptFiles(dist: string): string[] {
  const manifest = readManifest(dist);
  const seen = new Set<string>();
  const queue = manifest.content_scripts.flatMap((cs) => [...(cs.js ?? []), ...(cs.css ?? [])]);
  while (queue.length) {
    const file = queue.shift()!.replace(/^\//, '');
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    const code = readFileSync(join(dist, file), 'utf8');
    // Static imports, dynamic imports and crxjs's loader (chrome.runtime.getURL("…")).
    for (const m of code.matchAll(/(?:from\s*|import\s*\(\s*|import\s*|getURL\(\s*)["'`]([^"'`]+\.(?:js|css))["'`]/g)) {
      const spec = m[1]!;
      const base = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
      const target = spec.startsWith('./') || spec.startsWith('../') ? new URL(spec, `file:///${base}`).pathname.slice(1) : spec.replace(/^\//, '');
      if (existsSync(join(dist, target))) queue.push(target);
    }
  }
  return [...seen];
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

for (const target of ['chrome', 'firefox']) {
  const dist = join(ROOT, 'dist', target);

  test(`${target}: the content script is at most 40 KB gzipped and carries no inference library`, () => {
    const files = contentScriptFiles(dist);
    expect(files.length).toBe(1); // one self-contained script: no loader, no chunks to expose
    let total = 0;
    for (const file of files) {
      const bytes = readFileSync(join(dist, file));
      total += gzipSync(bytes).length;
      const text = bytes.toString('utf8');
      for (const marker of INFERENCE_MARKERS) expect(text, `${file} contains ${marker}`).not.toContain(marker);
    }
    console.log(`${target}: the content script loads ${files.length} files, ${total} bytes gzipped (budget ${CONTENT_BUDGET_GZIP})`);
    expect(total).toBeLessThanOrEqual(CONTENT_BUDGET_GZIP);
  });

  test(`${target}: @adversarial nothing is web-accessible, so a github.com page cannot fetch a file to detect the extension`, () => {
    const manifest = readManifest(dist);
    // Either no web-accessible resources at all, or only behind dynamic (per-session) URLs.
    for (const entry of manifest.web_accessible_resources ?? []) expect(entry.use_dynamic_url, JSON.stringify(entry)).toBe(true);
    expect(manifest.web_accessible_resources ?? []).toEqual([]);
    // The content script imports nothing at run time (a loader would need exposed chunks).
    const [script] = contentScriptFiles(dist);
    const code = readFileSync(join(dist, script!), 'utf8');
    expect(code).not.toMatch(/getURL\(|import\(/);
  });

  test(`${target}: the production build does not contain the scripted test engine`, () => {
    for (const file of allFiles(dist).filter((f) => /\.(js|html)$/.test(f))) {
      expect(readFileSync(file, 'utf8'), file).not.toContain(SCRIPTED_SIGNATURE);
    }
  });
}

test('the e2e build does contain the scripted engine (so the check above can fail)', () => {
  const hits = allFiles(join(ROOT, 'dist', 'e2e')).filter((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes(SCRIPTED_SIGNATURE));
  expect(hits.length).toBeGreaterThan(0);
});

test('the Chrome build is MV3 with a service worker and the offscreen engine host; Firefox uses background scripts', () => {
  const chrome = readManifest(join(ROOT, 'dist', 'chrome'));
  expect(chrome.background?.service_worker).toBeTruthy();
  expect(existsSync(join(ROOT, 'dist', 'chrome', 'extension', 'offscreen.html'))).toBe(true);
  const firefox = readManifest(join(ROOT, 'dist', 'firefox')) as Manifest & { browser_specific_settings?: { gecko?: { id?: string } } };
  expect(firefox.background?.scripts?.length).toBe(1);
  expect(firefox.browser_specific_settings?.gecko?.id).toBeTruthy();
});
