import { describe, expect, it } from 'vitest';
import type { ChatChunk, ChatRequest, Engine } from './engine';
import { EngineError } from './engine';
import { createScriptedEngine, ScriptedEngine } from './scripted-engine';

const mapRequest: ChatRequest = {
  messages: [
    { role: 'system', content: 'You review one part of a pull request.' },
    { role: 'user', content: '### src/a.ts (added)\n@@ x\n1+const a = 1;\n2+const b = 2;' },
  ],
  maxTokens: 256,
  temperature: 0,
  jsonSchema: {},
};

async function collect(engine: Engine, request: ChatRequest, signal = new AbortController().signal): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const chunk of engine.chat(request, signal)) out.push(chunk);
  return out;
}
const text = (chunks: ChatChunk[]) => chunks.map((c) => (c.type === 'delta' ? c.text : '')).join('');

describe('the scripted engine of the e2e build (a stand-in for a real model, which cannot run here)', () => {
  it('must be loaded first, then flags the first added line it is shown', async () => {
    const engine = createScriptedEngine('scripted?delay=0&loadMs=0');
    await expect(collect(engine, mapRequest)).rejects.toMatchObject({ code: 'not-loaded' });
    await engine.load(() => undefined, new AbortController().signal);
    const chunks = await collect(engine, mapRequest);
    expect(JSON.parse(text(chunks))).toMatchObject({ findings: [{ file: 'src/a.ts', line: 1, quote: 'const a = 1;' }] });
    expect(chunks.at(-1)).toMatchObject({ type: 'usage', completionTokens: chunks.length - 1 });
  });

  it('loses the device once, after the pieces the script says, and must be loaded again', async () => {
    const engine = createScriptedEngine('scripted?delay=0&loadMs=0&fail=device-lost&after=2&id=unit-device');
    await engine.load(() => undefined, new AbortController().signal);
    const seen: string[] = [];
    const failed = (async () => {
      for await (const c of engine.chat(mapRequest, new AbortController().signal)) if (c.type === 'delta') seen.push(c.text);
    })();
    await expect(failed).rejects.toBeInstanceOf(EngineError);
    expect(seen).toHaveLength(2);
    await expect(collect(engine, mapRequest)).rejects.toMatchObject({ code: 'not-loaded' });
    await engine.load(() => undefined, new AbortController().signal);
    expect(JSON.parse(text(await collect(engine, mapRequest))).findings).toHaveLength(1);
  });

  it('in stream mode pads a map answer to the size asked, as valid JSON with the findings first', async () => {
    const engine = createScriptedEngine('scripted?loadMs=0&rate=100000&piece=64&total=5000&per=3000');
    await engine.load(() => undefined, new AbortController().signal);
    const first = text(await collect(engine, mapRequest));
    // "About" the size: the last sentence may end a few characters past it.
    expect(Math.abs(first.length - 3000)).toBeLessThan(20);
    expect(Object.keys(JSON.parse(first))).toEqual(['findings', 'summary']);
    // What is left of the total (2,000 characters) is the next answer's size.
    const second = text(await collect(engine, mapRequest));
    expect(Math.abs(second.length - 2000)).toBeLessThan(20);
  });
});

describe('ScriptedEngine with a script function', () => {
  it('keeps every request and refuses a prompt over its context window', async () => {
    const engine = new ScriptedEngine({ respond: () => 'ok', contextWindow: 300 });
    expect(text(await collect(engine, { ...mapRequest, maxTokens: 16 }))).toBe('ok');
    await expect(collect(engine, { ...mapRequest, maxTokens: 290 })).rejects.toMatchObject({ code: 'context-exceeded' });
    expect(engine.requests).toHaveLength(2);
  });
});
