/**
 * The one place the content script reads a pull request's diff (diff-reader.ts), for a review
 * and for follow-up questions, which pick their hunks from the diff the review read.
 */
import type { PageInfo } from '../github/page-detect';
import type { PageDiff } from '../protocol';
import { readPullRequestDiff, type DiffReadResult } from './diff-reader';

export interface DiffSource {
  /** Reads the diff afresh (a review). */
  read(): Promise<DiffReadResult>;
  /** The diff read last, or a fresh read when there is none yet (a review restored from memory). */
  latest(): Promise<DiffReadResult>;
}

export function createDiffSource(win: Window, page: () => PageInfo): DiffSource {
  let last: PageDiff | null = null;
  const read = async (): Promise<DiffReadResult> => {
    const result = await readPullRequestDiff(win.document, win.location.href, page());
    if ('diff' in result) last = result.diff;
    return result;
  };
  return { read, latest: () => (last ? Promise.resolve({ diff: last }) : read()) };
}
