/**
 * One config, three outputs:
 *   --mode production          -> dist/chrome   (MV3 service worker + offscreen engine host)
 *   --mode production-firefox  -> dist/firefox  (MV3 background scripts hosting the engine)
 *   --mode e2e                 -> dist/e2e      (Chrome build that also carries the scripted test engine)
 *   --mode e2e-firefox         -> dist/firefox-e2e (the Firefox build with the same test hooks: open
 *                                 shadow roots, the scripted engine; for the Firefox review tests)
 * The manifest is one file (manifest.json); per-browser differences are applied here.
 */
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import baseManifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };
import { modelLibsWarningPlugin } from './scripts/vite/model-libs-warning.ts';
import { wllamaWorkers } from './scripts/vite/wllama-workers.ts';
import { F16_SHIM_SOURCE } from './scripts/vite/webgpu-f16-shim.ts';
import { cssStringsPlugin } from './scripts/vite/css-strings.ts';

type Target = 'chrome' | 'firefox' | 'e2e';

function targetOf(mode: string): Target {
  if (mode === 'production-firefox' || mode === 'e2e-firefox') return 'firefox';
  if (mode === 'e2e') return 'e2e';
  return 'chrome';
}

function manifestFor(target: Target): ManifestV3Export {
  const manifest = structuredClone(baseManifest) as Record<string, unknown> & typeof baseManifest;
  manifest.version = pkg.version;
  if (target === 'firefox') {
    // Firefox has no offscreen documents: its background is an event page that hosts the engine itself.
    manifest.permissions = manifest.permissions.filter((p) => p !== 'offscreen');
    // Chrome-only keys (cross-origin isolation of extension pages, for the CPU engine's threads);
    // Firefox's engine host is the background page, which these keys do not reach.
    delete (manifest as Record<string, unknown>).cross_origin_embedder_policy;
    delete (manifest as Record<string, unknown>).cross_origin_opener_policy;
    (manifest as Record<string, unknown>).background = { scripts: ['extension/background-firefox.ts'], type: 'module' };
    (manifest as Record<string, unknown>).browser_specific_settings = {
      gecko: {
        id: 'local-pr-review@local-pr-review.dev',
        strict_min_version: '142.0',
        data_collection_permissions: { required: ['none'] },
      },
    };
  }
  if (target === 'e2e') {
    // Chrome's permission prompt cannot be answered by automation (Playwright has no hook for it),
    // so the test build holds 127.0.0.1 already: the Local server engine's real
    // permissions.request then resolves without a prompt. localhost stays optional, so a test can
    // see the prompt being asked for. Release builds keep both optional (e2e/build-output checks).
    manifest.host_permissions = [...manifest.host_permissions, 'http://127.0.0.1/*'];
  }
  return manifest as ManifestV3Export;
}

export default defineConfig(({ mode }) => {
  const target = targetOf(mode);
  // Test hooks (open shadow roots, the scripted engine) exist only in the e2e builds.
  const testHooks = target === 'e2e' || mode === 'e2e-firefox';
  return {
    plugins: [
      // Our stylesheets ship without their comments (the content script has a 40 KB gzipped budget).
      cssStringsPlugin(),
      preact(),
      // wllama's workers as files of the package (no blob: workers, which Firefox's CSP blocks);
      // the e2e build's workers also carry the test-only f16 shim (scripts/vite/webgpu-f16-shim.ts).
      wllamaWorkers(target === 'e2e' ? { f16Shim: F16_SHIM_SOURCE } : {}),
      crx({
        manifest: manifestFor(target),
        browser: target === 'firefox' ? 'firefox' : 'chrome',
        // One self-contained content script (no loader, no chunks): nothing of ours is
        // web-accessible, so a github.com page cannot fetch a file to detect the extension
        // (docs/security.md, "Web-accessible resources").
        contentScripts: { standaloneFiles: ['extension/content.tsx'] },
      }),
      // The Chrome store build says plainly when it cannot run web-llm models (Firefox has no web-llm).
      ...(target === 'chrome' ? [modelLibsWarningPlugin(import.meta.dirname)] : []),
    ],
    define: {
      // Compile-time switch: the scripted engine is only reachable when this is true, so the
      // production bundles do not contain it (a test on dist/chrome checks that).
      __E2E__: JSON.stringify(testHooks),
      // web-llm (one 6 MB module) stays out of the Firefox build: addons.mozilla.org's linter
      // rejects JavaScript files over 5 MB, and Firefox offers WebGPU to extensions on few
      // platforms yet. Firefox reviews on the CPU engine (wllama) or nothing else.
      __WEBLLM__: JSON.stringify(target !== 'firefox'),
    },
    build: {
      outDir: mode === 'e2e-firefox' ? 'dist/firefox-e2e' : `dist/${target}`,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      chunkSizeWarningLimit: 8000,
      rollupOptions: {
        // crxjs does not pick the offscreen document up from the manifest.
        input: (target === 'firefox' ? {} : { offscreen: 'extension/offscreen.html' }) as Record<string, string>,
      },
    },
  };
});
