/**
 * Which GitHub page is this? Pure functions of the URL; query strings and hashes never matter.
 *
 * Each detector is followed by the URLs it must accept. `page-detect.test.ts` checks every URL
 * against its own detector and checks that all the other detectors reject it.
 */

export type PageKind = 'pr-files' | 'pr-conversation' | 'pr-commits' | 'pr-commit' | 'commit';

export interface PageInfo {
  kind: PageKind;
  owner: string;
  repo: string;
  /** PR number; null on a repository commit page. */
  number: number | null;
  /** A single commit: the commit page's SHA, a PR commit's SHA, or `/pull/N/files/SHA`. */
  sha?: string;
  /** `A..B` of `/pull/N/files/A..B` or `/pull/N/changes/A..B`. */
  range?: string;
}

const SHA = '[0-9a-f]{7,40}';
const RANGE = `${SHA}\\.{2,3}${SHA}`;
// Owner and repository names GitHub allows; `.`-only names are not repositories.
const NAME = '[\\w.-]+';

const PR_FILES = new RegExp(`^/(${NAME})/(${NAME})/pull/(\\d+)/(?:files|changes)(?:/(${RANGE}|${SHA}))?/?$`, 'i');
const PR_CONVERSATION = new RegExp(`^/(${NAME})/(${NAME})/pull/(\\d+)/?$`, 'i');
const PR_COMMITS = new RegExp(`^/(${NAME})/(${NAME})/pull/(\\d+)/commits/?$`, 'i');
const PR_COMMIT = new RegExp(`^/(${NAME})/(${NAME})/pull/(\\d+)/commits/(${SHA})/?$`, 'i');
const COMMIT = new RegExp(`^/(${NAME})/(${NAME})/commit/(${SHA})/?$`, 'i');

/** Hosts that serve other things under github.com-like paths. */
const OTHER_HOSTS = /^(gist|api|raw|codeload|objects|patch-diff|render)\./i;

function pathOf(url: string | URL): string | null {
  try {
    const u = typeof url === 'string' ? new URL(url, 'https://github.com') : url;
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    if (OTHER_HOSTS.test(u.hostname)) return null;
    return decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
}

function matches(re: RegExp, url: string | URL): RegExpExecArray | null {
  const path = pathOf(url);
  return path === null ? null : re.exec(path);
}

/** "Files changed": classic `/files`, React `/changes`, optionally one commit or a range. */
export const isPRFiles = (url: string | URL): boolean => matches(PR_FILES, url) !== null;
export const isPRFilesUrls = [
  'https://github.com/OctoLinker/testrepo/pull/1/files',
  'https://github.com/sindresorhus/refined-github/pull/148/files/',
  'https://github.com/sindresorhus/refined-github/pull/148/files#diff-9d29e3b9c0b5e1d6a1c8e1',
  'https://github.com/sindresorhus/refined-github/pull/148/files?w=1&diff=split',
  'https://github.com/facebook/react.js/pull/27000/changes',
  'https://github.com/facebook/react/pull/27000/changes/',
  'https://github.com/o/r/pull/7/files/0123abc',
  'https://github.com/o/r/pull/7/files/00cb0c6b2f8bb8d3e1e4d6e8e5e3c1f2a9b8c7d6',
  'https://github.com/o/r/pull/7/files/0123abc..89defab',
  'https://github.com/o/r/pull/7/changes/0123abc..89defab',
  'https://github.com/o/r/pull/7/changes/0123abc...89defab',
];

/** The Conversation tab. Its review-thread snippets are not the PR's diff. */
export const isPRConversation = (url: string | URL): boolean => matches(PR_CONVERSATION, url) !== null;
export const isPRConversationUrls = [
  'https://github.com/OctoLinker/testrepo/pull/1',
  'https://github.com/OctoLinker/testrepo/pull/1/',
  'https://github.com/OctoLinker/testrepo/pull/1#issuecomment-123',
  'https://github.com/OctoLinker/testrepo/pull/1?notification_referrer_id=abc',
];

/** The list of a PR's commits (no diff on it). */
export const isPRCommitList = (url: string | URL): boolean => matches(PR_COMMITS, url) !== null;
export const isPRCommitListUrls = ['https://github.com/o/r/pull/7/commits', 'https://github.com/o/r/pull/7/commits/'];

/** One commit of a PR, shown with the PR's diff markup. */
export const isPRCommit = (url: string | URL): boolean => matches(PR_COMMIT, url) !== null;
export const isPRCommitUrls = [
  'https://github.com/o/r/pull/7/commits/0123abc',
  'https://github.com/o/r/pull/7/commits/00cb0c6b2f8bb8d3e1e4d6e8e5e3c1f2a9b8c7d6#diff-abc',
];

/** A repository commit page; same diff markup as a PR. */
export const isCommit = (url: string | URL): boolean => matches(COMMIT, url) !== null;
export const isCommitUrls = [
  'https://github.com/OctoLinker/testrepo/commit/b0775a9',
  'https://github.com/TingGeorge/excalidraw-github-extension-on-chrome/commit/2fa8000d4f1e1b5a3c2d7e6f8a9b0c1d2e3f4a5b',
  'https://github.com/o/r/commit/0123abc/?diff=unified',
];

/** URLs that are none of the pages above. */
export const noPageUrls = [
  'https://github.com/',
  'https://github.com/o',
  'https://github.com/o/r',
  'https://github.com/o/r/',
  'https://github.com/o/r/issues/3',
  'https://github.com/o/r/issues',
  'https://github.com/o/r/pulls',
  'https://github.com/o/r/commits/main',
  'https://github.com/o/r/commits',
  'https://github.com/o/r/compare/main...feature',
  'https://github.com/o/r/pull/7/checks',
  'https://github.com/o/r/pull/7.diff',
  'https://github.com/o/r/pull/7/files/not-a-sha',
  'https://github.com/o/r/pull/abc/files',
  'https://github.com/o/r/commit/0123abc.diff',
  'https://github.com/o/r/commit/main',
  'https://github.com/o/r/blob/main/pull/7/files',
  'https://github.com/o/r/tree/main/pull/7',
  'https://gist.github.com/o/0123abc',
  'https://gist.github.com/o/r/pull/7/files',
  'https://api.github.com/repos/o/r/pulls/7/files',
  'not a url at all',
  'file:///o/r/pull/7/files',
];

/** Everything the content script needs to know about the page, or null for pages it ignores. */
export function detectPage(url: string | URL): PageInfo | null {
  let m = matches(PR_FILES, url);
  if (m) {
    const info = base('pr-files', m, Number(m[3]));
    const rev = m[4];
    if (rev) {
      if (rev.includes('..')) info.range = rev.toLowerCase();
      else info.sha = rev.toLowerCase();
    }
    return info;
  }
  m = matches(PR_CONVERSATION, url);
  if (m) return base('pr-conversation', m, Number(m[3]));
  m = matches(PR_COMMITS, url);
  if (m) return base('pr-commits', m, Number(m[3]));
  m = matches(PR_COMMIT, url);
  if (m) return { ...base('pr-commit', m, Number(m[3])), sha: (m[4] ?? '').toLowerCase() };
  m = matches(COMMIT, url);
  if (m) return { ...base('commit', m, null), sha: (m[3] ?? '').toLowerCase() };
  return null;
}

function base(kind: PageKind, m: RegExpExecArray, number: number | null): PageInfo {
  return { kind, owner: m[1] ?? '', repo: m[2] ?? '', number };
}

/**
 * Stable key for "which PR (or repository commit) is this": every tab and range of one PR
 * shares it, and GitHub's case-insensitive owner/repo names are folded.
 */
export function prKey(info: Pick<PageInfo, 'owner' | 'repo' | 'number' | 'sha'>): string {
  const repo = `${info.owner}/${info.repo}`.toLowerCase();
  if (info.number !== null) return `${repo}#${info.number}`;
  return `${repo}@${(info.sha ?? '').toLowerCase()}`;
}

/** Like prKey, but also tells apart what the page shows (one commit of the PR, a range). */
export function viewKey(info: PageInfo): string {
  const key = prKey(info);
  if (info.number === null) return key;
  if (info.range) return `${key}/${info.range}`;
  if (info.sha) return `${key}@${info.sha}`;
  return key;
}
