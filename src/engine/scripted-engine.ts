/**
 * A scripted engine for the e2e build only (the production build cannot reach this module; a
 * test on dist/chrome checks that). It stands in for a real GPU model, which cannot run on the
 * test machines: deterministic answers, streamed word by word with a delay, abortable.
 *
 * The model id carries the script's parameters, e.g. `scripted?delay=30&loadMs=200&fail=load`.
 * Faults and hostile output for the @fault and @adversarial specs:
 *   fail=crash-mid | device-lost   the call fails after `after` streamed pieces (default 3)
 *   say=TEXT&repeat=N              the Markdown answer (and the structured summary) is TEXT, N times
 *   title=TEXT                     the structured finding's title
 * Answers: for a request with a JSON schema, a findings object naming the first added line it
 * finds in the prompt; for a follow-up question, a sentence naming the finding, the files of the
 * hunks it was shown and a tag of its instructions; otherwise a short Markdown review.
 *
 * Stream mode (the stream benchmark, `npm run bench -- --only=stream`): `rate=1000&piece=4&total=1048576&per=49152`
 * streams `total` characters of answers over this engine's calls, at most `per` in one call
 * (the map answers are padded with summary sentences to that size), at `rate` tokens per second
 * (a token counted as 4 characters, as for code-trained tokenizers), in pieces of `piece`
 * characters, on a fixed schedule so a busy event loop cannot slow the nominal rate down.
 */
import type { ChatChunk, ChatRequest, Engine, EngineCapabilities, LoadProgress } from './engine';
import { EngineError } from './engine';

export const SCRIPTED_ENGINE_SIGNATURE = 'scripted-engine: test double for a real model';

interface Script {
  delayMs: number;
  loadMs: number;
  fail: 'load' | 'chat' | 'crash-mid' | 'device-lost' | null;
  after: number;
  contextWindow: number;
  say: string | null;
  repeat: number;
  title: string;
  stream: { rate: number; piece: number; total: number; per: number } | null;
}

/** Characters per token in stream mode. */
export const STREAM_CHARS_PER_TOKEN = 4;

function parseScript(modelId: string): Script {
  const query = new URLSearchParams(modelId.split('?')[1] ?? '');
  const num = (key: string, fallback: number) => {
    const v = Number(query.get(key));
    return Number.isFinite(v) && query.has(key) ? v : fallback;
  };
  const fail = query.get('fail');
  return {
    delayMs: num('delay', 20),
    loadMs: num('loadMs', 150),
    fail: fail === 'load' || fail === 'chat' || fail === 'crash-mid' || fail === 'device-lost' ? fail : null,
    after: num('after', 3),
    contextWindow: num('ctx', 4096),
    say: query.get('say'),
    repeat: Math.max(1, num('repeat', 1)),
    title: query.get('title') ?? 'Scripted finding',
    stream: query.has('rate')
      ? { rate: Math.max(1, num('rate', 100)), piece: Math.max(1, num('piece', 4)), total: Math.max(0, num('total', 24_000)), per: Math.max(256, num('per', 48_000)) }
      : null,
  };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/** The first added line of the prompt's diff, as `{file, line, text}`. */
function firstAddedLine(prompt: string): { file: string; line: number; text: string } | null {
  let file = '';
  for (const raw of prompt.split('\n')) {
    const header = /^(?:#{1,4} |File: |=== |--- a\/|\+\+\+ b\/)(\S+)/.exec(raw);
    if (header?.[1]) file = header[1];
    const added = /^\s*(\d+)\s*\+\s?(.*)$/.exec(raw);
    if (added && file && added[2]?.trim()) return { file, line: Number(added[1]), text: added[2] };
  }
  return null;
}

/** A short tag of a text (32-bit FNV-1a, hex): lets a test see that the instructions did not change. */
export function instructionsTag(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** A follow-up answer naming what the engine was shown: the finding, the files of the hunks, the instructions' tag. */
function followUpAnswer(request: ChatRequest): string {
  const system = request.messages[0]?.content ?? '';
  const user = request.messages[1]?.content ?? '';
  // File headers of the hunks part only (the question, before it, is the user's own text).
  const hunksPart = user.slice(Math.max(0, user.lastIndexOf('\nDiff hunks:\n')));
  const files = user.includes('\nDiff hunks:\n') ? [...hunksPart.matchAll(/^### (\S+)/gm)].map((m) => m[1]) : [];
  const finding = /^Finding: (.+?) \(/m.exec(user)?.[1];
  const lines = user.split('\n');
  const fenced = /^`{3,}$/.test(lines[0] ?? '') && lines.indexOf(lines[0]!, 1) === lines.length - 2;
  return [
    `**Scripted answer** about ${finding ? `the finding "${finding}"` : 'the pull request'}.`,
    `Hunks shown: ${files.length ? [...new Set(files)].join(', ') : 'none'}.`,
    `Instructions ${instructionsTag(system)}; the question and the diff arrived ${fenced ? 'inside one fence' : 'OUTSIDE the fence'}.`,
  ].join(' ');
}

function answerFor(request: ChatRequest, script: Script): string {
  const prompt = request.messages.map((m) => m.content).join('\n');
  if (request.messages[0]?.content.startsWith("You answer a reviewer's question")) return followUpAnswer(request);
  // The verify pass (thorough depth) re-checks each finding: the script confirms it.
  if (request.messages[0]?.content.startsWith('You check one finding')) return '{"real": true, "confidence": 0.9}';
  if (request.jsonSchema) {
    const first = firstAddedLine(prompt);
    return JSON.stringify({
      summary: [script.say !== null ? script.say.repeat(script.repeat) : 'Scripted summary of this chunk.'],
      findings: first
        ? [
            {
              file: first.file,
              line: first.line,
              severity: 'minor',
              category: 'maintainability',
              title: script.title,
              explanation: 'The scripted engine flags the first added line it sees.',
              quote: first.text,
            },
          ]
        : [],
    });
  }
  if (script.say !== null) return script.say.repeat(script.repeat);
  return [
    'Summary: the scripted engine read this pull request and streams this review word by word.',
    'Risks: none found by the script.',
    'Changes: the files shown above.',
  ].join('\n');
}

/** Mid-call faults fire once per model id in this engine host, so Retry shows the recovery. */
const firedFaults = new Set<string>();
/** A map answer padded with summary sentences to about `size` characters (valid JSON, findings first). */
export function paddedAnswer(request: ChatRequest, size: number, script: Script): string {
  const base = JSON.parse(answerFor(request, script)) as { summary: string[]; findings: unknown[] };
  const overhead = JSON.stringify(base).length;
  const summary = [...base.summary];
  let length = overhead;
  for (let i = 1; length < size; i++) {
    const sentence = `Scripted line ${i} about this chunk, padded so the answer is as long as the benchmark asks.`.slice(0, Math.max(1, size - length - 3));
    summary.push(sentence);
    length += sentence.length + 3;
  }
  // Findings first: a test can see one appear while the summary lines are still streaming.
  return JSON.stringify({ findings: base.findings, summary });
}

/** Streams `answer` on a fixed schedule: piece i is due at start + i·piece/(4·rate) s. */
async function* scheduled(answer: string, stream: NonNullable<Script['stream']>, signal: AbortSignal): AsyncIterable<ChatChunk> {
  const charsPerMs = (stream.rate * STREAM_CHARS_PER_TOKEN) / 1000;
  const start = performance.now();
  let sent = 0;
  while (sent < answer.length) {
    if (signal.aborted) return;
    const due = Math.min(answer.length, Math.floor((performance.now() - start) * charsPerMs / stream.piece) * stream.piece);
    if (due <= sent) {
      await sleep(Math.max(1, (sent + stream.piece) / charsPerMs - (performance.now() - start)), signal);
      continue;
    }
    // Everything due now, still one piece per delta (as an engine that streams token by token).
    for (; sent < due && !signal.aborted; sent += stream.piece) yield { type: 'delta', text: answer.slice(sent, Math.min(due, sent + stream.piece)) };
    sent = Math.min(sent, due);
  }
}

export function createScriptedEngine(modelId: string): Engine {
  const script = parseScript(modelId);
  let loaded = false;
  let streamedChars = 0;
  const capabilities: EngineCapabilities = { contextWindow: script.contextWindow, structuredOutput: true };
  return {
    // Kept as a property so the e2e bundle carries the signature the build test looks for.
    ...{ description: SCRIPTED_ENGINE_SIGNATURE },
    kind: 'scripted',
    modelId,
    async load(onProgress: (p: LoadProgress) => void) {
      const steps = 4;
      for (let i = 0; i <= steps; i++) {
        onProgress({ fraction: i / steps, loadedBytes: i * 1_000_000, totalBytes: steps * 1_000_000, text: 'Loading the scripted model' });
        await sleep(script.loadMs / steps);
      }
      if (script.fail === 'load') throw new EngineError('load-failed', 'The scripted model failed to load.', 'Retry.');
      loaded = true;
    },
    capabilities: () => capabilities,
    async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
      if (!loaded) throw new EngineError('not-loaded', 'The scripted model is not loaded.');
      if (script.fail === 'chat') throw new EngineError('crashed', 'The scripted model crashed.', 'Retry.');
      if (script.stream) {
        const left = script.stream.total - streamedChars;
        const answer = request.jsonSchema && left > 0 ? paddedAnswer(request, Math.min(left, script.stream.per), script) : answerFor(request, script);
        streamedChars += answer.length;
        yield* scheduled(answer, script.stream, signal);
        if (signal.aborted) return;
        yield { type: 'usage', promptTokens: 0, completionTokens: Math.ceil(answer.length / STREAM_CHARS_PER_TOKEN), decodeTokensPerSecond: script.stream.rate };
        return;
      }
            const answer = answerFor(request, script);
      // A long hostile answer streams in large pieces: the point is its size, not its pace.
      const words = answer.length > 100_000 ? answer.match(/[\s\S]{1,65536}/g) ?? [] : answer.split(/(?<= )/);
      let produced = 0;
      for (const word of words) {
        if (signal.aborted) return;
        await sleep(script.delayMs, signal);
        if (signal.aborted) return;
        const fault = produced === script.after && !firedFaults.has(modelId) ? script.fail : null;
        if (fault === 'crash-mid' || fault === 'device-lost') firedFaults.add(modelId);
        if (fault === 'crash-mid') throw new EngineError('crashed', 'The model crashed in the middle of its answer.', 'Retry.');
        if (fault === 'device-lost') {
          loaded = false;
          throw new EngineError('device-lost', 'The GPU device was lost (the driver reset or another tab took the GPU).', 'Retry: the model loads again.');
        }
        produced++;
        yield { type: 'delta', text: word };
      }
      yield { type: 'usage', promptTokens: Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / 3), completionTokens: produced, decodeTokensPerSecond: 1000 / Math.max(1, script.delayMs) };
    },
    async unload() {
      loaded = false;
    },
  };
}
