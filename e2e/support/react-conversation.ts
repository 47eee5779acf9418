/**
 * A 2026 React pull-request Conversation page whose header action slot GitHub hides, built at
 * test time from a saved real page (see e2e/fixtures/github/SOURCES.md, "constructed at test time").
 *
 * The page header (Primer PageHeader: `PH_Title` and `PH_Actions`) is the real one of the saved
 * React commit page (TingGeorge__commit-2fa8000_react.html), without its commit description, with
 * its title text replaced by a PR title and `d-none` added to `[data-component="PH_Actions"]`, as GitHub serves that slot on
 * the React Conversation tab (found by probing the landed build, issue 12). The conversation
 * below it is written from the notes and holds no diff. GitHub's CSS does not load offline, so the
 * page carries the one Primer utility rule the case depends on (`.d-none { display: none !important }`).
 */
import { parseHTML } from 'linkedom';
import { fixture } from './extension';

export const CONVERSATION = {
  path: '/octo/constructed/pull/7',
  title: 'Add names to the popular cat list',
};

export function reactConversationWithHiddenActions(): string {
  const { document } = parseHTML(fixture('TingGeorge__commit-2fa8000_react.html'));
  const header = document.querySelector('[data-component="PageHeader"]');
  if (!header) throw new Error('the saved React page has no PageHeader');
  const title = header.querySelector('[data-component="PH_Title"]');
  if (title) title.textContent = `${CONVERSATION.title} #7`;
  const actions = header.querySelector('[data-component="PH_Actions"]');
  if (!actions) throw new Error('the saved React page has no PH_Actions slot');
  actions.classList.add('d-none');
  // The commit's own description (its message, author) does not belong on a PR page: drop it.
  header.querySelector('[data-component="PageHeader.Description"]')?.remove();
  return `<!DOCTYPE html>
<html lang="en" data-color-mode="light" data-light-theme="light" data-dark-theme="dark">
<head><meta charset="utf-8"><title>${CONVERSATION.title} by octo · Pull Request #7 · octo/constructed</title>
<style>.d-none { display: none !important; }</style></head>
<body>
<div class="application-main"><main>
<div id="pr-header">${header.outerHTML}</div>
<nav aria-label="Pull request navigation tabs"><a href="${CONVERSATION.path}" aria-current="page">Conversation</a> <a href="${CONVERSATION.path}/commits">Commits</a> <a href="${CONVERSATION.path}/changes">Files changed</a></nav>
<div class="js-discussion"><div class="timeline-comment"><p>Adds two names.</p></div></div>
</main></div>
</body></html>`;
}
