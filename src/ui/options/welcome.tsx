/**
 * The welcome shown once, on install (the options page opened at #welcome): how to start a
 * review, the shortcut, and, right below it on the same page, the engine and model choice with
 * its fit check.
 */
export { isWelcome, welcomePath } from '../../shared/welcome-route';

export function Welcome({ shortcut }: { shortcut: string | null }) {
  return (
    <section class="lpr-welcome" data-testid="welcome" aria-labelledby="lpr-welcome-title">
      <h2 id="lpr-welcome-title">Welcome: your reviews stay on this machine</h2>
      <ol>
        <li>
          <strong>Pick an engine and a model below.</strong> Each model says its download size and whether it fits this machine; the
          recommended one is marked. It downloads once and is kept in this browser for every tab.
        </li>
        <li>
          <strong>Open a pull request on github.com</strong> and click <strong>Local review</strong> in its header
          {shortcut ? (
            <>
              , or press <kbd data-testid="welcome-shortcut">{shortcut}</kbd>
            </>
          ) : (
            <span data-testid="welcome-no-shortcut"> (no keyboard shortcut is assigned: set one, e.g. Alt+Shift+R, in the browser’s extension shortcuts, see Shortcut below)</span>
          )}
          .
        </li>
        <li>The review streams into a panel beside the diff: summary, risks and findings on real lines. Nothing is posted until you do it.</li>
      </ol>
    </section>
  );
}
