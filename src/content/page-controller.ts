/**
 * The content script's conductor: it follows GitHub's soft navigation and keeps one
 * PullRequestPage for the PR on show, opening it when the user arrives and closing it (which
 * removes every trace of ourselves) when they leave. Every callback is fenced (guard.ts): an
 * error here is shown in the panel, never thrown into GitHub's page.
 */
import { extensionApi } from '../shared/extension-api';
import { detectPage, prKey } from '../github/page-detect';
import { BACKGROUND_TO_TAB_KINDS, hasKind, type BackgroundToTab } from '../protocol';
import { createBackgroundLexer } from './markdown-client';
import { createGuard } from './guard';
import { watchPage } from './page-watcher';
import { openPullRequestPage, type PullRequestPage } from './pull-request-page';

export function startPageController(win: Window, signal: AbortSignal): void {
  /** Markdown is lexed in the background (see markdown-client.ts); one cache per page. */
  const lexer = createBackgroundLexer();
  let current: PullRequestPage | null = null;
  let lastUrl = '';
  const guard = createGuard((error) => current?.fail(error));

  const leave = () => {
    current?.close();
    current = null;
  };

  /** Brings the page into line with the URL: button, panel, or nothing. */
  function check(force: boolean): void {
    const url = win.location.href;
    if (!force && url === lastUrl && (!current || current.buttonInPlace())) return;
    lastUrl = url;
    const info = detectPage(url);
    if (!info || current?.key !== prKey(info)) leave();
    if (!info) return;
    current ??= openPullRequestPage(win, info, lexer);
    current.update(info);
  }

  watchPage(win, { check, changed: () => current?.syncMarkers(), theme: (theme) => current?.setTheme(theme) }, guard, signal);
  signal.addEventListener('abort', leave);

  // The keyboard command (Alt+Shift+R), sent by the background to this tab.
  const onMessage = (raw: unknown) => {
    if (hasKind<BackgroundToTab>(raw, BACKGROUND_TO_TAB_KINDS) && raw.kind === 'command/start-review') guard(() => current?.openAndStart());
    return undefined;
  };
  extensionApi().runtime.onMessage.addListener(onMessage);
  signal.addEventListener('abort', () => extensionApi().runtime.onMessage.removeListener(onMessage));
  guard(() => check(true));
}
