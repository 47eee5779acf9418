import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSTRUCTED_DIR, CRLF_CASE, constructedCases, expectedDiff, renderCase } from './extract-constructed';

describe('constructed GitHub pages', () => {
  it.each(constructedCases().map((c) => [c.name, c] as const))('%s is saved as the generator writes it', (name, c) => {
    let html = renderCase(c);
    if (name === CRLF_CASE) html = html.replace(/\r?\n/g, '\r\n');
    expect(readFileSync(new URL(`${name}.html`, CONSTRUCTED_DIR), 'utf8')).toBe(html);
    expect(readFileSync(new URL(`${name}.expected.diff`, CONSTRUCTED_DIR), 'utf8')).toBe(expectedDiff(c));
  });
});
