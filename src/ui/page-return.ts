/**
 * Runs `callback` when an extension page is shown again or gets focus. Pages that show what the
 * engine host is doing look again then instead of polling: an idle page sends nothing, so it does
 * not keep Firefox's event page (the engine host there) awake.
 */
import { useEffect } from 'preact/hooks';

export function useOnPageReturn(callback: () => void): void {
  useEffect(() => {
    const onReturn = () => {
      if (document.visibilityState !== 'hidden') callback();
    };
    document.addEventListener('visibilitychange', onReturn);
    window.addEventListener('focus', onReturn);
    return () => {
      document.removeEventListener('visibilitychange', onReturn);
      window.removeEventListener('focus', onReturn);
    };
  }, []);
}
