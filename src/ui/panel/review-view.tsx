/**
 * A finished review: summary first, then findings grouped by severity with counts, then risks,
 * changes and coverage. Shared by the panel and the options page's history (which passes no
 * page actions). Model text goes through <Markdown> or into text nodes, never into HTML.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Markdown } from '../markdown';
import { revealInvisible } from '../invisible-chars';
import { groupFindings, SEVERITY_LABELS } from '../../model/finding-groups';
import type { Finding, Review } from '../../model/review';
import { incompleteCoverage, type SavedReviewInfo } from './panel-state';

export interface ReviewViewProps {
  review: Review;
  dismissed: ReadonlySet<string>;
  saved?: SavedReviewInfo | undefined;
  onJumpTo?: ((finding: Finding) => void) | undefined;
  onDismiss?: ((finding: Finding) => void) | undefined;
  onUndismiss?: ((finding: Finding) => void) | undefined;
  onCopy?: ((text: string, what: string) => void) | undefined;
  onRerun?: (() => void) | undefined;
}

const COVERAGE_WORDS = { full: 'reviewed fully', partial: 'reviewed in part', skipped: 'skipped', 'not-loaded': 'not loaded' } as const;

export function ReviewView(props: ReviewViewProps) {
  const { review, dismissed, saved } = props;
  const [showDismissed, setShowDismissed] = useState(false);
  const grouped = groupFindings(review.findings, dismissed);
  const dismissedFindings = review.findings.filter((f) => dismissed.has(f.id));
  const incomplete = incompleteCoverage(review.coverage);
  const fully = review.coverage.length - incomplete.length;
  // Skipping binaries or ignored files is by design; a file GitHub did not load, or one read only
  // in part, makes the review partial.
  const partial = incomplete.some((c) => c.coverage === 'partial' || c.coverage === 'not-loaded') || review.truncated;
  return (
    <div data-testid="panel-done">
      {saved?.outdated ? (
        <div class="lpr-flash lpr-flash-warning" data-testid="review-outdated">
          <strong>Outdated.</strong> New commits landed after this review (made at <code class="lpr-mono">{saved.headSha.slice(0, 7)}</code>,{' '}
          {when(saved.savedAt)}).
          {props.onRerun ? (
            <div class="lpr-actions">
              <button type="button" class="lpr-btn lpr-btn-sm lpr-btn-primary" data-testid="rerun-outdated" onClick={props.onRerun}>
                Review new commits
              </button>
            </div>
          ) : null}
        </div>
      ) : saved ? (
        <p class="lpr-muted lpr-small" data-testid="review-saved">
          Saved review from {when(saved.savedAt)}, at the current commit.
        </p>
      ) : null}
      {partial ? (
        <div class="lpr-flash lpr-flash-warning" data-testid="panel-partial">
          <strong>Partial review.</strong> {fully} of {review.coverage.length} files reviewed fully
          {review.truncated ? '; the review was cut short' : ''}. What was left out, and why, is listed under Coverage.
        </div>
      ) : null}

      <Section title="Summary" testId="review-summary" focusable>
        <Markdown source={review.summary || '_No summary._'} headingOffset={3} />
      </Section>

      <Section title={`Findings (${grouped.total})`} testId="review-findings">
        {grouped.total > 0 ? (
          <p class="lpr-counts" data-testid="severity-counts">
            {grouped.groups.map((g) => (
              <span class={`lpr-label lpr-label-${g.severity}`} data-severity={g.severity}>
                {g.count} {SEVERITY_LABELS[g.severity].toLowerCase()}
              </span>
            ))}
          </p>
        ) : (
          <p class="lpr-muted">{dismissedFindings.length ? 'No findings left: all were dismissed.' : 'No findings.'}</p>
        )}
        {grouped.groups.map((group) => (
          <section class="lpr-group" data-testid="finding-group" data-severity={group.severity}>
            <h4 class="lpr-group-title">
              {SEVERITY_LABELS[group.severity]} <span class="lpr-counter">{group.count}</span>
            </h4>
            {group.findings.map((f) => (
              <FindingCard key={f.id} finding={f} {...props} />
            ))}
          </section>
        ))}
        {dismissedFindings.length ? (
          <div class="lpr-dismissed">
            <button
              type="button"
              class="lpr-btn lpr-btn-sm lpr-btn-invisible"
              data-testid="toggle-dismissed"
              aria-expanded={showDismissed}
              onClick={() => setShowDismissed(!showDismissed)}
            >
              {dismissedFindings.length} dismissed · {showDismissed ? 'hide' : 'show'}
            </button>
            {showDismissed ? dismissedFindings.map((f) => <FindingCard key={f.id} finding={f} isDismissed {...props} />) : null}
          </div>
        ) : null}
      </Section>

      <MarkdownListSection title="Risks" testId="review-risks" items={review.risks} />
      <MarkdownListSection title="Major changes" testId="review-changes" items={review.changes} />

      <Section title="Coverage" testId="review-coverage">
        <p class="lpr-small">
          {fully} of {review.coverage.length} files reviewed fully
          {review.truncated ? ' · the review was cut short' : ''}
        </p>
        {incomplete.length ? (
          <ul class="lpr-coverage">
            {incomplete.map((c) => (
              <li class={`lpr-coverage-item lpr-coverage-${c.coverage}`} data-testid="coverage-item" data-coverage={c.coverage}>
                <span>
                  <code>{revealInvisible(c.path)}</code> {COVERAGE_WORDS[c.coverage] ?? c.coverage}
                  {c.reason ? <span class="lpr-muted">: {c.reason}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
        {review.notes?.length ? (
          <ul class="lpr-small lpr-muted lpr-list" data-testid="review-notes">
            {review.notes.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        ) : null}
      </Section>
    </div>
  );
}

function FindingCard(props: ReviewViewProps & { finding: Finding; isDismissed?: boolean }) {
  const { finding: f, isDismissed } = props;
  const location = `${revealInvisible(f.file)}:${f.line}${f.endLine && f.endLine !== f.line ? `-${f.endLine}` : ''}`;
  return (
    <article
      class={`lpr-finding${isDismissed ? ' lpr-finding-dismissed' : ''}`}
      data-testid={isDismissed ? 'dismissed-finding' : 'finding'}
      data-severity={f.severity}
      data-finding-id={f.id}
      tabIndex={-1}
    >
      <div class="lpr-finding-header">
        <span class={`lpr-label lpr-label-${f.severity}`}>{SEVERITY_LABELS[f.severity] ?? f.severity}</span>
        <span class="lpr-label">{f.category}</span>
        {props.onJumpTo ? (
          <button
            type="button"
            class="lpr-link"
            data-testid="finding-link"
            title={`Show ${location} in the diff`}
            onClick={() => props.onJumpTo?.(f)}
          >
            {location}
          </button>
        ) : (
          <span class="lpr-finding-location">{location}</span>
        )}
        <h5 class="lpr-finding-title">{revealInvisible(f.title)}</h5>
      </div>
      <div class="lpr-finding-body">
        <Markdown source={f.explanation} headingOffset={5} />
        {f.suggestion && f.suggestion.trim() ? (
          <div class="lpr-suggestion" data-testid="finding-suggestion">
            <div class="lpr-suggestion-head">
              <span class="lpr-small lpr-muted">Suggested change</span>
              {props.onCopy ? (
                <button
                  type="button"
                  class="lpr-btn lpr-btn-sm lpr-btn-invisible"
                  data-testid="copy-suggestion"
                  aria-label={`Copy the suggested change for ${location}`}
                  onClick={() => props.onCopy?.(f.suggestion ?? '', 'Suggested change')}
                >
                  Copy
                </button>
              ) : null}
            </div>
            <pre class="lpr-md-code">
              <code>{revealInvisible(f.suggestion)}</code>
            </pre>
          </div>
        ) : null}
      </div>
      {isDismissed && props.onUndismiss ? (
        <div class="lpr-finding-actions">
          <button type="button" class="lpr-btn lpr-btn-sm" data-testid="undo-dismiss" onClick={() => props.onUndismiss?.(f)}>
            Restore
          </button>
        </div>
      ) : !isDismissed && props.onDismiss ? (
        <div class="lpr-finding-actions">
          <button
            type="button"
            class="lpr-btn lpr-btn-sm lpr-btn-invisible"
            data-testid="dismiss-finding"
            aria-label={`Dismiss: ${f.title}`}
            onClick={() => props.onDismiss?.(f)}
          >
            Dismiss
          </button>
        </div>
      ) : null}
    </article>
  );
}

export function Section({ title, testId, focusable, children }: { title: string; testId: string; focusable?: boolean; children: ComponentChildren }) {
  return (
    <section class="lpr-section" data-testid={testId}>
      <h3 class="lpr-section-title" tabIndex={focusable ? -1 : undefined} data-focus-target={focusable ? 'true' : undefined}>
        {title}
      </h3>
      {children}
    </section>
  );
}

function when(ms: number): string {
  try {
    return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  } catch {
    return new Date(ms).toISOString();
  }
}

/** A titled list of model-written Markdown items; nothing when the list is empty. */
function MarkdownListSection({ title, testId, items }: { title: string; testId: string; items: string[] }) {
  if (!items.length) return null;
  return (
    <Section title={title} testId={testId}>
      <ul class="lpr-list">
        {items.map((item) => (
          <li>
            <Markdown source={item} />
          </li>
        ))}
      </ul>
    </Section>
  );
}
