// Node has no IndexedDB; fake-indexeddb implements the spec in memory. That is the test boundary.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Review } from '../model/review';
import { DEFAULT_SETTINGS } from './settings';
import { createReviewStore, reviewSettingsHash, type ReviewKey, type ReviewStore } from './review-store';

let dbCounter = 0;
const stores: ReviewStore[] = [];
function freshStore(maxReviews?: number): ReviewStore {
  const store = createReviewStore({ dbName: `test-reviews-${++dbCounter}`, ...(maxReviews ? { maxReviews } : {}) });
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function review(summary: string): Review {
  return {
    summary,
    risks: [],
    changes: [],
    walkthrough: [],
    findings: [{ id: 'f1', file: 'a.ts', line: 1, severity: 'minor', category: 'bug', title: 't', explanation: 'e', quote: 'q' }],
    coverage: [{ path: 'a.ts', coverage: 'full' }],
    truncated: false,
    stats: {
      modelCalls: 2,
      promptTokens: 100,
      completionTokens: 50,
      dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 },
      elapsedMs: 1000,
    },
  };
}

const key: ReviewKey = { owner: 'octo', repo: 'app', number: 7, headSha: 'aaa111', modelId: 'qwen', settingsHash: 'h1' };

describe('review store', () => {
  it('saves and reads back a review by its key', async () => {
    const store = freshStore();
    await store.saveReview(key, review('first'), 1000);
    const stored = await store.getReview(key);
    expect(stored?.review.summary).toBe('first');
    expect(stored?.savedAt).toBe(1000);
    expect(stored?.review.findings[0]?.id).toBe('f1');
    expect(await store.getReview({ ...key, modelId: 'other' })).toBeUndefined();
    expect(await store.getReview({ ...key, settingsHash: 'h2' })).toBeUndefined();
  });

  it('keeps one review per key: a new review replaces the old', async () => {
    const store = freshStore();
    await store.saveReview(key, review('first'), 1);
    await store.saveReview({ ...key, owner: 'Octo' }, review('second'), 2);
    const all = await store.listReviews();
    expect(all).toHaveLength(1);
    expect(all[0]?.review.summary).toBe('second');
  });

  it('finds the review for the current head, or the newest older one marked outdated', async () => {
    const store = freshStore();
    await store.saveReview({ ...key, headSha: 'old' }, review('at old'), 1);
    await store.saveReview({ ...key, headSha: 'older', modelId: 'x' }, review('at older'), 0);
    await store.saveReview({ ...key, number: 8, headSha: 'new' }, review('other PR'), 5);

    const outdated = await store.getLatestForPr('octo', 'app', 7, 'new');
    expect(outdated?.review.summary).toBe('at old');
    expect(outdated?.outdated).toBe(true);

    await store.saveReview({ ...key, headSha: 'new' }, review('at new'), 3);
    // Even when an older-commit review was saved later, the one at the current head wins.
    await store.saveReview({ ...key, headSha: 'old', modelId: 'y' }, review('old again'), 4);
    const current = await store.getLatestForPr('Octo', 'App', 7, 'new');
    expect(current?.review.summary).toBe('at new');
    expect(current?.outdated).toBe(false);

    expect(await store.getLatestForPr('octo', 'app', 99, 'new')).toBeUndefined();
  });

  it('lists newest first, deletes by id, and exports JSON', async () => {
    const store = freshStore();
    const a = await store.saveReview({ ...key, headSha: 'a' }, review('A'), 1);
    await store.saveReview({ ...key, headSha: 'b' }, review('B'), 2);
    expect((await store.listReviews()).map((r) => r.review.summary)).toEqual(['B', 'A']);

    const exported = JSON.parse(await store.exportReviews(Date.UTC(2026, 0, 1)));
    expect(exported.format).toBe('local-pr-review/reviews');
    expect(exported.exportedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(exported.reviews.map((r: { review: Review }) => r.review.summary)).toEqual(['B', 'A']);
    expect(exported.reviews[0]).not.toHaveProperty('pr');

    await store.deleteReview(a.id);
    expect((await store.listReviews()).map((r) => r.review.summary)).toEqual(['B']);
  });

  it('drops the oldest reviews beyond the limit', async () => {
    const store = freshStore(3);
    for (let i = 0; i < 5; i++) await store.saveReview({ ...key, headSha: `sha${i}` }, review(`r${i}`), i);
    expect((await store.listReviews()).map((r) => r.review.summary)).toEqual(['r4', 'r3', 'r2']);
  });

  it('persists across store instances on the same database', async () => {
    const name = `test-reviews-persist-${++dbCounter}`;
    const first = createReviewStore({ dbName: name });
    await first.saveReview(key, review('kept'), 1);
    first.close();
    const second = createReviewStore({ dbName: name });
    stores.push(second);
    expect((await second.getReview(key))?.review.summary).toBe('kept');
  });
});

describe('reviewSettingsHash', () => {
  const base = { depth: DEFAULT_SETTINGS.depth, language: 'English', customInstructions: 'Be brief.', ignorePatterns: ['dist/**', '*.snap'] };

  it('is stable for the same settings and ignores pattern order, duplicates and outer whitespace', () => {
    expect(reviewSettingsHash(base)).toMatch(/^[0-9a-f]{16}$/);
    expect(reviewSettingsHash(base)).toBe(reviewSettingsHash({ ...base }));
    expect(reviewSettingsHash({ ...base, ignorePatterns: ['*.snap', 'dist/**', ' dist/** '], language: ' English ' })).toBe(
      reviewSettingsHash(base),
    );
  });

  it('changes when a setting that shapes the review changes', () => {
    const h = reviewSettingsHash(base);
    expect(reviewSettingsHash({ ...base, depth: 'quick' })).not.toBe(h);
    expect(reviewSettingsHash({ ...base, language: 'Deutsch' })).not.toBe(h);
    expect(reviewSettingsHash({ ...base, customInstructions: 'Be thorough.' })).not.toBe(h);
    expect(reviewSettingsHash({ ...base, ignorePatterns: ['dist/**'] })).not.toBe(h);
  });
});

describe('follow-up answers', () => {
  it('are kept with the newest review at their head, not with the review of another head', async () => {
    const store = freshStore();
    await store.saveReview(key, review('at aaa'), 1);
    await store.saveReview({ ...key, headSha: 'bbb222' }, review('at bbb'), 2);
    const followUp = { question: 'why?', findingId: 'f1', answer: 'Because.', askedAt: 3 };
    expect(await store.addFollowUp('Octo', 'App', 7, 'AAA111', followUp)).toBe(true);
    expect((await store.getReview(key))?.review.followUps).toEqual([followUp]);
    expect((await store.getReview({ ...key, headSha: 'bbb222' }))?.review.followUps).toBeUndefined();
    await store.addFollowUp('octo', 'app', 7, 'aaa111', { ...followUp, question: 'and?' });
    expect((await store.getReview(key))?.review.followUps?.map((f) => f.question)).toEqual(['why?', 'and?']);
  });

  it('say so when there is no review at that head', async () => {
    const store = freshStore();
    expect(await store.addFollowUp('octo', 'app', 7, 'ccc', { question: 'q', answer: 'a', askedAt: 1 })).toBe(false);
  });
});
