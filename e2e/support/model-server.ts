/**
 * A tiny static HTTP server for tests and benchmarks: serves a directory on 127.0.0.1 with the
 * headers a browser needs to fetch models cross-origin (CORS, CORP), HTTP Range requests, and
 * optionally cross-origin isolation (COOP/COEP) so pages it serves may use wasm threads.
 *
 * Tests can make a download break part way through with `failNext`, to check that a failed
 * model download is reported and recovers on the next attempt, or slow a file's downloads down
 * with `slowDown`, to make a review outlast a browser's idle timeout.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

export interface ModelServerOptions {
  /** Directory to serve. */
  root: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Send COOP/COEP so pages served from here are cross-origin isolated. */
  crossOriginIsolated?: boolean;
}

export interface ModelServer {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:41234/ */
  url: string;
  port: number;
  /** Paths requested so far (method and path), in order. */
  requests: string[];
  /** The next GET whose path ends with `pathSuffix` sends `afterBytes` bytes, then drops the connection. */
  failNext(pathSuffix: string, afterBytes: number): void;
  /** Every later GET whose path ends with `pathSuffix` spreads its body evenly over `ms` milliseconds. */
  slowDown(pathSuffix: string, ms: number): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.gguf': 'application/octet-stream',
};

/** Parses a single "bytes=a-b" range against a file size; null when absent or unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const root = resolve(options.root);
  const requests: string[] = [];
  const failures: { suffix: string; afterBytes: number }[] = [];
  const slow: { suffix: string; ms: number }[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(`${req.method} ${path}`);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Range, Content-Type');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges, ETag');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (options.crossOriginIsolated) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const size = info.size;
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('ETag', `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`);
    res.setHeader('Cache-Control', 'no-store');
    const range = parseRange(req.headers.range, size);
    if (range === 'invalid') {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    const length = size === 0 ? 0 : end - start + 1;
    res.setHeader('Content-Length', String(length));
    if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    res.writeHead(range ? 206 : 200);
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    const failIndex = failures.findIndex((f) => path.endsWith(f.suffix));
    if (failIndex >= 0) {
      const [failure] = failures.splice(failIndex, 1);
      const cut = Math.min(failure!.afterBytes, length);
      const stream = createReadStream(file, { start, end: start + cut - 1 });
      stream.on('data', (chunk) => res.write(chunk));
      // Drop the socket: the browser sees a network error mid-body, as with a lost connection.
      stream.on('end', () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    const slowed = slow.find((s) => path.endsWith(s.suffix));
    if (slowed) {
      void sendSlowly(file, start, length, slowed.ms, res);
      return;
    }
    createReadStream(file, { start, end }).pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    failNext(suffix, afterBytes) {
      failures.push({ suffix, afterBytes });
    },
    slowDown(suffix, ms) {
      slow.push({ suffix, ms });
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Sends `length` bytes of `file` from `start` in 20 equal slices spread over `ms`. */
async function sendSlowly(file: string, start: number, length: number, ms: number, res: ServerResponse): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const body = Buffer.alloc(length);
    await handle.read(body, 0, length, start);
    const slices = 20;
    for (let i = 0; i < slices && !res.destroyed; i++) {
      res.write(body.subarray(Math.floor((i * length) / slices), Math.floor(((i + 1) * length) / slices)));
      await new Promise((ok) => setTimeout(ok, ms / slices));
    }
    res.end();
  } finally {
    await handle.close();
  }
}
