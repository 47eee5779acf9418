/**
 * The one importer of picomatch. Paths in a diff are repository-relative with `/` separators, so
 * matching is POSIX-style; `dot: true` because `.github/**` should match what a user expects.
 */
import picomatch from 'picomatch';

export interface GlobSet {
  /** The first pattern that matches the path, or null. */
  match(path: string): string | null;
  /** Patterns that could not be compiled, with why (so the options page can show them). */
  invalid: { pattern: string; reason: string }[];
}

/** `nocase` for built-in rules (`LOGO.PNG` is an image); user patterns match case as written, like git. */
export function compileGlobs(patterns: readonly string[], options: { nocase?: boolean } = {}): GlobSet {
  const opts = { dot: true, nocase: options.nocase === true };
  const compiled: { pattern: string; test: (p: string) => boolean }[] = [];
  const invalid: { pattern: string; reason: string }[] = [];
  for (const raw of patterns) {
    if (typeof raw !== 'string') continue;
    const pattern = raw.trim();
    if (pattern === '' || pattern.startsWith('#')) continue;
    try {
      // As in .gitignore: a pattern without a slash (other than a trailing one) matches at any
      // depth (`*.snap`, `fixtures`, `dist/`); a leading slash anchors it at the root (`/build/`).
      const anyDepth = !pattern.replace(/\/$/, '').includes('/');
      const test = picomatch(anyDepth ? `**/${pattern}` : pattern.replace(/^\//, ''), opts);
      // A bare directory pattern (`docs/` or `fixtures`) also covers everything under it.
      const dir = pattern.replace(/\/$/, '');
      const under = picomatch(anyDepth ? `**/${dir}/**` : `${dir.replace(/^\//, '')}/**`, opts);
      compiled.push({ pattern, test: (p) => test(p) || under(p) });
    } catch (e) {
      invalid.push({ pattern, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return {
    match(path: string) {
      for (const c of compiled) if (c.test(path)) return c.pattern;
      return null;
    },
    invalid,
  };
}
