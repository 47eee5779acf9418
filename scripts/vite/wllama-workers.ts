/**
 * Vite plugin: ships wllama's workers as files in the package instead of `blob:` URLs.
 *
 * wllama 3.13 keeps its workers as code strings (the llama.cpp worker glue, the emscripten module,
 * a JSPI stub, the OPFS cache writer) and starts them from blobs, which Firefox's extension CSP
 * blocks. At build time this plugin reads those strings out of wllama's own module, writes them
 * into `wllama/*.js` in the package (wllama-worker-files.ts names them), replaces them in the
 * bundle with short markers, and rewrites wllama's `createWorker` to call our factory
 * (src/engine/wllama-workers.ts), which maps a marker to its file. Run-time settings (wllama's
 * RUN_OPTIONS, the pthread script's URL) travel in the worker URL's fragment.
 *
 * Anything unexpected in wllama's code (a new version that renamed something) fails the build.
 */
import { parseAst, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { NO_WEBGPU_MARKER, WLLAMA_CODE_MARKERS, WLLAMA_WORKER_FILES } from '../../src/engine/wllama-worker-files';

type CodeName = keyof typeof WLLAMA_CODE_MARKERS;

export interface WllamaSources {
  LLAMA_CPP_WORKER_CODE: string;
  WLLAMA_EMSCRIPTEN_CODE: string;
  JSPI_STUB: string;
  OPFS_UTILS_WORKER_CODE: string;
  /** The statement wllama prepends to hide WebGPU when n_gpu_layers is 0. */
  noWebGpuPrefix: string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const CODE_NAMES = Object.keys(WLLAMA_CODE_MARKERS) as CodeName[];
const NO_WEBGPU_PREFIX = /^try\{Object\.defineProperty\(WorkerNavigator\.prototype,"gpu"/;
/** In the worker glue: the pthread script wllama hands over as a Blob. */
const PTHREAD_BLOB_ARG = '? argMainScriptBlob';
const FACTORY = fileURLToPath(new URL('../../src/engine/wllama-workers.ts', import.meta.url));

function fail(what: string): never {
  throw new Error(`wllama-workers: ${what}. Was @wllama/wllama updated? Check scripts/vite/wllama-workers.ts against its esm/index.js.`);
}

function stringValue(node: AstNode): string | null {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && (node.expressions as unknown[]).length === 0) {
    const [quasi] = node.quasis as Array<{ value: { cooked: string } }>;
    return quasi?.value.cooked ?? null;
  }
  return null;
}

function walk(node: unknown, visit: (n: AstNode) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  const n = node as AstNode;
  if (typeof n.type === 'string') visit(n);
  for (const [key, value] of Object.entries(n)) if (key !== 'type' && value && typeof value === 'object') walk(value, visit);
}

/**
 * Reads wllama's worker code out of its module and returns the module with the code replaced by
 * markers and `createWorker` calling our factory.
 */
export function rewriteWllamaModule(code: string, factoryPath: string = FACTORY): { code: string; sources: WllamaSources } {
  const ast = parseAst(code) as unknown as AstNode;
  const found: Partial<WllamaSources> = {};
  const edits: Edit[] = [];
  let createWorkerSeen = 0;
  walk(ast, (node) => {
    if (node.type === 'VariableDeclarator') {
      const id = node.id as AstNode & { name?: string };
      const init = node.init as AstNode | null;
      if (!init || !id.name) return;
      if (id.name === 'createWorker') {
        createWorkerSeen++;
        edits.push({ start: init.start, end: init.end, text: '(workerCode) => __lprCreatePackagedWorker(workerCode)' });
        return;
      }
      if ((CODE_NAMES as string[]).includes(id.name)) {
        const value = stringValue(init);
        if (value === null) fail(`${id.name} is no longer a plain string`);
        if (found[id.name as CodeName] !== undefined) fail(`${id.name} is declared twice`);
        found[id.name as CodeName] = value;
        edits.push({ start: init.start, end: init.end, text: JSON.stringify(WLLAMA_CODE_MARKERS[id.name as CodeName]) });
      }
      return;
    }
    if (node.type === 'Literal' && typeof node.value === 'string' && NO_WEBGPU_PREFIX.test(node.value)) {
      if (found.noWebGpuPrefix !== undefined) fail('the no-WebGPU prefix appears twice');
      found.noWebGpuPrefix = node.value;
      edits.push({ start: node.start, end: node.end, text: JSON.stringify(NO_WEBGPU_MARKER) });
    }
  });
  if (createWorkerSeen !== 1) fail(`expected one createWorker, found ${createWorkerSeen}`);
  for (const name of [...CODE_NAMES, 'noWebGpuPrefix'] as const) if (found[name] === undefined) fail(`${name} was not found`);
  const sources = found as WllamaSources;
  if (sources.LLAMA_CPP_WORKER_CODE.split(PTHREAD_BLOB_ARG).length !== 2) fail('the worker glue no longer passes the pthread script as argMainScriptBlob');
  let out = code;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  out = `import { createPackagedWorker as __lprCreatePackagedWorker } from ${JSON.stringify(factoryPath)};\n${out}`;
  return { code: out, sources };
}

const READ_FRAGMENT = 'JSON.parse(decodeURIComponent(self.location.hash.slice(1)) || "{}")';

/** The three files of the package, built from wllama's code (plus the test-only shim if given). */
export function workerFiles(sources: WllamaSources, f16Shim?: string): Record<string, string> {
  const header = '// Generated at build time by scripts/vite/wllama-workers.ts from @wllama/wllama\'s own worker code. Do not edit.\n';
  const shim = (flag: string) => (f16Shim ? `if (${flag}) ${f16Shim}\n` : '');
  const moduleCode = sources.JSPI_STUB + sources.WLLAMA_EMSCRIPTEN_CODE;
  // As wllama's moduleInit assembles it: settings, the module inside wModuleInit (with its first
  // `var Module` renamed, as wllama does), then the glue; the pthread script comes from a URL.
  const llama = [
    header,
    `const RUN_OPTIONS = ${READ_FRAGMENT};`,
    shim('RUN_OPTIONS.f16Shim'),
    `function wModuleInit() { if (RUN_OPTIONS.noWebGPU) { ${sources.noWebGpuPrefix} }\n${moduleCode.replace('var Module', 'var ___Module')}; return Module; };\n\n`,
    sources.LLAMA_CPP_WORKER_CODE.replace(PTHREAD_BLOB_ARG, '? RUN_OPTIONS.pthreadUrl'),
  ].join('\n');
  // A classic worker script: keep our settings out of the global scope the module shares.
  const pthread = [
    header,
    `(() => { const options = ${READ_FRAGMENT};`,
    shim('options.f16Shim'),
    `if (options.noWebGPU) { ${sources.noWebGpuPrefix} } })();`,
    moduleCode,
  ].join('\n');
  return {
    [WLLAMA_WORKER_FILES.llama]: llama,
    [WLLAMA_WORKER_FILES.pthread]: pthread,
    [WLLAMA_WORKER_FILES.opfs]: header + sources.OPFS_UTILS_WORKER_CODE,
  };
}

const WLLAMA_MODULE = /[\\/]@wllama[\\/]wllama[\\/]esm[\\/]index\.js$/;

export function wllamaWorkers(options: { f16Shim?: string } = {}): Plugin {
  return {
    name: 'lpr-wllama-workers',
    enforce: 'pre',
    transform(code, id) {
      if (!WLLAMA_MODULE.test(id.split('?')[0]!)) return null;
      const { code: rewritten, sources } = rewriteWllamaModule(code);
      for (const [fileName, source] of Object.entries(workerFiles(sources, options.f16Shim))) {
        this.emitFile({ type: 'asset', fileName, source });
      }
      return { code: rewritten, map: null };
    },
  };
}
