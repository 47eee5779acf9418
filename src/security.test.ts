/**
 * Model output and diffs are untrusted, and the panel lives on github.com: no source file may
 * turn a string into HTML. Text goes into text nodes (Preact children) or through the safe
 * Markdown renderer (src/ui/markdown.tsx), which builds elements from a fixed list.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SINKS = [/dangerouslySetInnerHTML/, /\.innerHTML\s*=/, /\.outerHTML\s*=/, /insertAdjacentHTML/, /document\.write/, /\beval\(/, /new Function\(/];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('no HTML sinks in the extension source', () => {
  const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'extension'))];

  it('finds the source files (so the check below looks at something)', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(SINKS.map((s) => [s.source, s] as const))('nothing uses %s', (_name, sink) => {
    const offenders = files.filter((f) => sink.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
