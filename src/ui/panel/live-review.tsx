/**
 * What the review has found so far, while the model is still writing: per-file summary lines and
 * validated findings, parsed in the engine host from the partial answer. Plain text only (no
 * Markdown round trip per update); the finished review renders them fully.
 */
import type { Finding } from '../../model/review';
import { SEVERITY_LABELS } from '../../model/finding-groups';
import { revealInvisible } from '../invisible-chars';

/** Each list shows this many entries while streaming; the finished review shows all. */
const SHOWN = 30;

export interface LiveReviewProps {
  fileSummaries: ReadonlyArray<{ path: string; summary: string }>;
  findings: readonly Finding[];
  onJumpTo?: ((finding: Finding) => void) | undefined;
}

export function LiveReview({ fileSummaries, findings, onJumpTo }: LiveReviewProps) {
  if (fileSummaries.length === 0 && findings.length === 0) return null;
  return (
    <div class="lpr-live-review" data-testid="live-review">
      {findings.length ? (
        <section class="lpr-section" data-testid="live-findings">
          <h3 class="lpr-section-title">Findings so far</h3>
          <ul class="lpr-findings">
            {findings.slice(0, SHOWN).map((f) => (
              <li class="lpr-finding lpr-finding-live" data-testid="live-finding" data-severity={f.severity} key={f.id}>
                <div class="lpr-finding-header">
                  <span class={`lpr-label lpr-label-${f.severity}`}>{SEVERITY_LABELS[f.severity] ?? f.severity}</span>
                  {onJumpTo ? (
                    <button type="button" class="lpr-link" title={`Show ${revealInvisible(f.file)}:${f.line} in the diff`} onClick={() => onJumpTo(f)}>
                      {revealInvisible(f.file)}:{f.line}
                    </button>
                  ) : (
                    <span class="lpr-finding-location">
                      {revealInvisible(f.file)}:{f.line}
                    </span>
                  )}
                  <h5 class="lpr-finding-title">{revealInvisible(f.title)}</h5>
                </div>
                <div class="lpr-finding-body">
                  <p class="lpr-small lpr-clamp">{f.explanation}</p>
                </div>
              </li>
            ))}
          </ul>
          {findings.length > SHOWN ? <p class="lpr-small lpr-muted">and {findings.length - SHOWN} more (all shown when the review is done)</p> : null}
        </section>
      ) : null}
      {fileSummaries.length ? (
        <section class="lpr-section" data-testid="live-files">
          <h3 class="lpr-section-title">Files so far</h3>
          <ul class="lpr-list lpr-live-files">
            {fileSummaries.slice(-SHOWN).map((row) => (
              <li data-testid="live-file" key={row.path}>
                <span class="lpr-mono">{revealInvisible(row.path)}</span>: <span class="lpr-clamp-inline">{row.summary}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
