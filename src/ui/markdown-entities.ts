/**
 * Decoding of HTML character references in model Markdown.
 *
 * marked's lexer keeps `&amp;` and `&#106;` as written and leaves decoding to its HTML renderer.
 * We render to text nodes instead, so we decode here: text nodes can never turn into markup, and
 * link destinations must be decoded before their scheme is checked (`&#106;avascript:` is
 * `javascript:` to a browser).
 */

// The references models actually write; anything else stays literal, which is harmless.
const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0',
  copy: '©', reg: '®', trade: '™', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»',
  bull: '•', middot: '·', times: '×', divide: '÷', plusmn: '±', deg: '°',
  le: '≤', ge: '≥', ne: '≠', larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔',
  sect: '§', para: '¶', euro: '€', cent: '¢', pound: '£', yen: '¥', tab: '\t', newline: '\n',
  colon: ':', sol: '/', lpar: '(', rpar: ')', num: '#', excl: '!', quest: '?', semi: ';',
  equals: '=', plus: '+', percnt: '%', grave: '`', lowbar: '_', ast: '*', verbar: '|',
};

const REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;

function fromCodePoint(code: number): string {
  // CommonMark: NUL, surrogates and out-of-range code points become U+FFFD.
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
}

/** Replaces numeric and common named character references with the characters they stand for. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    // hasOwn: a name like `constructor` must not reach Object.prototype.
    return name !== undefined && Object.hasOwn(NAMED, name) ? (NAMED[name] ?? whole) : whole;
  });
}
