/**
 * The button that sits in the PR header (or floats when no header slot is shown). Secondary and
 * compact like GitHub's own header buttons, and named so no one takes it for GitHub's
 * "Review changes".
 */

/** The keyboard shortcut of the manifest's `start-review` command (users can change it in the browser). */
export const REVIEW_SHORTCUT = 'Alt+Shift+R';
export interface ReviewButtonProps {
  busy: boolean;
  theme: 'light' | 'dark';
  onClick: () => void;
}

export function ReviewButton({ busy, theme, onClick }: ReviewButtonProps) {
  return (
    <button
      type="button"
      class="lpr-review-button"
      data-theme={theme}
      data-testid="review-button"
      aria-busy={busy}
      aria-keyshortcuts={REVIEW_SHORTCUT}
      title={`Review this pull request with the model on your machine (${REVIEW_SHORTCUT})`}
      onClick={onClick}
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16" fill="currentColor">
        <path d="M1.5 2.75a.25.25 0 0 1 .25-.25h12.5a.25.25 0 0 1 .25.25v8.5a.25.25 0 0 1-.25.25h-6.5a.75.75 0 0 0-.53.22L4.5 14.44v-2.19a.75.75 0 0 0-.75-.75h-2a.25.25 0 0 1-.25-.25Zm.25-1.75A1.75 1.75 0 0 0 0 2.75v8.5C0 12.216.784 13 1.75 13H3v1.543a1.457 1.457 0 0 0 2.487 1.03L8.061 13h6.189A1.75 1.75 0 0 0 16 11.25v-8.5A1.75 1.75 0 0 0 14.25 1Z" />
      </svg>
      <span>{busy ? 'Local review running…' : 'Local review'}</span>
    </button>
  );
}
