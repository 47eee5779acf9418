/**
 * Follow-up questions in the Done state: earlier answers (kept with the review, per head), the
 * answer streaming in, and a box for a question about the PR or about one finding. Answers are
 * model output: streamed as text, rendered through <Markdown> once complete, never as HTML.
 */
import { useState } from 'preact/hooks';
import { Markdown } from '../markdown';
import type { Review } from '../../model/review';
import { Section } from './review-view';
import { revealInvisible } from '../invisible-chars';

/** The question being answered (or the last one that failed or was cancelled). */
export interface AskState {
  question: string;
  text: string;
  busy: boolean;
  error?: string;
}

export interface FollowUpsProps {
  review: Review;
  ask: AskState | null;
  onAsk: (question: string, findingId: string) => void;
  onCancel: () => void;
}

export function FollowUps({ review, ask, onAsk, onCancel }: FollowUpsProps) {
  const [question, setQuestion] = useState('');
  const [about, setAbout] = useState('');
  const busy = !!ask?.busy;
  return (
    <Section title="Questions" testId="follow-ups">
      {(review.followUps ?? []).map((f) => (
        <div class="lpr-section" data-testid="follow-up">
          <p class="lpr-small">
            <strong>{f.question}</strong>
          </p>
          <Markdown source={f.answer} headingOffset={3} />
        </div>
      ))}
      {ask ? (
        <div class="lpr-section" data-testid="follow-up-pending" aria-busy={busy}>
          <p class="lpr-small">
            <strong>{ask.question}</strong>
          </p>
          <p class="lpr-stream" data-testid="follow-up-stream">
            {ask.text || (busy ? 'Thinking…' : '')}
          </p>
          {ask.error ? (
            <p class="lpr-small" role="alert" data-testid="follow-up-error">
              {ask.error}
            </p>
          ) : null}
          {busy ? (
            <button type="button" class="lpr-btn lpr-btn-sm lpr-btn-danger" data-testid="follow-up-cancel" onClick={onCancel}>
              Cancel
            </button>
          ) : null}
        </div>
      ) : null}
      <form
        // Keys typed here must not reach GitHub's page shortcuts (they see our shadow host as the target).
        onKeyDown={(e) => e.key !== 'Escape' && e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          if (!question.trim() || busy) return;
          onAsk(question.trim(), about);
          setQuestion('');
        }}
      >
        <select class="lpr-small" aria-label="The question is about" data-testid="follow-up-about" value={about} onChange={(e) => setAbout(e.currentTarget.value)}>
          <option value="">The whole pull request</option>
          {review.findings.map((f) => (
            <option value={f.id}>{revealInvisible(f.title)}</option>
          ))}
        </select>
        <textarea
          class="lpr-stream"
          style={{ width: '100%', boxSizing: 'border-box' }}
          rows={2}
          maxLength={2000}
          aria-label="Ask about this review"
          placeholder="Why is this a bug? Suggest a fix…"
          data-testid="follow-up-question"
          value={question}
          onInput={(e) => setQuestion(e.currentTarget.value)}
        />
        <button type="submit" class="lpr-btn lpr-btn-sm" data-testid="follow-up-ask" disabled={busy}>
          Ask
        </button>
      </form>
    </Section>
  );
}
