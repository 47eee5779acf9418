import { describe, expect, it, vi } from 'vitest';
import { EngineHost } from './engine-host';
import type { BackgroundToContent, FollowUpRequest } from '../protocol';
import type { ChatChunk, ChatRequest, Engine } from '../engine/engine';
import { DEFAULT_SETTINGS } from '../shared/settings';
import { makeDiff, makeFile } from '../review/testing/diff-builder';

/** An engine double (the boundary: a real model) that streams a fixed answer and records its prompts. */
function engine(prompts: ChatRequest[], delayMs = 1): Engine {
  return {
    kind: 'wllama',
    modelId: 'm',
    load: async () => undefined,
    capabilities: () => ({ contextWindow: 4096, structuredOutput: false }),
    async *chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
      prompts.push(request);
      for (const word of ['Because ', 'the ', '**check** ', 'is ', 'loose.']) {
        await new Promise((r) => setTimeout(r, delayMs));
        if (signal.aborted) return;
        yield { type: 'delta', text: word };
      }
    },
    unload: async () => undefined,
  };
}

const request: FollowUpRequest = {
  question: 'why is this a bug?',
  finding: { id: 'f', file: 'src/a.ts', line: 1, severity: 'major', category: 'bug', title: 'Loose check', explanation: 'e', quote: 'q' },
  review: { summary: 'A summary.' },
  diff: makeDiff([makeFile('src/a.ts', [['+export const a = 1;']]), makeFile('src/b.ts', [['+export const b = 2;']])]),
  settings: { ...DEFAULT_SETTINGS, engine: 'wllama', modelId: 'm' },
};

function harness(delayMs?: number) {
  const messages: BackgroundToContent[] = [];
  const prompts: ChatRequest[] = [];
  const host = new EngineHost({ createEngine: async () => engine(prompts, delayMs), post: (_s, m) => messages.push(m), calibrate: false });
  return { host, messages, prompts };
}

describe('follow-up sessions in the engine host', () => {
  it('stream the answer as text and end with followup/done carrying all of it; the prompt shows the finding\'s file', async () => {
    const { host, messages, prompts } = harness();
    host.handle({ kind: 'session/followup', session: 's', request });
    await vi.waitFor(() => expect(messages.at(-1)?.kind).toBe('followup/done'));
    const text = messages.flatMap((m) => (m.kind === 'review/event' && m.event.type === 'text' ? [m.event.delta] : [])).join('');
    expect(text).toBe('Because the **check** is loose.');
    expect(messages.at(-1)).toEqual({ kind: 'followup/done', answer: text });
    const user = prompts[0]!.messages[1]!.content;
    expect(user).toContain('### src/a.ts');
    expect(user).not.toContain('### src/b.ts');
    expect(user).toContain('Finding: Loose check');
    expect(prompts[0]!.jsonSchema).toBeUndefined();
  });

  it('Cancel ends it with review/cancelled and no followup/done', async () => {
    const { host, messages } = harness(30);
    host.handle({ kind: 'session/followup', session: 's', request });
    await vi.waitFor(() => expect(messages.some((m) => m.kind === 'engine/ready')).toBe(true));
    host.handle({ kind: 'session/cancel', session: 's' });
    await vi.waitFor(() => expect(messages.at(-1)?.kind).toBe('review/cancelled'));
    expect(messages.some((m) => m.kind === 'followup/done')).toBe(false);
  });
});
