/**
 * The one shape a pull request's diff takes inside local-pr-review.
 *
 * Every extractor (classic DOM, React DOM, embedded page data, the `.diff` endpoint) produces it,
 * and the review pipeline only ever reads it. It is plain data (structured-clone safe) because it
 * crosses from the content script to the engine host.
 */

/** Where a file's lines were read from. */
export type DiffSource = 'classic-dom' | 'react-dom' | 'embedded-data' | 'diff-endpoint' | 'rest-api' | 'diff-text';

export type FileStatus =
  | 'added'
  | 'modified'
  | 'deleted'
  | 'renamed'
  | 'binary'
  | 'mode-only'
  /** GitHub refused to render it (too large); lines may be missing. */
  | 'too-large'
  /** Listed on the page but its lines were never loaded. */
  | 'not-loaded';

export type LineKind = 'context' | 'addition' | 'deletion';

export interface DiffLine {
  kind: LineKind;
  /** Line number on the old side; null for additions. */
  oldNumber: number | null;
  /** Line number on the new side; null for deletions. */
  newNumber: number | null;
  /** The line's text without the leading marker and without a trailing newline. */
  text: string;
  /** True when the file has "\ No newline at end of file" right after this line. */
  noNewlineAtEnd?: boolean;
}

export interface DiffHunk {
  /** The whole `@@ -a,b +c,d @@ section` line. */
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

export interface DiffFile {
  /** Path on the new side (for deletions, the deleted path). */
  path: string;
  /** Path on the old side when it differs (renames). */
  oldPath?: string;
  status: FileStatus;
  /** Set alongside status 'renamed' when the rename also changed content, or for binary files etc. */
  hunks: DiffHunk[];
  source: DiffSource;
  /** Lines added/removed as GitHub reports them, when known without the hunks (not-loaded files). */
  additions?: number;
  deletions?: number;
  oldMode?: string;
  newMode?: string;
}

export interface MissingPart {
  /** The file's path, or null when what is missing is not one file (e.g. "files after 300"). */
  path: string | null;
  reason: string;
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  /** PR number; null on commit pages. */
  number: number | null;
  baseSha?: string;
  headSha?: string;
}

export interface PullRequestDiff {
  ref: PullRequestRef;
  files: DiffFile[];
  /** Everything the extractor knows it could not get, and why. Empty means complete. */
  missing: MissingPart[];
}
