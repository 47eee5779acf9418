/**
 * What the panel's action bar and finding cards do on the page: copy, copy the review as Markdown,
 * insert it into GitHub's comment box (never posting it), and jump to a finding's line.
 *
 * The Markdown is made ahead of a click: the clipboard wants the copy while the click's user
 * activation lasts, and asking the background takes a round trip.
 */
import type { Finding } from '../model/review';
import type { ActionStatus } from '../ui/panel/panel';
import type { PanelModel } from '../ui/panel/panel-state';
import { ask } from './extension-services';
import { copyText } from './clipboard';
import { insertIntoComment } from './comment-box';
import { revealFinding } from './finding-navigation';
import { errorMessage } from './guard';
import type { PanelStore } from './panel-store';

export interface PanelActionsDeps {
  doc: Document;
  store: PanelStore;
  /** Puts the markers back after a jump (the page may have rendered more of the diff). */
  syncMarkers: () => void;
  signal: AbortSignal;
}

export interface PanelActions {
  copy(text: string, what: string): Promise<void>;
  copyMarkdown(): Promise<void>;
  insertComment(): Promise<void>;
  jumpTo(finding: Finding): Promise<void>;
}

/** What the Markdown depends on: the review, its dismissals and head, how it was made. */
function markdownKey(model: PanelModel): string {
  const s = model.review;
  if (s.phase !== 'done') return '';
  const headSha = s.saved?.headSha ?? model.made?.headSha;
  return `${s.saved?.savedAt ?? 'new'}|${s.review.findings.length}|${s.review.summary.length}|${[...model.dismissed].sort().join(',')}|${headSha ?? ''}`;
}

export function initPanelActions({ doc, store, syncMarkers, signal }: PanelActionsDeps): PanelActions {
  let markdown: { key: string; text: Promise<string | null> } | null = null;
  const status = (s: ActionStatus) => store.dispatch({ type: 'status', status: s });

  /** The review shown, as Markdown (built by the background; see protocol `reviews/markdown`). */
  function reviewMarkdown(): Promise<string | null> {
    const model = store.get();
    const s = model.review;
    if (s.phase !== 'done') return Promise.resolve(null);
    const key = markdownKey(model);
    if (markdown?.key === key) return markdown.text;
    // The background names the model only (never its URL, a mirror's host or a local path) and
    // removes those from the whole text: see src/shared/public-model-name.ts.
    const modelName = model.made?.settings?.modelId ?? undefined;
    const headSha = s.saved?.headSha ?? model.made?.headSha;
    const text = ask({ kind: 'reviews/markdown', review: s.review, dismissedIds: [...model.dismissed], ...(modelName ? { modelName } : {}), ...(headSha ? { headSha } : {}) })
      .catch((error: unknown) => ({ ok: false, message: errorMessage(error) }) satisfies { ok: false; message: string })
      .then((answer) => {
        if (answer.ok) return answer.value;
        if (markdown?.key === key) markdown = null;
        status({ tone: 'error', message: `The review could not be turned into Markdown: ${answer.message}` });
        return null;
      });
    markdown = { key, text };
    return text;
  }

  store.subscribe((model, previous) => {
    if (model.review.phase !== 'done') {
      markdown = null;
      return;
    }
    const changed = model.review !== previous.review || model.dismissed !== previous.dismissed || model.made !== previous.made || model.markersVisible !== previous.markersVisible;
    if (changed) void reviewMarkdown();
  });

  async function copy(text: string, what: string): Promise<void> {
    const ok = await copyText(doc, text);
    status(ok ? { tone: 'ok', message: `${what} copied.` } : { tone: 'error', message: `${what} could not be copied: the browser refused.` });
  }

  return {
    copy,
    async copyMarkdown() {
      const text = await reviewMarkdown();
      if (text) await copy(text, 'The review (Markdown)');
    },
    async insertComment() {
      const text = await reviewMarkdown();
      if (!text || signal.aborted) return;
      const result = insertIntoComment(doc, text);
      status(
        result.ok
          ? { tone: 'ok', message: result.appended ? 'Added to your comment. Nothing is posted until you press Comment.' : 'Inserted into the comment box. Nothing is posted until you press Comment.' }
          : { tone: 'error', message: result.reason, offerCopy: true },
      );
    },
    async jumpTo(finding) {
      const result = await revealFinding(doc, finding);
      if (!result.ok) status({ tone: 'error', message: result.reason });
      else if (result.how === 'opening') status({ tone: 'ok', message: `Opening ${finding.file} in the Files changed tab; its marker shows once GitHub renders it.` });
      else syncMarkers();
    },
  };
}
