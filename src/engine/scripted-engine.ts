/**
 * A scripted engine for the e2e build only (the production build cannot reach this module; a
 * test on dist/chrome checks that). It stands in for a real GPU model, which cannot run on the
 * test machines: deterministic answers, streamed word by word with a delay, abortable.
 *
 * The model id carries the script's parameters, e.g. `scripted?delay=30&loadMs=200&fail=load`.
 * Answers: for a request with a JSON schema, a findings object naming the first added line it
 * finds in the prompt; otherwise a short Markdown review that names the files it was shown.
 */
import type { ChatChunk, ChatRequest, Engine, EngineCapabilities, LoadProgress } from './engine';
import { EngineError } from './engine';

export const SCRIPTED_ENGINE_SIGNATURE = 'scripted-engine: test double for a real model';

interface Script {
  delayMs: number;
  loadMs: number;
  fail: 'load' | 'chat' | null;
  contextWindow: number;
}

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
    fail: fail === 'load' || fail === 'chat' ? fail : null,
    contextWindow: num('ctx', 4096),
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

function answerFor(request: ChatRequest): string {
  const prompt = request.messages.map((m) => m.content).join('\n');
  // The verify pass (thorough depth) re-checks each finding: the script confirms it.
  if (request.messages[0]?.content.startsWith('You check one finding')) return '{"real": true, "confidence": 0.9}';
  if (request.jsonSchema) {
    const first = firstAddedLine(prompt);
    return JSON.stringify({
      summary: ['Scripted summary of this chunk.'],
      findings: first
        ? [
            {
              file: first.file,
              line: first.line,
              severity: 'minor',
              category: 'maintainability',
              title: 'Scripted finding',
              explanation: 'The scripted engine flags the first added line it sees.',
              quote: first.text,
            },
          ]
        : [],
    });
  }
  return [
    'Summary: the scripted engine read this pull request and streams this review word by word.',
    'Risks: none found by the script.',
    'Changes: the files shown above.',
  ].join('\n');
}

export function createScriptedEngine(modelId: string): Engine {
  const script = parseScript(modelId);
  let loaded = false;
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
      const words = answerFor(request).split(/(?<= )/);
      let produced = 0;
      for (const word of words) {
        if (signal.aborted) return;
        await sleep(script.delayMs, signal);
        if (signal.aborted) return;
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
