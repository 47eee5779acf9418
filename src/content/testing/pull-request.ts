/**
 * A pull request open in a test tab: the saved classic "Files changed" page of OctoLinker/testrepo#1
 * with the content script started on it, and a fake background that answers like the real one
 * (settings with a model chosen, no stored review, Markdown lexed to nothing, GitHub's `.diff`).
 */
import { expect } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import type { Finding, Review } from '../../model/review';
import type { BackgroundToContent } from '../../protocol';
import { startPageController } from '../page-controller';
import { installFakeExtension, type FakeExtension, type FakePort } from './fake-extension';
import { githubPage, ours, panelOf, press, settle, type TestPage, until } from './github-page';

export const PR_URL = 'https://github.com/OctoLinker/testrepo/pull/1/files';
export const PR_PAGE = 'OctoLinker__pull-diff_testrepo-1.html';
export const CHANGED_FILE = 'sourcereader/popular-cat-names.js';
export const SETTINGS: Settings = { ...DEFAULT_SETTINGS, engine: 'wllama', modelId: 'tiny-coder' };
export const HEAD_SHA = '9981d1a9ffffffffffffffffffffffffffffffff';

export function finding(extra: Partial<Finding> = {}): Finding {
  return {
    id: 'f1',
    file: CHANGED_FILE,
    line: 3,
    severity: 'major',
    category: 'bug',
    title: 'Kitt is not a cat name',
    explanation: 'The list is of cat names.',
    quote: 'Kitt',
    ...extra,
  };
}

export function review(findings: Finding[] = [finding()], extra: Partial<Review> = {}): Review {
  return {
    summary: 'Renames a cat.',
    risks: [],
    changes: ['Tigger becomes Kitt'],
    walkthrough: [{ path: CHANGED_FILE, summary: 'one name changed' }],
    findings,
    coverage: [{ path: CHANGED_FILE, coverage: 'full' }],
    truncated: false,
    stats: { modelCalls: 1, promptTokens: 10, completionTokens: 10, dropped: { notInDiff: 0, ambiguous: 0, duplicate: 0, overCap: 0, belowThreshold: 0, unparseable: 0 }, elapsedMs: 5 },
    ...extra,
  };
}

/** The answers of a background with a model chosen and nothing stored yet. */
export function answerLikeTheBackground(ext: FakeExtension, settings: Settings = SETTINGS): void {
  ext.answer('settings/get', () => settings);
  ext.answer('reviews/latest', () => ({ ok: true, value: null }));
  ext.answer('reviews/save', (request) => ({ ok: true, value: { ...request.key, settingsHash: 'h', id: 'id', savedAt: 1, review: request.review } }));
  ext.answer('reviews/markdown', (request) => ({ ok: true, value: `## Review\n\n${request.review.summary}` }));
  ext.answer('markdown/lex', (request) => ({ tokens: request.sources.map(() => null) }));
  ext.answer('keepalive', () => ({ ok: true }));
  ext.answer('options/open', () => ({ ok: true }));
}

export interface OpenPullRequest {
  page: TestPage;
  ext: FakeExtension;
  stop: AbortController;
  /** The panel as the user sees it (null while closed). */
  panel(): Element | null;
  phase(): string | null;
  /** An element of the panel by its test id. */
  find(testId: string): Element | null;
  button(): Element | null;
  /** Clicks Local review and waits for the review's Port to open. */
  startReview(): Promise<FakePort>;
  /** The background streams these on the review's Port. */
  send(port: FakePort, ...messages: BackgroundToContent[]): void;
  /** Runs a review to its end with this result. */
  reviewed(result?: Review): Promise<FakePort>;
}

export async function openPullRequest(setup: (ext: FakeExtension) => void = () => undefined, url = PR_URL): Promise<OpenPullRequest> {
  const page = githubPage(PR_PAGE, url);
  const ext = installFakeExtension();
  answerLikeTheBackground(ext);
  setup(ext);
  const stop = new AbortController();
  startPageController(page.window, stop.signal);
  await settle();
  const pr: OpenPullRequest = {
    page,
    ext,
    stop,
    panel: () => panelOf(page.document),
    phase: () => pr.panel()?.getAttribute('data-phase') ?? null,
    find: (testId) => pr.panel()?.querySelector(`[data-testid="${testId}"]`) ?? null,
    button: () => ours(page.document, 'button')?.querySelector('button') ?? null,
    async startReview() {
      const before = ext.ports.length;
      press(pr.button());
      await until(() => expect(ext.ports.length).toBeGreaterThan(before));
      return ext.lastPort();
    },
    send(port, ...messages) {
      for (const message of messages) port.send(message);
    },
    async reviewed(result = review()) {
      const port = await pr.startReview();
      pr.send(port, { kind: 'review/event', event: { type: 'done', review: result } });
      await until(() => expect(pr.phase()).toBe('done'));
      return port;
    },
  };
  return pr;
}
