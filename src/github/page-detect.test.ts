import { describe, expect, it } from 'vitest';
import {
  detectPage,
  isCommit,
  isCommitUrls,
  isPRCommit,
  isPRCommitList,
  isPRCommitListUrls,
  isPRCommitUrls,
  isPRConversation,
  isPRConversationUrls,
  isPRFiles,
  isPRFilesUrls,
  noPageUrls,
  prKey,
  viewKey,
} from './page-detect';

const detectors = {
  isPRFiles: [isPRFiles, isPRFilesUrls, 'pr-files'],
  isPRConversation: [isPRConversation, isPRConversationUrls, 'pr-conversation'],
  isPRCommitList: [isPRCommitList, isPRCommitListUrls, 'pr-commits'],
  isPRCommit: [isPRCommit, isPRCommitUrls, 'pr-commit'],
  isCommit: [isCommit, isCommitUrls, 'commit'],
} as const;

describe.each(Object.entries(detectors))('%s', (name, [detector, urls, kind]) => {
  it.each(urls)('accepts %s', (url) => {
    expect(detector(url)).toBe(true);
    expect(detectPage(url)?.kind).toBe(kind);
  });

  it.each(urls)('is the only detector accepting %s', (url) => {
    for (const [other, [otherDetector]] of Object.entries(detectors)) {
      if (other !== name) expect([other, otherDetector(url)]).toEqual([other, false]);
    }
  });
});

describe('pages no detector accepts', () => {
  it.each(noPageUrls)('%s', (url) => {
    for (const [name, [detector]] of Object.entries(detectors)) expect([name, detector(url)]).toEqual([name, false]);
    expect(detectPage(url)).toBeNull();
  });
});

describe('detectPage', () => {
  it('reads owner, repo, number, commit and range', () => {
    expect(detectPage('https://github.com/OctoLinker/testrepo/pull/1/files?w=1#diff-x')).toEqual({
      kind: 'pr-files',
      owner: 'OctoLinker',
      repo: 'testrepo',
      number: 1,
    });
    expect(detectPage('https://github.com/o/r/pull/7/changes/0123ABC..89defab')).toMatchObject({ number: 7, range: '0123abc..89defab' });
    expect(detectPage('https://github.com/o/r/pull/7/files/0123abc')).toMatchObject({ number: 7, sha: '0123abc' });
    expect(detectPage('https://github.com/o/r/pull/7/commits/0123abc')).toMatchObject({ kind: 'pr-commit', number: 7, sha: '0123abc' });
    expect(detectPage('https://github.com/o/my.repo/commit/0123abc')).toEqual({
      kind: 'commit',
      owner: 'o',
      repo: 'my.repo',
      number: null,
      sha: '0123abc',
    });
  });

  it('accepts a URL object and relative paths', () => {
    expect(detectPage(new URL('https://github.com/o/r/pull/2'))?.kind).toBe('pr-conversation');
    expect(detectPage('/o/r/pull/2/files')?.kind).toBe('pr-files');
  });
});

describe('prKey', () => {
  it('is the same for every tab and range of one PR, whatever the case of the names', () => {
    const keys = [
      'https://github.com/Octo/Repo/pull/5',
      'https://github.com/octo/repo/pull/5/files',
      'https://github.com/octo/repo/pull/5/changes/0123abc..89defab',
      'https://github.com/octo/repo/pull/5/commits',
      'https://github.com/octo/repo/pull/5/commits/0123abc',
    ].map((u) => prKey(detectPage(u)!));
    expect(new Set(keys)).toEqual(new Set(['octo/repo#5']));
  });

  it('tells PRs, repositories and commits apart', () => {
    const keys = [
      'https://github.com/o/r/pull/5',
      'https://github.com/o/r/pull/6',
      'https://github.com/o/r2/pull/5',
      'https://github.com/o/r/commit/0123abc',
      'https://github.com/o/r/commit/0123abd',
    ].map((u) => prKey(detectPage(u)!));
    expect(new Set(keys).size).toBe(5);
  });

  it('viewKey separates what is shown within one PR', () => {
    const keys = [
      'https://github.com/o/r/pull/5/files',
      'https://github.com/o/r/pull/5/files/0123abc',
      'https://github.com/o/r/pull/5/files/0123abc..89defab',
    ].map((u) => viewKey(detectPage(u)!));
    expect(new Set(keys).size).toBe(3);
    expect(viewKey(detectPage('https://github.com/o/r/pull/5/files')!)).toBe(viewKey(detectPage('https://github.com/o/r/pull/5/changes')!));
  });
});
