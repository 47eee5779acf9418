/**
 * Decides which files of a diff the model sees. Everything left out is listed with a reason a
 * user can read, so a review never silently ignores a file.
 */
import type { DiffFile, PullRequestDiff } from '../model/diff';
import type { FileCoverage } from '../model/review';
import { compileGlobs } from './glob';

/**
 * Files no reviewer reads line by line. Directory patterns match at any depth (monorepos have
 * `packages/x/dist/`), except `/build/` and `/coverage/`, anchored at the root because nested
 * `build/` folders often hold real build scripts. `*.d.ts` is deliberately NOT here: hand-written
 * declaration files are contracts worth reviewing, and generated ones normally live under
 * `dist/`, `build/` or `generated/`, which are.
 */
export const DEFAULT_IGNORE_RULES: readonly { patterns: readonly string[]; reason: string }[] = [
  {
    patterns: ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', '*.lock', 'go.sum'],
    reason: 'lock file',
  },
  { patterns: ['*.min.js', '*.min.mjs', '*.min.css'], reason: 'minified file' },
  { patterns: ['*.map'], reason: 'source map' },
  { patterns: ['*.snap', '__snapshots__/'], reason: 'test snapshot' },
  { patterns: ['node_modules/', 'vendor/', 'bower_components/'], reason: 'vendored dependency' },
  { patterns: ['dist/', '/build/', '.next/', '/coverage/'], reason: 'build output' },
  {
    patterns: ['generated/', '__generated__/', '*.generated.*', '*.pb.go', '*_pb2.py', '*.g.dart'],
    reason: 'generated file',
  },
  {
    patterns: ['*.png', '*.jpg', '*.jpeg', '*.gif', '*.webp', '*.ico', '*.bmp', '*.tif', '*.tiff', '*.avif', '*.svg'],
    reason: 'image',
  },
  {
    patterns: [
      '*.woff', '*.woff2', '*.ttf', '*.otf', '*.eot', '*.mp3', '*.mp4', '*.webm', '*.wav', '*.ogg',
      '*.pdf', '*.zip', '*.gz', '*.tgz', '*.jar', '*.wasm', '*.exe', '*.dll', '*.so', '*.dylib',
    ],
    reason: 'binary file',
  },
];

const defaultSets = DEFAULT_IGNORE_RULES.map((rule) => ({ set: compileGlobs(rule.patterns, { nocase: true }), reason: rule.reason }));

export interface FilterResult {
  /** Files to review, in diff order. */
  reviewable: DiffFile[];
  /** Files left out: skipped (with reason) or not loaded. */
  excluded: FileCoverage[];
  /** Reviewable files whose diff is known to be incomplete, with why. */
  incomplete: Map<string, string>;
  /** What is missing that is not one file (e.g. "files after 300"), for the review's notes. */
  notes: string[];
}

function changedLines(file: DiffFile): number {
  let n = 0;
  for (const h of Array.isArray(file.hunks) ? file.hunks : []) {
    for (const l of Array.isArray(h?.lines) ? h.lines : []) if (l && l.kind !== 'context') n++;
  }
  return n;
}

/** Why a file is not reviewed because of its status, or null when its status is reviewable. */
function statusReason(file: DiffFile): string | null {
  switch (file.status) {
    case 'binary':
      return 'binary file';
    case 'deleted':
      return 'deleted file: no new lines to review';
    case 'mode-only':
      return 'file mode change only';
    default:
      break;
  }
  if (changedLines(file) === 0) {
    return file.status === 'renamed' ? 'renamed without content changes' : 'no changed lines';
  }
  return null;
}

/**
 * Drops malformed hunks and lines (the diff comes from page scraping) so everything downstream can
 * trust the shape: lines with a known kind and string text, numbers where the kind needs them.
 */
function sanitizeFile(file: DiffFile): DiffFile {
  const hunks = (Array.isArray(file.hunks) ? file.hunks : [])
    .filter((h) => h && Array.isArray(h.lines))
    .map((h) => ({
      ...h,
      header: typeof h.header === 'string' ? h.header : '@@',
      lines: h.lines.filter(
        (l) =>
          l &&
          typeof l.text === 'string' &&
          (l.kind === 'deletion' || ((l.kind === 'addition' || l.kind === 'context') && Number.isInteger(l.newNumber))),
      ),
    }));
  return { ...file, hunks };
}

/** A well-formed copy of whatever the extractor produced. */
export function sanitizeDiff(diff: PullRequestDiff | null | undefined): PullRequestDiff {
  // Typed as the extractor's shape, yet every field is checked below: it crossed a message boundary.
  const d: Partial<PullRequestDiff> = diff ?? {};
  return {
    ref: d.ref && typeof d.ref === 'object' ? d.ref : { owner: '', repo: '', number: null },
    files: (Array.isArray(d.files) ? d.files : []).filter((f) => f && typeof f.path === 'string').map(sanitizeFile),
    missing: (Array.isArray(d.missing) ? d.missing : []).filter(
      (m) => m && typeof m.reason === 'string' && (m.path === null || typeof m.path === 'string'),
    ),
  };
}

export function filterFiles(diff: PullRequestDiff, ignorePatterns: readonly string[]): FilterResult {
  const user = compileGlobs(ignorePatterns ?? []);
  const missingByPath = new Map<string, string>();
  const notes: string[] = [];
  for (const m of diff.missing ?? []) {
    if (m.path === null) notes.push(m.reason);
    else missingByPath.set(m.path, m.reason);
  }

  const reviewable: DiffFile[] = [];
  const excluded: FileCoverage[] = [];
  const incomplete = new Map<string, string>();
  const seen = new Set<string>();

  for (const raw of diff.files ?? []) {
    if (!raw || typeof raw.path !== 'string' || seen.has(raw.path)) continue;
    const file = sanitizeFile(raw);
    seen.add(file.path);
    const path = file.path;
    const missing = missingByPath.get(path);
    const empty = changedLines(file) === 0;

    if (file.status === 'not-loaded' || (file.status === 'too-large' && empty)) {
      excluded.push({
        path,
        coverage: 'not-loaded',
        reason: missing ?? (file.status === 'too-large' ? 'GitHub did not render this diff (too large)' : 'its lines were not loaded'),
      });
      continue;
    }
    const byStatus = statusReason(file);
    if (byStatus) {
      excluded.push({ path, coverage: 'skipped', reason: byStatus });
      continue;
    }
    const rule = defaultSets.find((r) => r.set.match(path) !== null);
    if (rule) {
      excluded.push({ path, coverage: 'skipped', reason: rule.reason });
      continue;
    }
    const pattern = user.match(path);
    if (pattern !== null) {
      excluded.push({ path, coverage: 'skipped', reason: `matches your ignore pattern \`${pattern}\`` });
      continue;
    }
    if (missing) incomplete.set(path, missing);
    else if (file.status === 'too-large') incomplete.set(path, 'GitHub showed only part of this diff');
    reviewable.push(file);
  }

  // Missing parts named by path but absent from the file list are still files the user should see.
  for (const [path, reason] of missingByPath) {
    if (!seen.has(path)) {
      seen.add(path);
      excluded.push({ path, coverage: 'not-loaded', reason });
    }
  }
  for (const bad of user.invalid) notes.push(`Ignore pattern \`${bad.pattern}\` is not a valid glob and was not applied.`);
  return { reviewable, excluded, incomplete, notes };
}
