/**
 * The diff of the new commits of a pull request since a reviewed head, from GitHub's compare
 * endpoint, and whether it can be used for an incremental review. Pure: the background fetches.
 *
 * GitHub answers `compare/OLD...NEW.diff` (three dots) with the diff from the merge base of the
 * two commits to NEW. When OLD is an ancestor of NEW (new commits were pushed on top), the merge
 * base is OLD itself, so that diff equals `compare/OLD..NEW.diff` (two dots: OLD's tree to NEW's).
 * After a force-push or a rebase, OLD is no longer an ancestor: the merge base is older and the
 * two answers differ; when GitHub no longer has OLD at all it answers 404 (422 for a range it
 * cannot compare). In each of those cases the review falls back to a full review and says why.
 */
import type { DiffFile, PullRequestRef } from '../model/diff';
import { parseUnifiedDiff } from './diff-text';
import { repoBase } from './diff-completion';

const SHA = /^[0-9a-f]{7,40}$/i;

/** The two compare URLs for OLD → NEW, or null when the parts are not safe to put in a URL. */
export function compareDiffUrls(ref: Pick<PullRequestRef, 'owner' | 'repo'>, base: string, head: string): { threeDot: string; twoDot: string } | null {
  const repo = repoBase(ref);
  if (!repo || !SHA.test(base) || !SHA.test(head)) return null;
  const root = `https://github.com/${repo}/compare`;
  return { threeDot: `${root}/${base}...${head}.diff`, twoDot: `${root}/${base}..${head}.diff` };
}

/** What one fetch gave: an HTTP status and, when it was OK, the body. */
export interface FetchedText {
  status: number;
  text?: string;
}

export type CompareOutcome = { ok: true; files: DiffFile[] } | { ok: false; reason: string };

const short = (sha: string) => sha.slice(0, 7);

/** Files as comparable data (the source tag aside). */
function shape(files: DiffFile[]): string {
  return JSON.stringify(files.map((f) => [f.path, f.oldPath ?? null, f.status, f.hunks]));
}

/** Decides from GitHub's two answers whether the new commits' diff can be reviewed alone. */
export function decideCompare(threeDot: FetchedText, twoDot: FetchedText, base: string, head: string): CompareOutcome {
  const gone = `the reviewed commit ${short(base)} is no longer part of this pull request (force-push or rebase)`;
  if (threeDot.status === 404 || threeDot.status === 422) return { ok: false, reason: `${gone}: GitHub answered ${threeDot.status} for the comparison` };
  if (threeDot.status !== 200 || threeDot.text === undefined) {
    return { ok: false, reason: threeDot.status === 0 ? 'GitHub could not be reached for the new commits' : `GitHub answered ${threeDot.status} for the new commits` };
  }
  const files = parseUnifiedDiff(threeDot.text, 'diff-endpoint');
  if (twoDot.status !== 200 || twoDot.text === undefined) return { ok: false, reason: `${gone}: GitHub answered ${twoDot.status} comparing the two heads` };
  if (shape(files) !== shape(parseUnifiedDiff(twoDot.text, 'diff-endpoint'))) {
    return { ok: false, reason: `${gone}: ${short(head)} does not build on it` };
  }
  if (files.length === 0) return { ok: false, reason: `the new commits ${short(base)}…${short(head)} change no file` };
  return { ok: true, files };
}
