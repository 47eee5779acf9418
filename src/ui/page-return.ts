/**
 * Runs `callback` when an extension page is shown again or gets focus. Pages that show what the
 * engine host is doing look again then instead of polling: an idle page sends nothing, so it does
 * not keep Firefox's event page (the engine host there) awake.
 */
import { useEffect } from 'preact/hooks';

export function useOnPageReturn(callback: () => void): void {
  useEffect(() => {
    const doc = document;
    const win = window;
    const onReturn = () => {
      if (doc.visibilityState !== 'hidden') callback();
    };
    doc.addEventListener('visibilitychange', onReturn);
    win.addEventListener('focus', onReturn);
    return () => {
      doc.removeEventListener('visibilitychange', onReturn);
      win.removeEventListener('focus', onReturn);
    };
  }, []);
}
