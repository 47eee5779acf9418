/**
 * Finding markers on the diff: a small button in the new-side line-number cell of each line with
 * findings, in either layout. Hovering or focusing it shows the findings (as text). GitHub
 * re-renders rows (lazy loading, folding, React re-renders), so `sync()` is idempotent and the
 * page controller calls it whenever the page changes; it touches the DOM only when something
 * is missing or stale, so its own insertions do not feed back into endless work.
 *
 * Each marker is its own shadow host with zero size: it changes nothing in GitHub's layout.
 */
import type { Finding } from '../model/review';
import { findLineNumberCell } from '../github/line-locator';
import { SEVERITIES } from '../model/review';
import { themeDeclarations, type ThemeName } from '../ui/theme';
import { HOST_ATTRIBUTE, ignoreUntrustedEvents, shadowMode } from './shadow-mount';
import { revealInvisible } from '../ui/invisible-chars';

const SEVERITY_VAR = { critical: '--lpr-danger-fg', major: '--lpr-severe-fg', minor: '--lpr-attention-fg', nit: '--lpr-fg-muted' } as const;

const MARKER_CSS = `/*css*/
:host { all: initial; }
.t, .x { unicode-bidi: isolate; }
[data-theme="light"] { ${themeDeclarations('light')} }
[data-theme="dark"] { ${themeDeclarations('dark')} }
.m { position: absolute; left: -4px; top: -9px; display: inline-flex; align-items: center; justify-content: center; box-sizing: border-box;
  min-width: 18px; height: 18px; padding: 0 4px; margin: 0; border: 0; border-radius: 9px; cursor: pointer;
  font: 600 11px/18px -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
  color: var(--lpr-canvas-default); background: var(--sev); }
.m:focus { outline: none; }
.m:focus-visible { outline: 2px solid var(--lpr-accent-emphasis); outline-offset: 2px; }
.tip { position: fixed; z-index: 2147483000; display: none; box-sizing: border-box; width: max-content; max-width: min(420px, 90vw); padding: 8px 12px;
  font: 12px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; text-align: left; white-space: normal;
  color: var(--lpr-fg-default); background: var(--lpr-canvas-default); border: 1px solid var(--lpr-border-default); border-radius: 6px;
  box-shadow: 0 8px 24px rgba(1, 4, 9, 0.2); }
.tip[data-open="true"] { display: block; }
.tip p { margin: 0; }
.tip p + p { margin-top: 6px; padding-top: 6px; border-top: 1px solid var(--lpr-border-default); }
.sev { font-weight: 600; }
.t { font-weight: 600; color: var(--lpr-fg-default); }
.x { color: var(--lpr-fg-muted); }
`;

/** A namespaced page style for the row "jump to finding" lands on. */
const PAGE_CSS = `tr[data-lpr-flash] > td { box-shadow: inset 0 0 0 2px #0969da !important; }`;

interface Placed {
  host: HTMLElement;
  cell: Element;
  signature: string;
}

export interface MarkerOptions {
  theme: () => ThemeName;
  /** The user activated a marker (click, Enter): show the finding in the panel. */
  onSelect: (finding: Finding) => void;
}

function keyOf(f: Finding): string {
  return `${f.file}\u0000${f.line}`;
}

export class FindingMarkers {
  private findings: Finding[] = [];
  private visible = false;
  private readonly placed = new Map<string, Placed>();

  constructor(
    private readonly doc: Document,
    private readonly options: MarkerOptions,
  ) {}

  /** The findings to mark (already without dismissed ones) and whether markers show at all. */
  set(findings: readonly Finding[], visible: boolean): void {
    this.findings = [...findings];
    this.visible = visible;
    this.ensurePageStyle();
    this.sync();
  }

  /** Count of markers on the page now (for tests and the panel). */
  get count(): number {
    return [...this.placed.values()].filter((p) => p.host.isConnected).length;
  }

  /** Brings the markers in line with the findings and the page. Cheap when nothing changed. */
  sync(): void {
    const wanted = new Map<string, Finding[]>();
    if (this.visible) {
      for (const f of this.findings) {
        const list = wanted.get(keyOf(f));
        if (list) list.push(f);
        else wanted.set(keyOf(f), [f]);
      }
    }
    for (const [key, placed] of this.placed) {
      if (!wanted.has(key)) {
        placed.host.remove();
        this.placed.delete(key);
      }
    }
    const theme = this.options.theme();
    for (const [key, group] of wanted) {
      const first = group[0]!;
      const signature = `${theme}|${group.map((f) => f.id).join(',')}`;
      const existing = this.placed.get(key);
      const intact = existing && existing.host.parentElement === existing.cell && existing.cell.isConnected;
      if (intact && existing.signature === signature) continue;
      const cell = findLineNumberCell(this.doc, first.file, first.line);
      if (!cell) {
        existing?.host.remove();
        this.placed.delete(key);
        continue;
      }
      existing?.host.remove();
      const host = this.createMarker(group, theme);
      cell.prepend(host);
      this.placed.set(key, { host, cell, signature });
    }
  }

  clear(): void {
    for (const placed of this.placed.values()) placed.host.remove();
    this.placed.clear();
    this.findings = [];
    for (const stray of this.doc.querySelectorAll(`[${HOST_ATTRIBUTE}="marker"]`)) stray.remove();
  }

  private ensurePageStyle(): void {
    if (this.doc.querySelector(`style[${HOST_ATTRIBUTE}="page-style"]`)) return;
    const style = this.doc.createElement('style');
    style.setAttribute(HOST_ATTRIBUTE, 'page-style');
    style.textContent = PAGE_CSS;
    this.doc.head?.append(style);
  }

  private createMarker(group: Finding[], theme: ThemeName): HTMLElement {
    const doc = this.doc;
    const host = doc.createElement('span');
    host.setAttribute(HOST_ATTRIBUTE, 'marker');
    host.setAttribute('data-testid', 'finding-marker');
    host.setAttribute('data-file', group[0]!.file);
    host.setAttribute('data-line', String(group[0]!.line));
    // Zero-size anchor: the button hangs off it without moving GitHub's line numbers.
    host.style.cssText = 'all: initial; position: relative; display: inline-block; width: 0; height: 0; vertical-align: middle;';
    const shadow = host.attachShadow({ mode: shadowMode() });
    ignoreUntrustedEvents(shadow);
    const style = doc.createElement('style');
    style.textContent = MARKER_CSS;
    const root = doc.createElement('span');
    root.setAttribute('data-theme', theme);
    const worst = SEVERITIES.find((s) => group.some((f) => f.severity === s)) ?? 'nit';
    root.style.setProperty('--sev', `var(${SEVERITY_VAR[worst]})`);

    const tipId = `lpr-tip-${Math.random().toString(36).slice(2)}`;
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'm';
    button.setAttribute('data-testid', 'marker-button');
    button.setAttribute('aria-describedby', tipId);
    button.setAttribute(
      'aria-label',
      group.length === 1 ? `Review finding on line ${group[0]!.line}` : `${group.length} review findings on line ${group[0]!.line}`,
    );
    button.textContent = group.length === 1 ? '!' : String(group.length);

    const tip = doc.createElement('span');
    tip.className = 'tip';
    tip.id = tipId;
    tip.setAttribute('role', 'tooltip');
    tip.setAttribute('data-testid', 'marker-tooltip');
    for (const f of group) {
      // Text nodes only: the finding is model output.
      const p = doc.createElement('p');
      const sev = doc.createElement('span');
      sev.className = 'sev';
      sev.style.color = `var(${SEVERITY_VAR[f.severity] ?? SEVERITY_VAR.nit})`;
      sev.textContent = `${f.severity} · `;
      const title = doc.createElement('span');
      title.className = 't';
      title.textContent = revealInvisible(f.title);
      const body = doc.createElement('span');
      body.className = 'x';
      // Plain text: Markdown emphasis and code marks would only be noise here.
      const plain = f.explanation.replace(/\*\*|__|`/g, '');
      body.textContent = ` ${plain.length > 280 ? `${plain.slice(0, 279)}…` : plain}`;
      p.append(sev, title, body);
      tip.append(p);
    }

    const open = () => {
      const rect = button.getBoundingClientRect();
      const view = doc.defaultView;
      const width = view?.innerWidth ?? 1024;
      tip.style.left = `${Math.max(8, Math.min(rect.right + 8, width - 428))}px`;
      tip.style.top = `${Math.max(8, rect.top - 4)}px`;
      tip.setAttribute('data-open', 'true');
    };
    const close = () => tip.removeAttribute('data-open');
    button.addEventListener('mouseenter', open);
    button.addEventListener('focus', open);
    button.addEventListener('mouseleave', () => {
      if (shadow.activeElement !== button) close();
    });
    button.addEventListener('blur', close);
    button.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') close();
    });
    // GitHub selects a line when its number cell is clicked; a marker click is ours alone.
    for (const type of ['click', 'mousedown', 'mouseup'] as const) {
      button.addEventListener(type, (event) => {
        event.stopPropagation();
        if (type === 'click') {
          event.preventDefault();
          this.options.onSelect(group[0]!);
        }
      });
    }
    root.append(button, tip);
    shadow.append(style, root);
    return host;
  }
}
