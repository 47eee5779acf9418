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
/** The test-only WebGPU f16 shim (scripts/vite/webgpu-f16-shim.ts). */
const F16_SHIM_SIGNATURE = 'webgpu-f16-shim: test-only, never in a production build';
/** wllama's packaged workers (src/engine/wllama-worker-files.ts) and strings only their code contains. */
const WLLAMA_WORKERS = {
  'wllama/llama-cpp-worker.js': ['wllama_action', 'RUN_OPTIONS.pthreadUrl'],
  'wllama/llama-cpp-pthread.js': ['em-pthread', 'WebAssembly.Suspending'],
  'wllama/opfs-worker.js': ['createSyncAccessHandle', 'writeTextFile'],
};
const WLLAMA_WORKER_CODE = ['wllama_action', 'em-pthread', 'writeTextFile'];
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
    // The panel's stylesheet ships without the comments that explain it (scripts/vite/css-strings.ts).
    const sheet = readFileSync(join(ROOT, 'src/ui/styles/panel.css.ts'), 'utf8');
    const comments = sheet.slice(sheet.indexOf('BASE_CSS')).match(/\/\*(?!css\*\/)[\s\S]*?\*\//g) ?? [];
    expect(comments.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(dist, file), 'utf8');
      expect(text).toContain('.lpr-panel{');
      for (const comment of comments) expect(text, `${file} ships the CSS comment ${comment}`).not.toContain(comment);
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

  test(`${target}: the production build does not contain the scripted test engine or the test-only f16 shim`, () => {
    for (const file of allFiles(dist).filter((f) => /\.(js|html)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain(SCRIPTED_SIGNATURE);
      expect(text, file).not.toContain(F16_SHIM_SIGNATURE);
    }
  });
}

for (const target of ['chrome', 'firefox', 'e2e']) {
  const dist = join(ROOT, 'dist', target);

  test(`${target}: wllama's workers are files of the package, and no bundle can start one from a blob`, () => {
    // The packaged files hold wllama's own worker code; the pthread script is passed by URL.
    for (const [file, markers] of Object.entries(WLLAMA_WORKERS)) {
      const text = readFileSync(join(dist, file), 'utf8');
      for (const marker of markers) expect(text, `${file} lacks ${marker}`).toContain(marker);
    }
    // No other script carries worker code (which is what wllama would turn into a blob) ...
    const scripts = allFiles(dist).filter((f) => f.endsWith('.js') && !f.includes(`${join(dist, 'wllama')}/`));
    for (const file of scripts) {
      const text = readFileSync(file, 'utf8');
      for (const marker of WLLAMA_WORKER_CODE) expect(text, `${file} contains wllama worker code (${marker})`).not.toContain(marker);
    }
    // ... and the chunk with wllama's worker factory starts the packaged files, never a blob URL.
    const engine = scripts.filter((f) => readFileSync(f, 'utf8').includes('@lpr-packaged:llama-cpp-worker@'));
    expect(engine.length).toBe(1);
    const code = readFileSync(engine[0]!, 'utf8');
    expect(code).toContain('wllama/llama-cpp-worker.js');
    expect(code).not.toContain('createObjectURL');
    // The CSP is not loosened for workers.
    const csp = (readManifest(dist) as Manifest & { content_security_policy?: { extension_pages?: string } }).content_security_policy?.extension_pages ?? '';
    expect(csp).toBe("script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  });
}

test('the e2e build does contain the scripted engine (so the check above can fail)', () => {
  const hits = allFiles(join(ROOT, 'dist', 'e2e')).filter((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes(SCRIPTED_SIGNATURE));
  expect(hits.length).toBeGreaterThan(0);
});

test('the e2e build does contain the f16 shim, in the packaged llama.cpp workers only (so the check above can fail)', () => {
  const hits = allFiles(join(ROOT, 'dist', 'e2e')).filter((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes(F16_SHIM_SIGNATURE));
  expect(hits.map((f) => f.slice(join(ROOT, 'dist', 'e2e').length + 1)).sort()).toEqual(['wllama/llama-cpp-pthread.js', 'wllama/llama-cpp-worker.js']);
});

test('the Chrome build is MV3 with a service worker and the offscreen engine host; Firefox uses background scripts', () => {
  const chrome = readManifest(join(ROOT, 'dist', 'chrome'));
  expect(chrome.background?.service_worker).toBeTruthy();
  expect(existsSync(join(ROOT, 'dist', 'chrome', 'extension', 'offscreen.html'))).toBe(true);
  const firefox = readManifest(join(ROOT, 'dist', 'firefox')) as Manifest & { browser_specific_settings?: { gecko?: { id?: string } } };
  expect(firefox.background?.scripts?.length).toBe(1);
  expect(firefox.browser_specific_settings?.gecko?.id).toBeTruthy();
});

test('release builds reach a local server only with a permission the user grants: localhost and 127.0.0.1 are optional, nothing else', () => {
  for (const target of ['chrome', 'firefox']) {
    const manifest = readManifest(join(ROOT, 'dist', target)) as Manifest & { host_permissions?: string[]; optional_host_permissions?: string[] };
    expect(manifest.optional_host_permissions, target).toEqual(['http://localhost/*', 'http://127.0.0.1/*']);
    expect((manifest.host_permissions ?? []).filter((h) => /localhost|127\.0\.0\.1/.test(h)), target).toEqual([]);
  }
});
