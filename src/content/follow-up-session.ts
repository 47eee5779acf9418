/**
 * Follow-up questions under a finished review: each is answered on its own ReviewConnection and
 * streams into `PanelModel.ask`; a finished answer is kept with the review (and in review memory).
 * A new review, or leaving the PR, drops the question being answered.
 */
import type { BackgroundToContent } from '../protocol';
import type { FollowUp, Review } from '../model/review';
import { loadSettingsForReview } from './extension-services';
import { ReviewConnection } from './review-connection';
import { errorMessage, type Guard } from './guard';
import type { DiffSource } from './pr-diff';
import type { PanelStore } from './panel-store';
import type { ReviewMemory } from './review-memory';

export interface FollowUpDeps {
  store: PanelStore;
  diffs: DiffSource;
  memory: Pick<ReviewMemory, 'keepFollowUp'>;
  guard: Guard;
  signal: AbortSignal;
}

export interface FollowUps {
  ask(question: string, findingId: string): Promise<void>;
  cancel(): void;
}

interface Question {
  about: Omit<FollowUp, 'answer' | 'askedAt'>;
  review: Review;
  headSha: string;
}

export function initFollowUps({ store, diffs, memory, guard, signal }: FollowUpDeps): FollowUps {
  let asking: ReviewConnection | null = null;
  /** The question being answered; messages and failures of any other are ignored. */
  let current: Question | null = null;
  const drop = () => {
    asking?.close();
    asking = null;
    current = null;
  };
  signal.addEventListener('abort', drop);
  store.subscribe((model, previous) => {
    if (previous.review.phase === 'done' && model.review.phase !== 'done') drop();
  });

  const fail = (question: Question, error: string) => {
    if (current !== question) return;
    current = null;
    const ask = store.get().ask;
    store.dispatch({ type: 'ask', ask: { question: question.about.question, text: ask?.text ?? '', busy: false, error } });
  };

  function onAnswer(question: Question, message: BackgroundToContent): void {
    if (current !== question) return;
    if (message.kind === 'review/event' && message.event.type === 'text') store.dispatch({ type: 'ask-text', delta: message.event.delta });
    else if (message.kind === 'review/cancelled') fail(question, 'Cancelled.');
    else if (message.kind === 'review/failed') fail(question, message.failure.message);
    else if (message.kind === 'followup/done') {
      current = null;
      const followUp: FollowUp = { ...question.about, answer: message.answer, askedAt: Date.now() };
      store.dispatch({ type: 'follow-up', review: question.review, followUp });
      memory.keepFollowUp(question.headSha, followUp);
    }
  }

  return {
    async ask(text, findingId) {
      const model = store.get();
      const s = model.review;
      if (s.phase !== 'done' || model.ask?.busy) return;
      const review = s.review;
      const finding = review.findings.find((f) => f.id === findingId);
      drop();
      const question: Question = { about: { question: text, ...(finding ? { findingId } : {}) }, review, headSha: s.saved?.headSha ?? model.made?.headSha ?? '' };
      current = question;
      store.dispatch({ type: 'ask', ask: { question: text, text: '', busy: true } });
      try {
        const settings = await loadSettingsForReview();
        // A restored review did not read the diff: read it now (the hunks come from it).
        const read = await diffs.latest();
        if ('failure' in read) return fail(question, read.failure.message);
        if (current !== question) return;
        asking = new ReviewConnection(
          (message) => guard(() => onAnswer(question, message)),
          (failure) => fail(question, failure.message),
        );
        asking.ask({ question: text, ...(finding ? { finding } : {}), review: { summary: review.summary }, diff: read.diff, settings });
      } catch (error) {
        fail(question, errorMessage(error));
      }
    },
    cancel: () => asking?.cancel(),
  };
}
