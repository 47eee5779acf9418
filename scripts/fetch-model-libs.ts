/**
 * Packaging step: copies web-llm's compiled model libraries (.wasm) into public/model-libs/ so
 * they ship inside the extension. The Chrome Web Store forbids remotely hosted code, and these
 * libraries are code; the weights are data and are still downloaded at run time.
 *
 *   tsx scripts/fetch-model-libs.ts [--all] [--model <id>]... [--out <dir>] [--force] [--strict]
 *
 * By default it fetches the libraries of the featured models (webllm-catalog.ts). Where the
 * network is unreachable it says so and exits 0, leaving a development build without bundled
 * model libraries; `--strict` (release builds) makes that an error.
 */
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadWebLlmCatalog } from '../src/engine/webllm-engine';
import type { CatalogModel } from '../src/engine/webllm-catalog';

export interface FetchOptions {
  all: boolean;
  models: string[];
  out: string;
  force: boolean;
  strict: boolean;
  timeoutMs: number;
}

export const DEFAULT_OUT = 'public/model-libs';

export function parseArgs(argv: readonly string[]): FetchOptions | { error: string } {
  const opts: FetchOptions = { all: false, models: [], out: DEFAULT_OUT, force: false, strict: false, timeoutMs: 60_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '--all') opts.all = true;
      else if (arg === '--strict') opts.strict = true;
      else if (arg === '--force') opts.force = true;
      else if (arg === '--out') opts.out = value();
      else if (arg === '--model') opts.models.push(value());
      else if (arg === '--timeout-ms') opts.timeoutMs = Number(value());
      else return { error: `Unknown option ${arg}` };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) return { error: '--timeout-ms must be a positive number' };
  return opts;
}

export interface PlannedLib {
  libFile: string;
  url: string;
  modelIds: string[];
}

/** One download per distinct library (several models share one, e.g. all Qwen2 1.5B variants). */
export function planDownloads(catalog: readonly CatalogModel[], opts: Pick<FetchOptions, 'all' | 'models'>): PlannedLib[] | { error: string } {
  const wanted = new Set(opts.models);
  const unknown = opts.models.filter((id) => !catalog.some((m) => m.id === id));
  if (unknown.length > 0) return { error: `Unknown model id(s): ${unknown.join(', ')}` };
  const chosen = catalog.filter((m) => (wanted.size > 0 ? wanted.has(m.id) : opts.all || m.featured));
  const byLib = new Map<string, PlannedLib>();
  for (const m of chosen) {
    const entry = byLib.get(m.libFile) ?? { libFile: m.libFile, url: m.record.model_lib, modelIds: [] };
    entry.modelIds.push(m.id);
    byLib.set(m.libFile, entry);
  }
  return [...byLib.values()];
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export interface FetchResult {
  downloaded: string[];
  alreadyPresent: string[];
  failed: Array<{ libFile: string; reason: string }>;
  /** Every .wasm now under the output directory, as written to index.json. */
  bundled: string[];
}

export async function fetchModelLibs(
  plan: readonly PlannedLib[],
  opts: Pick<FetchOptions, 'out' | 'force' | 'timeoutMs'>,
  fetchFn: typeof fetch = fetch,
): Promise<FetchResult> {
  const out = resolve(opts.out);
  const result: FetchResult = { downloaded: [], alreadyPresent: [], failed: [], bundled: [] };
  for (const lib of plan) {
    const target = resolve(out, lib.libFile);
    if (!target.startsWith(out + sep)) {
      result.failed.push({ libFile: lib.libFile, reason: 'path escapes the output directory' });
      continue;
    }
    if (!opts.force && (await isNonEmptyFile(target))) {
      result.alreadyPresent.push(lib.libFile);
      continue;
    }
    try {
      const response = await fetchFn(lib.url, { signal: AbortSignal.timeout(opts.timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (!WASM_MAGIC.every((b, i) => bytes[i] === b)) throw new Error('the server did not return a WebAssembly file');
      await mkdir(dirname(target), { recursive: true });
      await writeFile(`${target}.part`, bytes);
      await rename(`${target}.part`, target);
      result.downloaded.push(lib.libFile);
    } catch (error) {
      result.failed.push({ libFile: lib.libFile, reason: describeFailure(error) });
    }
  }
  result.bundled = await listWasm(out);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'index.json'), `${JSON.stringify({ files: result.bundled }, null, 2)}\n`);
  return result;
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message ?? String(error)} (${cause})` : (e?.message ?? String(error));
}

async function isNonEmptyFile(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    return s.isFile() && s.size > 0;
  } catch {
    return false;
  }
}

async function listWasm(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string) => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (entry.isFile() && entry.name.endsWith('.wasm')) found.push(relative(dir, p).split(sep).join('/'));
    }
  };
  await walk(dir);
  return found.sort();
}

/** The summary printed at the end, and the exit code it implies. */
export function report(result: FetchResult, strict: boolean): { lines: string[]; exitCode: number } {
  const lines: string[] = [];
  lines.push(
    `model libraries: ${result.downloaded.length} downloaded, ${result.alreadyPresent.length} already present, ${result.failed.length} failed; ${result.bundled.length} bundled in total.`,
  );
  if (result.failed.length === 0) return { lines, exitCode: 0 };
  for (const f of result.failed) lines.push(`  could not fetch ${f.libFile}: ${f.reason}`);
  const none = result.downloaded.length === 0 && result.alreadyPresent.length === 0;
  lines.push(
    none
      ? 'WARNING: no model library could be downloaded (is the network reachable?). This is a development build without bundled model libraries: web-llm models will not load in it.'
      : 'WARNING: some model libraries are missing; the models that need them will not load in this build.',
  );
  if (strict) lines.push('--strict: failing the build.');
  return { lines, exitCode: strict ? 1 : 0 };
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  if ('error' in opts) {
    console.error(opts.error);
    return 2;
  }
  const catalog = await loadWebLlmCatalog();
  const plan = planDownloads(catalog, opts);
  if ('error' in plan) {
    console.error(plan.error);
    return 2;
  }
  console.log(`fetching ${plan.length} model librar${plan.length === 1 ? 'y' : 'ies'} into ${opts.out}`);
  const result = await fetchModelLibs(plan, opts);
  const { lines, exitCode } = report(result, opts.strict);
  for (const line of lines) (line.startsWith('WARNING') || line.startsWith('  ') ? console.warn : console.log)(line);
  return exitCode;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
