/**
 * What was reviewed, per file. A file is `full` only when every piece of it reached the model
 * and nothing was shortened; the reason always says what is missing.
 */
import type { FileCoverage } from '../model/review';

export interface CoverageInput {
  /** Every path of the diff in the diff's order (reviewable and excluded). */
  order: readonly string[];
  /** Files left out before chunking (skipped / not loaded), with reasons. */
  excluded: readonly FileCoverage[];
  /** For each reviewable file, the ids of its pieces. */
  pieces: ReadonlyMap<string, ReadonlySet<string>>;
  /** Piece ids the model has answered for. */
  done: ReadonlySet<string>;
  /** Why pieces were not done (e.g. "call limit reached (40 model calls)"). */
  cutReason: string;
  /** Reviewable files known to be incomplete in the diff itself. */
  incomplete: ReadonlyMap<string, string>;
  /** Files in which a long line was shortened. */
  shortened: ReadonlySet<string>;
}

export function computeCoverage(input: CoverageInput): FileCoverage[] {
  const byPath = new Map<string, FileCoverage>();
  for (const e of input.excluded) byPath.set(e.path, e);
  for (const [path, ids] of input.pieces) {
    const total = ids.size;
    let done = 0;
    for (const id of ids) if (input.done.has(id)) done++;
    if (done === 0) {
      byPath.set(path, { path, coverage: 'skipped', reason: `not reviewed: ${input.cutReason}` });
    } else if (done < total) {
      byPath.set(path, { path, coverage: 'partial', reason: `${done} of ${total} parts reviewed: ${input.cutReason}` });
    } else if (input.incomplete.has(path)) {
      byPath.set(path, { path, coverage: 'partial', reason: input.incomplete.get(path)! });
    } else if (input.shortened.has(path)) {
      byPath.set(path, { path, coverage: 'partial', reason: 'very long lines were shortened' });
    } else byPath.set(path, { path, coverage: 'full' });
  }
  const out: FileCoverage[] = [];
  for (const p of input.order) {
    const c = byPath.get(p);
    if (c) {
      out.push(c);
      byPath.delete(p);
    }
  }
  // Anything not in the order (missing parts named only in `missing`) goes last.
  for (const c of byPath.values()) out.push(c);
  return out;
}
