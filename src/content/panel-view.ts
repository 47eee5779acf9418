/**
 * Draws the panel from the PanelModel: mounts it (in a shadow root) when it opens, removes it when
 * it closes or the user leaves the PR. A change of phase or a user action draws at once; streamed
 * updates within a phase (text, progress) are merged into one draw per animation frame, so a fast
 * model never costs GitHub's tab more than that.
 */
import { h, render } from 'preact';
import { Panel, type PanelProps } from '../ui/panel/panel';
import { runsOnLabel } from '../ui/panel/runs-on';
import { MarkdownLexerContext, type MarkdownLexer } from '../ui/markdown';
import { PANEL_CSS } from '../ui/panel/panel-css';
import type { PanelModel, PanelModelAction } from '../ui/panel/panel-state';
import { createShadowMount, type ShadowMount } from './shadow-mount';
import type { Guard } from './guard';
import type { PanelStore } from './panel-store';

/** What the panel's controls do; the rest of PanelProps comes from the PanelModel. */
export type PanelHandlers = Omit<PanelProps, 'state' | 'title' | 'runsOn' | 'dismissed' | 'markersVisible' | 'actionStatus' | 'focusRequest' | 'ask'>;

export interface PanelViewDeps {
  win: Window;
  store: PanelStore;
  title: string;
  lexer: MarkdownLexer;
  handlers: PanelHandlers;
  guard: Guard;
  signal: AbortSignal;
}

function streamed(action: PanelModelAction, model: PanelModel, previous: PanelModel): boolean {
  return (action.type === 'message' || action.type === 'ask-text') && previous.open && model.review.phase === previous.review.phase;
}

export function initPanelView({ win, store, title, lexer, handlers, guard, signal }: PanelViewDeps): void {
  let mount: ShadowMount | null = null;
  let frame: number | null = null;

  const cancelFrame = () => {
    if (frame !== null) win.cancelAnimationFrame(frame);
    frame = null;
  };
  const unmount = () => {
    cancelFrame();
    if (mount) render(null, mount.container);
    mount?.remove();
    mount = null;
  };
  const draw = () => {
    cancelFrame();
    const model = store.get();
    if (!model.open) return unmount();
    if (!mount) {
      mount = createShadowMount(win.document, 'panel', PANEL_CSS);
      win.document.body.append(mount.host);
    }
    mount.container.setAttribute('data-theme', model.theme);
    const props: PanelProps = {
      ...handlers,
      state: model.review,
      title,
      runsOn: runsOnLabel(model.made?.settings),
      dismissed: model.dismissed,
      markersVisible: model.markersVisible,
      actionStatus: model.status,
      focusRequest: model.focus,
      ask: model.ask,
    };
    render(h(MarkdownLexerContext.Provider, { value: lexer }, h(Panel, props)), mount.container);
  };

  store.subscribe((model, previous, action) => {
    if (!streamed(action, model, previous)) return draw();
    frame ??= win.requestAnimationFrame(() => {
      frame = null;
      guard(draw);
    });
  });
  signal.addEventListener('abort', unmount);
}
