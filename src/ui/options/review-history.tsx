/**
 * The options page's history of reviews kept in IndexedDB (through the background): open one to
 * read it, delete it, or export them all as JSON.
 */
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../../messaging/ask';
import type { StoredReview } from '../../shared/review-store';
import { ReviewView } from '../panel/review-view';
import { countBySeverity, SEVERITY_LABELS } from '../../model/finding-groups';
import { SEVERITIES } from '../../model/review';

const NONE: ReadonlySet<string> = new Set();

function prUrl(r: StoredReview): string {
  // Built from stored parts; encodeURIComponent keeps a hostile stored value from becoming a path.
  return `https://github.com/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.repo)}/pull/${Number(r.number)}`;
}

/** Saves `json` as a file the browser downloads. */
function downloadJson(json: string, name: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** One saved review: its PR, commit, model and findings by severity; opened, it shows the review. */
function HistoryItem({ review: r, open: isOpen, onToggle, onDelete }: { review: StoredReview; open: boolean; onToggle: () => void; onDelete: () => void }) {
  const counts = countBySeverity(r.review.findings);
  return (
    <li class="history-item" data-testid="history-item" data-review-id={r.id}>
      <div class="history-head">
        <div class="history-title">
          <a href={prUrl(r)} target="_blank" rel="noopener noreferrer">
            {r.owner}/{r.repo}#{r.number}
          </a>{' '}
          <code>{r.headSha.slice(0, 7)}</code>
          <div class="muted small">
            {new Date(r.savedAt).toLocaleString()} · {r.modelId} ·{' '}
            {SEVERITIES.filter((s) => counts[s] > 0)
              .map((s) => `${counts[s]} ${SEVERITY_LABELS[s].toLowerCase()}`)
              .join(', ') || 'no findings'}
          </div>
        </div>
        <div class="row">
          <button
            type="button"
            class="btn"
            data-testid="history-open"
            aria-expanded={isOpen}
            onClick={onToggle}
          >
            {isOpen ? 'Close' : 'Open'}
          </button>
          <button type="button" class="btn btn-danger" data-testid="history-delete" onClick={onDelete}>
            Delete
          </button>
        </div>
      </div>
      {isOpen ? (
        <div class="lpr-root history-review" data-testid="history-review">
          <ReviewView review={r.review} dismissed={NONE} />
        </div>
      ) : null}
    </li>
  );
}

export function ReviewHistory() {
  const [reviews, setReviews] = useState<StoredReview[] | null>(null);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<string | null>(null);

  async function refresh(): Promise<void> {
    const answer = await ask({ kind: 'reviews/list' }).catch((e: unknown) => ({ ok: false as const, message: String(e) }));
    if (answer.ok) {
      setReviews(answer.value);
      setError('');
    } else {
      setReviews([]);
      setError(`Could not read the saved reviews: ${answer.message}`);
    }
  }

  useEffect(() => {
    void refresh();
  }, []);

  async function remove(id: string): Promise<void> {
    const answer = await ask({ kind: 'reviews/delete', id });
    if (!answer.ok) setError(`Could not delete the review: ${answer.message}`);
    if (open === id) setOpen(null);
    await refresh();
  }

  async function exportAll(): Promise<void> {
    const answer = await ask({ kind: 'reviews/export' });
    if (!answer.ok) {
      setError(`Could not export the reviews: ${answer.message}`);
      return;
    }
    downloadJson(answer.value, `local-pr-review-reviews-${new Date().toISOString().slice(0, 10)}.json`);
  }

  return (
    <section data-testid="history">
      <h2>Past reviews</h2>
      <p class="muted">
        The last review of each pull request, commit and model is kept in this browser, so it shows at once when you come back.
      </p>
      {error ? (
        <p role="alert" class="error" data-testid="history-error">
          {error}
        </p>
      ) : null}
      {reviews === null ? <p class="muted">Loading…</p> : null}
      {reviews?.length === 0 ? (
        <p class="muted" data-testid="history-empty">
          No reviews yet.
        </p>
      ) : null}
      {reviews?.length ? (
        <>
          <div class="row">
            <button type="button" class="btn" data-testid="history-export" onClick={() => void exportAll()}>
              Export all as JSON
            </button>
          </div>
          <ul class="history">
            {reviews.map((r) => (
              <HistoryItem review={r} open={open === r.id} onToggle={() => setOpen(open === r.id ? null : r.id)} onDelete={() => void remove(r.id)} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
