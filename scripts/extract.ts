/**
 * Print the diff a saved GitHub page shows, with the extension's own extractor. No network.
 *
 *   npm run --silent extract -- <saved-page.html> [--url <page url>] [--json]
 *
 * Prints the unified diff (exit 0), or with --json the PullRequestDiff. A page without a PR
 * diff, or one that shows files but not a single line of them, prints one line saying why to
 * stderr and exits 2; bad usage exits 1. A page cut off before its end (no closing </html>: a
 * saved page that was truncated) prints what it holds and says on stderr that it is partial.
 * The page URL defaults to the page's selected PR tab, canonical link or og:url.
 */
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { serializeUnifiedDiff } from '../src/github/diff-text';
import { extractPullRequestDiffSync, pageUrlFromDocument } from '../src/github/extract';

const USAGE = 'usage: extract <saved-page.html> [--url <page url>] [--json]';

function main(argv: string[]): number {
  let file: string | undefined;
  let url: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json') json = true;
    else if (a === '--url') url = argv[++i];
    else if (a.startsWith('--url=')) url = a.slice('--url='.length);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else if (!file && !a.startsWith('--')) file = a;
    else {
      process.stderr.write(`${USAGE}\n`);
      return 1;
    }
  }
  if (!file) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  let html: string;
  try {
    html = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const { document } = parseHTML(html);
  const pageUrl = url ?? pageUrlFromDocument(document);
  if (!pageUrl) {
    process.stderr.write('the page does not say its URL; pass --url\n');
    return 2;
  }
  const outcome = extractPullRequestDiffSync(document, pageUrl);
  const cutOff = isCutOff(html);
  if (!outcome.ok) {
    process.stderr.write(`${outcome.reason}${cutOff ? ' (the page is cut off: it ends before </html>)' : ''}\n`);
    return 2;
  }
  // Files listed but never loaded carry no line: printing them would be an empty diff.
  if (!outcome.diff.files.some((f) => f.hunks.length > 0 || (f.status !== 'not-loaded' && f.status !== 'too-large'))) {
    const first = outcome.diff.missing[0];
    const why = cutOff ? 'the page is cut off before any diff line (it ends before </html>)' : 'the page shows no file of the diff';
    process.stderr.write(`no diff lines on this page: ${why}${first ? `; ${first.path ?? 'files'} not read (${first.reason})` : ''}\n`);
    return 2;
  }
  if (cutOff) {
    const last = outcome.diff.files.at(-1)?.path ?? '';
    process.stderr.write(`partial diff: the page is cut off (it ends before </html>), so the diff may stop early; the last file read is ${last}\n`);
  }
  if (json) process.stdout.write(JSON.stringify(outcome.diff, null, 2) + '\n');
  else {
    process.stdout.write(serializeUnifiedDiff(outcome.diff.files));
    // What the page did not show, grouped by reason, on stderr so stdout stays a clean diff.
    const byReason = new Map<string, string[]>();
    for (const m of outcome.diff.missing) byReason.set(m.reason, [...(byReason.get(m.reason) ?? []), m.path ?? '(files not listed)']);
    for (const [reason, paths] of byReason) {
      const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? `, … (${paths.length - 5} more)` : '');
      process.stderr.write(`not read (${reason}): ${shown}\n`);
    }
  }
  return 0;
}

/** A saved page that ends before its closing </html> tag was cut off (a truncated save or copy). */
function isCutOff(html: string): boolean {
  return !/<\/html\s*>/i.test(html.slice(-65_536));
}

process.exitCode = main(process.argv.slice(2));
