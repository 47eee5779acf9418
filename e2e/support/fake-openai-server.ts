/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests of the OpenAI client and the extension's
 * "Local server" engine: GET /v1/models and streaming POST /v1/chat/completions (server-sent
 * events, a usage chunk, [DONE]). It stands in for Ollama / llama-server / LM Studio, which cannot
 * run a model here. It sends no CORS headers: only an extension page holding the host permission
 * can read it, as with a real local server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  max_tokens?: number;
  stream?: boolean;
}

export interface FakeServerOptions {
  models?: string[];
  /** The answer to a chat request (streamed in pieces of `chunkChars`). */
  answer?: (req: FakeChatRequest) => string;
  chunkChars?: number;
  delayMs?: number;
  /** Answer chat requests with this HTTP status and error message instead. */
  fail?: { status: number; message: string } | null;
  /** Send this error as an SSE event after the first piece. */
  failMidStream?: string | null;
}

export interface FakeServer {
  url: string;
  /** Base URL of the API (`<url>/v1`). */
  base: string;
  options: FakeServerOptions;
  requests: FakeChatRequest[];
  /** Chat streams the client closed before the end. */
  aborted: number;
  /** Origin headers seen (what the browser sent). */
  origins: string[];
  close(): Promise<void>;
}

/** The first added line of a map prompt (`12+code` under `### path (...)`). */
function firstAdded(prompt: string): { file: string; line: number; text: string } | null {
  let file = '';
  for (const raw of prompt.split('\n')) {
    const h = /^### (.+) \([^)]*\)$/.exec(raw);
    if (h) file = h[1]!;
    const a = /^(\d+)\+(.*)$/.exec(raw);
    if (a && file && a[2]!.trim()) return { file, line: Number(a[1]), text: a[2]! };
  }
  return null;
}

/** A plausible reviewer: one finding on the first added line, a summary, and "real" on verify. */
export function plausibleAnswer(req: FakeChatRequest): string {
  const system = req.messages.find((m) => m.role === 'system')?.content ?? '';
  const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
  if (system.startsWith('You write the final review')) return JSON.stringify({ summary: 'Reviewed by the fake local server.', risks: ['A risk the fake server saw.'], changes: ['A change.'] });
  if (system.startsWith('You check one finding')) return '{"real": true, "confidence": 0.9}';
  const first = firstAdded(user);
  return JSON.stringify({
    summary: [first ? `${first.file}: changed (fake server)` : 'nothing'],
    findings: first ? [{ file: first.file, line: first.line, severity: 'major', category: 'bug', title: 'Fake server finding', explanation: 'Found by the fake local server.', quote: first.text }] : [],
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeOpenAiServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const state: FakeServer = { url: '', base: '', options, requests: [], aborted: 0, origins: [], close: async () => undefined };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.origin) state.origins.push(String(req.headers.origin));
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: (options.models ?? ['tiny-coder']).map((id) => ({ id, object: 'model' })) }));
      return;
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      let body = '';
      for await (const c of req) body += c;
      const chat = JSON.parse(body) as FakeChatRequest;
      state.requests.push(chat);
      if (options.fail) {
        res.writeHead(options.fail.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: options.fail.message } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const text = (options.answer ?? plausibleAnswer)(chat);
      const size = options.chunkChars ?? 24;
      let closed = false;
      res.on('close', () => {
        if (!res.writableEnded) {
          closed = true;
          state.aborted++;
        }
      });
      let pieces = 0;
      for (let i = 0; i < text.length && !closed; i += size) {
        const delta = { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text.slice(i, i + size) }, finish_reason: null }] };
        res.write(`data: ${JSON.stringify(delta)}\n\n`);
        pieces++;
        if (options.failMidStream && pieces === 1) {
          res.write(`data: ${JSON.stringify({ error: { message: options.failMidStream } })}\n\n`);
          res.end();
          return;
        }
        if (options.delayMs) await sleep(options.delayMs);
      }
      if (closed) return;
      const promptTokens = Math.ceil(chat.messages.reduce((n, m) => n + m.content.length, 0) / 4);
      res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: Math.ceil(text.length / 4) } })}\n\n`);
      res.write('data: [DONE]\n\n');
      res.end();
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${port}`;
  state.base = `${state.url}/v1`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
