/** Where and when the welcome shows (pure; the background imports it without any UI). */

/** The page a fresh install opens; null for updates and other reasons (never twice). */
export function welcomePath(reason: string): string | null {
  return reason === 'install' ? 'extension/options.html#welcome' : null;
}

export function isWelcome(hash: string): boolean {
  return hash === '#welcome';
}
