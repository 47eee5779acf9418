/**
 * The PR's current head commit, read cheaply from the page (without extracting the diff), so a
 * stored review can be shown at once and marked outdated when the PR has moved on.
 */
import { readEmbedded } from '../github/extract-embedded';
import { anyOf, classic } from '../github/selectors';

const SHA = /^[0-9a-f]{40}$/i;

export function readHeadSha(doc: Document): string | undefined {
  for (const el of doc.querySelectorAll(anyOf(classic.comparisonUrl))) {
    const raw = el.getAttribute('src') ?? el.getAttribute('data-url') ?? '';
    try {
      const url = new URL(raw, 'https://github.com');
      const sha = url.searchParams.get('sha2') ?? url.searchParams.get('end_commit_oid');
      if (sha && SHA.test(sha)) return sha.toLowerCase();
    } catch {
      /* not a URL: try the next */
    }
  }
  try {
    const head = readEmbedded(doc).headSha;
    return head && SHA.test(head) ? head.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
