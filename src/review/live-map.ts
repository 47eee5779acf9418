/**
 * Reads a map call's answer while it streams, so the panel shows per-file summary lines and
 * validated findings as soon as the model has written them, instead of raw JSON.
 *
 * Either map format streams the same way: summary lines may name their file by name only (or not
 * at all in a one-file part) and `perFileLines` puts them under the full path, and findings
 * without a path are resolved by the anchor like the finished answer's.
 *
 * Runs in the engine host (the content script has no room for a parser). Parsing the growing
 * answer again each time is quadratic, so it parses at most every `everyMs` and only answers the
 * final parser would read (the first 100,000 characters).
 */
import { MAX_ANSWER_CHARS, parsePartialMapAnswer, type MapAnswer, type RawFinding } from './finding-parser';
import { perFileLines } from './reduce';

export interface LiveMapSink {
  /** A file's summary line is known (or changed). */
  summary(path: string, line: string): void;
  /** Findings the model finished writing (not yet validated). */
  findings(raw: RawFinding[]): void;
}

export class LiveMapParser {
  private parsedLength = 0;
  private lastAt = Number.NEGATIVE_INFINITY;
  private taken = 0;
  private readonly lines = new Map<string, string>();

  constructor(
    private readonly files: readonly string[],
    private readonly sink: LiveMapSink,
    private readonly now: () => number = Date.now,
    private readonly everyMs = 250,
  ) {}

  /** The answer so far. */
  feed(answer: string): void {
    if (answer.length === this.parsedLength || this.parsedLength >= MAX_ANSWER_CHARS) return;
    const t = this.now();
    if (t - this.lastAt < this.everyMs) return;
    this.lastAt = t;
    this.parsedLength = answer.length;
    const partial = parsePartialMapAnswer(answer);
    if (partial.findings.length > this.taken) {
      const fresh = partial.findings.slice(this.taken);
      this.taken = partial.findings.length;
      this.sink.findings(fresh);
    }
    this.publish(partial.summary);
  }

  /** The finished answer: its summary lines, and the findings not taken while it streamed. */
  finish(parsed: MapAnswer): RawFinding[] {
    this.publish(parsed.summary);
    const rest = parsed.findings.slice(this.taken);
    this.taken = parsed.findings.length;
    return rest;
  }

  private publish(summary: string[]): void {
    if (summary.length === 0) return;
    const { byFile } = perFileLines([{ files: [...this.files], summary }]);
    for (const [path, line] of byFile) {
      if (this.lines.get(path) === line) continue;
      this.lines.set(path, line);
      this.sink.summary(path, line);
    }
  }
}
