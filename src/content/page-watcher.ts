/**
 * Watches the page for what concerns us: GitHub's soft navigations (and a cheap URL poll for those
 * no event announces), header re-renders and resizes that may hide the button's slot, diff parts
 * rendered later (markers go back), and GitHub's light/dark switch. Stops when `signal` aborts.
 */
import { watchGithubTheme, type ThemeName } from '../ui/theme';
import type { Guard } from './guard';

/** GitHub's soft-navigation events (Turbo for classic pages, its own for React pages). */
const NAVIGATION_EVENTS = ['turbo:render', 'turbo:load', 'soft-nav:end', 'soft-nav:react-done', 'popstate', 'pageshow'];
/** Cheap safety net for navigations no event announces (a string compare per tick). */
export const URL_POLL_MS = 400;

export interface PageEvents {
  /** Bring the page in line with the URL; `force` after a navigation event, else only if it changed. */
  check(force: boolean): void;
  /** The DOM changed (at most once per animation frame). */
  changed(): void;
  theme(theme: ThemeName): void;
}

export function watchPage(win: Window, events: PageEvents, guard: Guard, signal: AbortSignal): void {
  const doc = win.document;
  const stops: Array<() => void> = [];
  signal.addEventListener('abort', () => stops.splice(0).forEach((stop) => stop()));
  const listen = (target: EventTarget, type: string, listener: () => void) => {
    target.addEventListener(type, listener);
    stops.push(() => target.removeEventListener(type, listener));
  };
  const onNavigation = () => guard(() => events.check(true));
  for (const name of NAVIGATION_EVENTS) {
    listen(win, name, onNavigation);
    listen(doc, name, onNavigation);
  }
  const poll = win.setInterval(() => guard(() => events.check(false)), URL_POLL_MS);
  stops.push(() => win.clearInterval(poll));

  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    win.requestAnimationFrame(() => {
      scheduled = false;
      guard(() => events.check(false));
      guard(() => events.changed());
    });
  };
  // GitHub re-renders headers without navigating (the button goes back), and loads, folds or
  // re-renders parts of the diff (the markers go back).
  const observer = new MutationObserver(schedule);
  observer.observe(doc.documentElement, { childList: true, subtree: true });
  stops.push(() => observer.disconnect());
  // Responsive headers hide their action slot below a width: move the button when that happens.
  listen(win, 'resize', schedule);
  // Follow GitHub's light/dark switch (or the system's, in auto mode).
  stops.push(watchGithubTheme(doc, (theme) => guard(() => events.theme(theme))));
}
