/** What the panel is given: the state to render and the callbacks that carry user intent out. */
import type { PanelState } from './panel-state';
import type { Finding } from '../../model/review';
import type { Settings } from '../../shared/settings';
import type { ModelPick } from './first-run';
import type { AskState } from './follow-up';

/** The outcome of a panel action (copy, insert), shown under the action bar and announced. */
export interface ActionStatus {
  tone: 'ok' | 'error';
  message: string;
  /** Insert found no comment box: offer Copy instead. */
  offerCopy?: boolean;
}

export interface PanelProps {
  state: PanelState;
  title: string;
  dismissed?: ReadonlySet<string>;
  markersVisible?: boolean;
  actionStatus?: ActionStatus | null;
  onStart: () => void;
  onCancel: () => void;
  onClose: () => void;
  onOpenOptions: () => void;
  onJumpTo?: (finding: Finding) => void;
  onDismiss?: (finding: Finding) => void;
  onUndismiss?: (finding: Finding) => void;
  onCopy?: (text: string, what: string) => void;
  onCopyMarkdown?: () => void;
  onInsertComment?: () => void;
  onToggleMarkers?: () => void;
  onPickModel?: (pick: ModelPick) => void;
  /** Switch a long review to a faster setting (quick depth or a smaller model) and start again. */
  onSwitchFaster?: (patch: Partial<Pick<Settings, 'depth' | 'engine' | 'modelId'>>) => void;
  /** Scroll to and focus this finding's card (a marker on the diff was activated). */
  focusRequest?: { id: string; nonce: number } | null;
  /** Where the review runs, e.g. "Local server · qwen2.5-coder:7b" (see runs-on.ts). */
  runsOn?: string | undefined;
  /** An outdated review: review only the new commits (falls back to a full review when it must). */
  onReviewNew?: () => void;
  /** Follow-up questions in the Done state. */
  ask?: AskState | null;
  onAsk?: (question: string, findingId: string) => void;
  onCancelAsk?: () => void;
}
