import type { WireResponse } from './response-reader.js';

/**
 * A value in a FETCH response, shaped as imapflow's own parser shapes it, so imapflow's formatters
 * (`parseEnvelope`) read it exactly as they read their own: NIL is null, a list an array, a quoted
 * string or atom `{ type, value }` with the value decoded as UTF-8 (imapflow decodes the line as
 * UTF-8), a literal `{ type: 'LITERAL', value }` with its bytes. `raw` keeps a string's bytes
 * (latin1, one character per byte) for a body sent as a quoted string.
 */
export type ItemValue = null | ItemValue[] | { type: 'ATOM' | 'STRING'; value: string; raw: string } | { type: 'LITERAL'; readonly value: Buffer; parts: Buffer[] };

const FETCH_HEAD = /^\* (\d+) FETCH \(/i;
const EIGHT_BIT = /[\x80-\xff]/;

/**
 * The items of a `* n FETCH (…)` response by upper-case name (`UID`, `FLAGS`, `BODY[]`, …), or null
 * when the response is not a FETCH. Atoms may carry a bracketed section with spaces and parentheses
 * (`BODY[HEADER.FIELDS (DATE)]`) and a partial range (`BODY[]<0>`). A malformed list ends where the
 * response ends: what was read stays, nothing is guessed.
 */
export function fetchItems(response: WireResponse): Map<string, ItemValue> | null {
  const head = FETCH_HEAD.exec(response.lines[0]!);
  if (!head) return null;
  const reader = new ItemReader(response, head[0].length);
  const items = new Map<string, ItemValue>();
  for (;;) {
    const name = reader.next();
    if (typeof name !== 'object' || name === null || Array.isArray(name) || name.type !== 'ATOM') break;
    const value = reader.value();
    if (value === END) break;
    items.set(name.value.toUpperCase(), value);
  }
  return items;
}

const END = Symbol('end');
const CLOSE = Symbol('close');
const OPEN = Symbol('open');
type Token = ItemValue | typeof END | typeof CLOSE | typeof OPEN;

/** Atoms that a "[" after them opens a section for (as imapflow's parser reads them); elsewhere "[" is a character. */
const SECTIONED = new Set(['BODY', 'BODY.PEEK', 'BINARY', 'BINARY.PEEK']);
/** Whether a character may follow a backslash as the start of a flag: an ATOM-CHAR (no control, space or atom-special), or "*". */
function startsFlag(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  return c === '*' || (code > 0x20 && code !== 0x7f && !'(){%"\\]'.includes(c));
}

/** Reads the tokens of a response's lines in order, a literal standing between two lines. */
class ItemReader {
  private line = 0;
  private at: number;
  /** How deep in lists the reader is (a flag list is where two flags may come without a space). */
  private depth = 0;

  constructor(
    private readonly response: WireResponse,
    start: number,
  ) {
    this.at = start;
  }

  /** One value: a list read whole, or a single token. */
  value(): ItemValue | typeof END {
    const token = this.next();
    if (token === OPEN) {
      const list: ItemValue[] = [];
      this.depth++;
      try {
        for (;;) {
          const inner = this.peekClose() ? CLOSE : this.value();
          if (inner === CLOSE || inner === END) return list;
          list.push(inner);
        }
      } finally {
        this.depth--;
      }
    }
    return token === CLOSE ? END : token;
  }

  private peekClose(): boolean {
    const text = this.response.lines[this.line]!;
    while (this.at < text.length && text[this.at] === ' ') this.at++;
    if (text[this.at] === ')') {
      this.at++;
      return true;
    }
    return false;
  }

  next(): Token {
    const { lines, literals } = this.response;
    for (;;) {
      const text = lines[this.line]!;
      while (this.at < text.length && text[this.at] === ' ') this.at++;
      if (this.at >= text.length) {
        // The end of a line is a literal, unless it is the last line.
        if (this.line >= literals.length) return END;
        const parts = literals[this.line]!;
        this.line++;
        this.at = 0;
        return literal(parts);
      }
      const c = text[this.at]!;
      if (c === '(') {
        this.at++;
        return OPEN;
      }
      if (c === ')') {
        this.at++;
        return CLOSE;
      }
      if (c === '"') return this.quoted(text);
      return this.atom(text);
    }
  }

  private quoted(text: string): Token {
    let raw = '';
    this.at++;
    while (this.at < text.length && text[this.at] !== '"') {
      if (text[this.at] === '\\' && this.at + 1 < text.length) this.at++;
      raw += text[this.at]!;
      this.at++;
    }
    this.at++;
    return { type: 'STRING', value: utf8(raw), raw };
  }

  private atom(text: string): Token {
    const from = this.at;
    let brackets = 0;
    while (this.at < text.length) {
      const d = text[this.at]!;
      if (brackets > 0) {
        if (d === '[') brackets++;
        else if (d === ']') brackets--;
      } else if (d === '[' && SECTIONED.has(text.slice(from, this.at).toUpperCase())) {
        brackets = 1;
      } else if (d === ' ' || d === '(' || d === ')') {
        break;
      } else if (d === '\\' && this.depth > 0 && this.at - from > 1 && text[from] === '\\' && startsFlag(text[this.at + 1])) {
        // Two flags without the space between ("\\Seen\\Flagged", as some servers write them):
        // read as two, as imapflow does.
        break;
      }
      this.at++;
    }
    const raw = text.slice(from, this.at);
    if (raw.toUpperCase() === 'NIL') return null;
    return { type: 'ATOM', value: utf8(raw), raw };
  }
}

/** A literal whose pieces are joined only if its value is read (a message body's never is: it goes on as pieces). */
function literal(parts: Buffer[]): ItemValue {
  let joined: Buffer | undefined;
  return {
    type: 'LITERAL',
    parts,
    get value(): Buffer {
      joined ??= parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      return joined;
    },
  };
}

/** A latin1-decoded piece of the line (one character per byte) as imapflow reads it: UTF-8. */
function utf8(latin1: string): string {
  return EIGHT_BIT.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}
