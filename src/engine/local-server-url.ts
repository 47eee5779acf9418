/**
 * The only addresses the "Local server" engine may talk to: http://localhost and
 * http://127.0.0.1, any port. Everything it sends goes to the URL this returns, so the review
 * never leaves the machine. Also the host permission pattern it needs.
 */

export const LOCAL_SERVER_HOSTS = ['localhost', '127.0.0.1'] as const;

/** The optional host permissions in manifest.json (a pattern without a port matches every port). */
export const LOCAL_SERVER_ORIGINS = ['http://localhost/*', 'http://127.0.0.1/*'] as const;

/** A normalised base URL (no trailing slash, no query), or why the text is not allowed. */
export function localServerBase(text: string): { ok: true; url: string } | { ok: false; reason: string } {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: 'The local server address must be a URL such as http://127.0.0.1:11434/v1.' };
  }
  if (url.protocol !== 'http:' || !LOCAL_SERVER_HOSTS.some((host) => host === url.hostname) || url.username || url.password) {
    return { ok: false, reason: 'The local server must be on this machine: http://localhost or http://127.0.0.1 (any port).' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.origin}${path}` };
}

/** The permission pattern for a local server URL (any port of its host). */
export function localServerOrigin(base: string): string {
  return `http://${new URL(base).hostname}/*`;
}
