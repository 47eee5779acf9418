// Node has no IndexedDB; fake-indexeddb implements the spec in memory. That is the test boundary.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Review } from '../model/review';
import type { RequestOf } from '../protocol';
import { dispatch } from '../messaging/handlers';
import { memoryHandlers } from './review-memory';

const SETTINGS = { depth: 'thorough' as const, language: 'English', customInstructions: '', ignorePatterns: [] };

function review(summary: string, notes: string[] = []): Review {
  return {
    summary,
    risks: [],
    changes: [],
    walkthrough: [],
    findings: [{ id: 'f1', file: 'src/a.ts', line: 3, severity: 'major', category: 'bug', title: 'Off by one', explanation: 'The loop skips the last item.', quote: 'i < n - 1' }],
    coverage: [{ path: 'src/a.ts', coverage: 'full' }],
    truncated: false,
    notes,
    stats: { modelCalls: 1, promptTokens: 10, completionTokens: 5, elapsedMs: 100, dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 } },
  };
}

/** Asks the handlers as the background's listener does: one request, its own reply type. */
const handlers = memoryHandlers(async () => ({ modelId: 'https://models.internal.example/qwen/coder.gguf', modelHosts: { webllm: '', wllama: 'https://mirror.corp.example' } }));
const ask = <K extends keyof typeof handlers>(request: RequestOf<K>) => dispatch(handlers, request);

function save(number: number, headSha: string, summary: string) {
  return ask({ kind: 'reviews/save', key: { owner: 'octo', repo: 'app', number, headSha, modelId: 'qwen' }, settings: SETTINGS, review: review(summary) });
}

describe('review memory in the background', () => {
  it('a saved review is found again for its PR, and marked outdated once the PR has new commits', async () => {
    expect(await save(1, 'aaa', 'First look')).toMatchObject({ ok: true });
    const same = await ask({ kind: 'reviews/latest', owner: 'octo', repo: 'app', number: 1, headSha: 'aaa' });
    expect(same).toMatchObject({ ok: true, value: { headSha: 'aaa', outdated: false, review: { summary: 'First look' } } });
    const later = await ask({ kind: 'reviews/latest', owner: 'octo', repo: 'app', number: 1, headSha: 'bbb' });
    expect(later).toMatchObject({ ok: true, value: { headSha: 'aaa', outdated: true } });
    expect(await ask({ kind: 'reviews/latest', owner: 'octo', repo: 'app', number: 404 })).toEqual({ ok: true, value: null });
  });

  it('keeps a follow-up answer with the review at that commit, and says so when there is none', async () => {
    await save(2, 'ccc', 'Second');
    const followUp = { question: 'Why?', findingId: 'f1', answer: 'Because the bound is exclusive.', askedAt: 1 };
    expect(await ask({ kind: 'reviews/follow-up', owner: 'octo', repo: 'app', number: 2, headSha: 'ccc', followUp })).toEqual({ ok: true, value: null });
    const kept = await ask({ kind: 'reviews/latest', owner: 'octo', repo: 'app', number: 2, headSha: 'ccc' });
    expect(kept.ok && kept.value?.review.followUps).toEqual([followUp]);
    expect(await ask({ kind: 'reviews/follow-up', owner: 'octo', repo: 'app', number: 2, headSha: 'zzz', followUp })).toEqual({
      ok: false,
      message: 'there is no saved review at this commit to keep it with',
    });
  });

  it('lists, exports and deletes what it keeps', async () => {
    const saved = await save(3, 'ddd', 'Third');
    if (!saved.ok) throw new Error(saved.message);
    const listed = await ask({ kind: 'reviews/list' });
    expect(listed.ok && listed.value.map((r) => r.review.summary)).toContain('Third');
    const exported = await ask({ kind: 'reviews/export' });
    expect(exported.ok && exported.value).toContain('"summary": "Third"');
    expect(await ask({ kind: 'reviews/delete', id: saved.value.id })).toEqual({ ok: true, value: null });
    expect(await ask({ kind: 'reviews/latest', owner: 'octo', repo: 'app', number: 3 })).toEqual({ ok: true, value: null });
  });

  it("publishes a review as Markdown naming the model, never where it was downloaded from", async () => {
    const withNote = review('Looks fine', ['The engine failed once: could not fetch https://mirror.corp.example/qwen/coder.gguf']);
    const markdown = await ask({ kind: 'reviews/markdown', review: withNote, dismissedIds: [], modelName: 'https://models.internal.example/qwen/coder.gguf', headSha: 'abcdef1234' });
    if (!markdown.ok) throw new Error(markdown.message);
    expect(markdown.value).toContain('Looks fine');
    expect(markdown.value).toContain('coder');
    expect(markdown.value).toContain('Off by one');
    expect(markdown.value).not.toContain('models.internal.example');
    expect(markdown.value).not.toContain('mirror.corp.example');
    // A dismissed finding is left out.
    const dismissed = await ask({ kind: 'reviews/markdown', review: withNote, dismissedIds: ['f1'] });
    expect(dismissed.ok && dismissed.value).not.toContain('Off by one');
  });
});
