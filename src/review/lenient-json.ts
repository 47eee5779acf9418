/**
 * A forgiving JSON reader for what small models actually write: single quotes, unquoted keys,
 * trailing or missing commas, comments, bare words, and output cut off mid-way. It never throws.
 * Objects and arrays that were still open when the text ended are reported in `incomplete`, so
 * callers can keep finished items and drop a half-written one.
 */

export interface LenientResult {
  value: unknown;
  /** Containers the text ended inside of. */
  incomplete: WeakSet<object>;
  /** Where parsing stopped. */
  end: number;
}

class Reader {
  pos = 0;
  readonly incomplete = new WeakSet<object>();
  /** Nesting guard: hostile input must not blow the stack. */
  depth = 0;
  constructor(readonly s: string) {}

  get eof(): boolean {
    return this.pos >= this.s.length;
  }

  skipSpace(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\u00a0' || c === '\ufeff') this.pos++;
      else if (c === '/' && s[this.pos + 1] === '/') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? s.length : end + 2;
      } else break;
    }
  }

  /** undefined = nothing usable here (the text ended or a stray character). */
  value(): unknown {
    this.skipSpace();
    if (this.eof) return undefined;
    const c = this.s[this.pos]!;
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"' || c === "'" || c === '`' || c === '\u201c') return this.string();
    return this.bare();
  }

  string(): string | undefined {
    const open = this.s[this.pos]!;
    const close = open === '\u201c' ? '\u201d' : open;
    this.pos++;
    let out = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos]!;
      if (c === close) {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const n = this.s[this.pos + 1];
        this.pos += 2;
        if (n === undefined) break;
        if (n === 'n') out += '\n';
        else if (n === 't') out += '\t';
        else if (n === 'r') out += '\r';
        else if (n === 'b') out += '\b';
        else if (n === 'f') out += '\f';
        else if (n === 'u') {
          const hex = this.s.slice(this.pos, this.pos + 4);
          if (/^[0-9a-fA-F]{4}$/.test(hex)) {
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
          }
        } else out += n;
        continue;
      }
      out += c;
      this.pos++;
    }
    // The text ended inside the string: it is not a finished value.
    this.pos = this.s.length;
    return undefined;
  }

  bare(): unknown {
    const m = /^[^,:{}\[\]\s]+/.exec(this.s.slice(this.pos, this.pos + 200));
    if (!m) {
      this.pos++;
      return undefined;
    }
    this.pos += m[0].length;
    const w = m[0];
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null' || w === 'undefined') return null;
    if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(w)) return Number(w);
    return w;
  }

  key(): string | undefined {
    this.skipSpace();
    const c = this.s[this.pos];
    if (c === undefined) return undefined;
    if (c === '"' || c === "'" || c === '`' || c === '\u201c') return this.string();
    const m = /^[A-Za-z_$][\w$-]*/.exec(this.s.slice(this.pos, this.pos + 100));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  object(): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    this.pos++;
    if (++this.depth > 64) {
      this.pos = this.s.length;
      this.incomplete.add(obj);
      return obj;
    }
    for (;;) {
      this.skipSpace();
      if (this.eof) break;
      const c = this.s[this.pos]!;
      if (c === '}') {
        this.pos++;
        this.depth--;
        return obj;
      }
      if (c === ',') {
        this.pos++;
        continue;
      }
      const start = this.pos;
      const k = this.key();
      this.skipSpace();
      if (k === undefined || this.s[this.pos] !== ':') {
        if (this.eof) break;
        // Not a key: skip a character and try again rather than give up on the whole object.
        if (this.pos === start) this.pos++;
        continue;
      }
      this.pos++;
      const before = this.pos;
      const v = this.value();
      if (this.eof && v === undefined) break;
      if (v !== undefined && k !== '__proto__') obj[k] = v;
      if (this.pos === before) this.pos++;
      if (this.eof && typeof v === 'object' && v !== null && this.incomplete.has(v)) break;
    }
    this.depth--;
    this.incomplete.add(obj);
    return obj;
  }

  array(): unknown[] {
    const arr: unknown[] = [];
    this.pos++;
    if (++this.depth > 64) {
      this.pos = this.s.length;
      this.incomplete.add(arr);
      return arr;
    }
    for (;;) {
      this.skipSpace();
      if (this.eof) break;
      const c = this.s[this.pos]!;
      if (c === ']') {
        this.pos++;
        this.depth--;
        return arr;
      }
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        // A model that forgot to close the array: end it here, leave the brace to the object.
        break;
      }
      const before = this.pos;
      const v = this.value();
      if (v !== undefined) arr.push(v);
      if (this.pos === before) this.pos++;
    }
    this.depth--;
    this.incomplete.add(arr);
    return arr;
  }
}

/** Reads one JSON-ish value starting at `from` (which should point at `{` or `[`). */
export function parseLenient(text: string, from = 0): LenientResult {
  const r = new Reader(typeof text === 'string' ? text : '');
  r.pos = from;
  try {
    const value = r.value();
    return { value, incomplete: r.incomplete, end: r.pos };
  } catch {
    return { value: undefined, incomplete: r.incomplete, end: r.s.length };
  }
}
