/**
 * Benchmark: diff extraction speed and main-thread slices in real Chromium.
 *
 * Builds pages of 1k, 5k and 20k diff lines in the classic and React layouts (markup cloned
 * from the saved real pages, see extract-pages.ts), bundles the extractor for the browser with
 * vite (lib mode, IIFE), loads both into headless /usr/bin/chromium and measures:
 * - ms per 1,000 diff lines of the synchronous core (median of RUNS runs, after one warm-up);
 * - the sliced (async) facade: its longest slice between two yields, and any long task
 *   (> 50 ms) a PerformanceObserver saw while it ran.
 *
 *   npx tsx scripts/bench/extract.ts        (prints JSON)
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { classicPage, reactPage, syntheticDiff } from './extract-pages';

const SIZES = [1000, 5000, 20000];
const RUNS = 9;

async function bundleExtractor(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'lprx-bench-'));
  try {
    await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        outDir,
        emptyOutDir: true,
        minify: true,
        lib: { entry: fileURLToPath(new URL('../../src/github/extract.ts', import.meta.url)), formats: ['iife'], name: 'LocalPrReviewExtract', fileName: 'extract' },
      },
    });
    const file = readdirSync(outDir).find((f) => f.endsWith('.js'));
    if (!file) throw new Error('the extractor bundle was not written');
    return readFileSync(join(outDir, file), 'utf8');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

interface PageFigures {
  floorMs: number[];
  naiveMs: number[];
  syncMs: number[];
  lines: number;
  files: number;
  asyncMs: number;
  longestSliceMs: number;
  slices: number;
  durationsMs: number[];
  stepsPerSlice: number[];
  longTasks: number[];
}

export async function benchExtract(): Promise<Record<string, unknown>> {
  const bundle = await bundleExtractor();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const results: Array<Record<string, unknown>> = [];
  try {
    for (const layout of ['classic', 'react'] as const) {
      for (const lines of SIZES) {
        const files = syntheticDiff(lines);
        const url = layout === 'classic' ? 'https://github.com/o/r/pull/1/files' : 'https://github.com/o/r/pull/1/changes';
        const data = { kind: 'pr' as const, baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40) };
        const html = layout === 'classic' ? classicPage(files, { url, highlight: true, data }) : reactPage(files, { url, highlight: true, data });
        const page = await browser.newPage();
        await page.setContent(html, { waitUntil: 'load', timeout: 120_000 });
        await page.addScriptTag({ content: bundle });
        // tsx compiles this file keeping function names through a `__name` helper that the
        // function passed to page.evaluate then expects in the page.
        await page.addScriptTag({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
        const figures = (await page.evaluate(
          async ({ url, runs }) => {
            type Api = {
              extractPullRequestDiffSync: (root: ParentNode, url: string) => { ok: boolean; diff?: { files: Array<{ hunks: Array<{ lines: unknown[] }> }> } };
              extractPullRequestDiff: (root: ParentNode, url: string, o: { stats: { longestSliceMs: number; slices: number; durationsMs: number[]; stepsPerSlice: number[] } }) => Promise<unknown>;
            };
            const api = (globalThis as unknown as { LocalPrReviewExtract: Api }).LocalPrReviewExtract;
            const first = api.extractPullRequestDiffSync(document, url); // warm-up
            const count = first.ok ? (first.diff?.files ?? []).reduce((n, f) => n + f.hunks.reduce((m, h) => m + h.lines.length, 0), 0) : 0;
            // Interleaved with two references in the same page, so load from other processes
            // hits all three alike: the floor (only each row's last cell text, the least any
            // extractor must touch) and a naive extractor (querySelectorAll('tr') + a
            // querySelector per row).
            let sink = 0;
            const floor = () => {
              for (const t of document.getElementsByTagName('table')) {
                for (const r of (t as HTMLTableElement).rows) sink += (r.lastElementChild?.textContent ?? '').length;
              }
            };
            const naive = () => {
              for (const r of document.querySelectorAll('tr')) {
                const code = r.querySelector('.blob-code-inner, .diff-text-inner');
                const nums = r.querySelectorAll('[data-line-number], .diff-line-number');
                sink += (code?.textContent ?? '').length + nums.length;
              }
            };
            const syncMs: number[] = [];
            const floorMs: number[] = [];
            const naiveMs: number[] = [];
            const timed = (f: () => void, into: number[]) => {
              const t0 = performance.now();
              f();
              into.push(performance.now() - t0);
            };
            for (let i = 0; i < runs; i++) {
              timed(() => api.extractPullRequestDiffSync(document, url), syncMs);
              timed(floor, floorMs);
              timed(naive, naiveMs);
            }
            const longTasks: number[] = [];
            const observer = new PerformanceObserver((list) => {
              for (const e of list.getEntries()) longTasks.push(e.duration);
            });
            let observing = true;
            try {
              observer.observe({ type: 'longtask', buffered: false });
            } catch {
              observing = false;
            }
            const stats = { longestSliceMs: 0, slices: 0, durationsMs: [] as number[], stepsPerSlice: [] as number[] };
            const asyncRuns: number[] = [];
            for (let i = 0; i < 3; i++) {
              await new Promise((r) => setTimeout(r, 50));
              const t0 = performance.now();
              await api.extractPullRequestDiff(document, url, { stats });
              asyncRuns.push(performance.now() - t0);
            }
            const asyncMs = asyncRuns.sort((x, y) => x - y)[1] ?? NaN;
            await new Promise((r) => setTimeout(r, 100));
            observer.disconnect();
            return { floorMs, naiveMs, sink, syncMs, lines: count, files: first.ok ? (first.diff?.files.length ?? 0) : 0, asyncMs, longestSliceMs: stats.longestSliceMs, slices: stats.slices, durationsMs: stats.durationsMs, stepsPerSlice: stats.stepsPerSlice, longTasks: observing ? longTasks : [-1] };
          },
          { url, runs: RUNS },
        )) as PageFigures;
        await page.close();
        const stat = (xs: number[]) => {
          const sorted = [...xs].sort((a, b) => a - b);
          return { min: sorted[0] ?? NaN, median: sorted[Math.floor(sorted.length / 2)] ?? NaN };
        };
        const per1k = (ms: number) => +((ms / figures.lines) * 1000).toFixed(2);
        const sync = stat(figures.syncMs);
        const floorStat = stat(figures.floorMs);
        const naiveStat = stat(figures.naiveMs);
        const slices = [...figures.durationsMs].sort((a, b) => a - b);
        results.push({
          layout,
          lines: figures.lines,
          files: figures.files,
          htmlMB: +(html.length / 1e6).toFixed(1),
          medianMs: +sync.median.toFixed(1),
          msPer1kLines: per1k(sync.median),
          minMsPer1kLines: per1k(sync.min),
          floorMsPer1k: { median: per1k(floorStat.median), min: per1k(floorStat.min) },
          naiveQuerySelectorMsPer1k: { median: per1k(naiveStat.median), min: per1k(naiveStat.min) },
          slicedTotalMs: +figures.asyncMs.toFixed(1),
          slices: figures.slices,
          longestSliceMs: +figures.longestSliceMs.toFixed(1),
          p95SliceMs: +(slices[Math.min(slices.length - 1, Math.floor(slices.length * 0.95))] ?? NaN).toFixed(1),
          slicesOver16ms: figures.durationsMs.filter((d) => d > 16).length,
          // A long slice made of one or two steps (≤ 64 rows each) was stalled from outside the
          // extractor (garbage collection, the OS scheduler), not by the amount of work.
          longSlices: figures.durationsMs.map((d, i) => ({ ms: +d.toFixed(1), steps: figures.stepsPerSlice[i] })).filter((x) => x.ms > 16),
          longTasksOver50ms: figures.longTasks,
        });
      }
    }
  } finally {
    await browser.close();
  }
  return {
    benchmark: 'diff extraction in headless Chromium',
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', gpu: 'none (--disable-gpu)', node: process.version, loadAverage: loadavg().map((l) => +l.toFixed(1)) },
    method: `synthetic diffs (60% context, change blocks of 0-3 deletions then 1-3 additions, 50-line hunks, ~500-line files), words wrapped in highlighting spans; markup cloned from saved real pages; sync core: ${RUNS} runs after a warm-up, interleaved with two references in the same page (floor = each row's last cell textContent only; naive = querySelectorAll('tr') with a querySelector per row), median and min; sliced facade (8 ms budget) 3 runs (median total), longest slice measured between yields, long tasks from PerformanceObserver('longtask')`,
    results,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchExtract().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
