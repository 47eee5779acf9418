/** The keyboard shortcut that starts a review, as the browser has it now, and where to change it. */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';

/** The shortcut ('' when none is set), or null while unknown (the browser may not say). */
export function useShortcut(): string | null {
  const [shortcut, setShortcut] = useState<string | null>(null);
  useEffect(() => {
    // The shortcut as the browser has it now (the user may have changed or cleared it).
    browser.commands
      ?.getAll()
      .then((commands) => setShortcut(commands.find((c) => c.name === 'start-review')?.shortcut ?? ''))
      .catch(() => setShortcut(null));
  }, []);
  return shortcut;
}

export function ShortcutSection({ shortcut, onError }: { shortcut: string | null; onError: (message: string) => void }) {
  function openShortcutSettings(): void {
    const url = navigator.userAgent.includes('Firefox') ? 'about:addons' : 'chrome://extensions/shortcuts';
    void browser.tabs.create({ url }).catch(() => onError(`Open ${url} in the address bar to change the shortcut.`));
  }
  return (
    <section data-testid="shortcut">
      <h2>Keyboard shortcut</h2>
      <p>
        {shortcut ? (
          <>
            <kbd data-testid="shortcut-keys">{shortcut}</kbd> opens the panel and starts a review.
          </>
        ) : shortcut === '' ? (
          'No shortcut is set for starting a review (the suggested Alt+Shift+R may be taken by another extension). Set one below.'
        ) : (
          'A shortcut (Alt+Shift+R unless you changed it) opens the panel and starts a review.'
        )}
      </p>
      <button type="button" class="btn" data-testid="shortcut-change" onClick={openShortcutSettings}>
        Change the shortcut
      </button>
    </section>
  );
}
