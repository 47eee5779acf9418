/**
 * GitHub's REST list of a PR's (or commit's) files, as DiffFiles: the last resort when the `.diff`
 * endpoint refuses a large PR. Runs in the background, next to the fetch, so the content script
 * carries no diff parser.
 */
import type { DiffFile, FileStatus, MissingPart } from '../model/diff';
import { parseUnifiedDiff } from './diff-text';

const REST_STATUS: Record<string, FileStatus> = {
  added: 'added',
  removed: 'deleted',
  modified: 'modified',
  renamed: 'renamed',
  copied: 'added',
  changed: 'mode-only',
  unchanged: 'modified',
};

/**
 * The REST list-files answer (`/repos/O/R/pulls/N/files`, or a commit's `files`) as DiffFiles.
 * Files without `patch` get no lines: status 'too-large' when they changed lines, 'binary'
 * otherwise, each with a reason in `missing`.
 */
export function fromRestFiles(json: unknown): { files: DiffFile[]; missing: MissingPart[] } {
  const list = Array.isArray(json) ? json : isObj(json) && Array.isArray(json.files) ? json.files : [];
  const files: DiffFile[] = [];
  const missing: MissingPart[] = [];
  for (const raw of list) {
    if (!isObj(raw) || typeof raw.filename !== 'string' || raw.filename.length === 0) continue;
    const path = raw.filename;
    const statusText = typeof raw.status === 'string' ? raw.status : 'modified';
    const additions = typeof raw.additions === 'number' ? raw.additions : undefined;
    const deletions = typeof raw.deletions === 'number' ? raw.deletions : undefined;
    const changes = typeof raw.changes === 'number' ? raw.changes : (additions ?? 0) + (deletions ?? 0);
    const file: DiffFile = { path, status: REST_STATUS[statusText] ?? 'modified', hunks: [], source: 'rest-api' };
    if (typeof raw.previous_filename === 'string' && raw.previous_filename && raw.previous_filename !== path) {
      file.oldPath = raw.previous_filename;
    }
    if (additions !== undefined) file.additions = additions;
    if (deletions !== undefined) file.deletions = deletions;

    if (typeof raw.patch === 'string' && raw.patch.length > 0) {
      const parsed = parseUnifiedDiff(`--- a/${path}\n+++ b/${path}\n${raw.patch}\n`, 'rest-api')[0];
      file.hunks = parsed?.hunks ?? [];
    } else if (changes > 0) {
      file.status = 'too-large';
      missing.push({ path, reason: 'the REST API gives no patch for this file (too large)' });
    } else if (file.status !== 'renamed' && file.status !== 'mode-only') {
      file.status = 'binary';
      missing.push({ path, reason: 'the REST API gives no patch for this file (binary or empty)' });
    }
    files.push(file);
  }
  return { files, missing };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
