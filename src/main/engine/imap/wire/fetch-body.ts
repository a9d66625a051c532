import type { WireResponse } from './response-reader.js';

/** The UID and body of one `* n FETCH (…)` response, the body as the pieces it arrived in. */
export interface FetchedBody {
  uid: number;
  /** Null when the server sent NIL for the body (the message is gone). */
  body: Buffer[] | null;
}

type Token = { kind: 'atom'; text: string } | { kind: 'string'; text: string } | { kind: 'literal'; index: number } | { kind: 'open' } | { kind: 'close' };

const FETCH_HEAD = /^\* \d+ FETCH \(/i;

/**
 * The UID and the body section of a FETCH response, or null when the response is not a FETCH or
 * carries no body (e.g. an unsolicited flag update). The item order is the server's choice (some
 * send UID after the body); the body may come as a literal, a quoted string or NIL. Anything else
 * in the response (FLAGS, MODSEQ, …) is skipped.
 */
export function fetchedBody(response: WireResponse): FetchedBody | null {
  const head = FETCH_HEAD.exec(response.lines[0]!);
  if (!head) return null;
  const tokens = tokenize(response, head[0].length);
  let uid: number | null = null;
  let body: Buffer[] | null | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const name = tokens[i]!;
    // Lists are skipped whole, so a ")" here closes the FETCH.
    if (name.kind === 'close') break;
    if (name.kind !== 'atom') continue;
    const value = tokens[i + 1];
    const key = name.text.toUpperCase();
    if (key === 'UID' && value?.kind === 'atom' && /^\d+$/.test(value.text)) {
      uid = Number(value.text);
      i++;
    } else if (key.startsWith('BODY[') || key.startsWith('BINARY[')) {
      if (value?.kind === 'literal') body = response.literals[value.index]!;
      else if (value?.kind === 'string') body = [Buffer.from(value.text, 'latin1')];
      else if (value?.kind === 'atom' && value.text.toUpperCase() === 'NIL') body = null;
      i++;
    } else if (value?.kind === 'open') {
      // A list value (FLAGS, …): skip it whole.
      i = skipList(tokens, i + 1);
    } else {
      i++;
    }
  }
  if (uid === null || body === undefined) return null;
  return { uid, body };
}

/** Index of the token that closes the list opened at `open`. */
function skipList(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'open') depth++;
    else if (t.kind === 'close' && --depth === 0) return i;
  }
  return tokens.length;
}

/**
 * The tokens of a response from `start` of its first line on, a literal standing between two
 * lines. Atoms may carry a bracketed section with spaces and parentheses (`BODY[HEADER.FIELDS
 * (DATE)]`) and a partial range (`BODY[]<0>`).
 */
function tokenize(response: WireResponse, start: number): Token[] {
  const tokens: Token[] = [];
  response.lines.forEach((line, index) => {
    if (index > 0) tokens.push({ kind: 'literal', index: index - 1 });
    let at = index === 0 ? start : 0;
    while (at < line.length) {
      const c = line[at]!;
      if (c === ' ') {
        at++;
      } else if (c === '(') {
        tokens.push({ kind: 'open' });
        at++;
      } else if (c === ')') {
        tokens.push({ kind: 'close' });
        at++;
      } else if (c === '"') {
        let text = '';
        at++;
        while (at < line.length && line[at] !== '"') {
          if (line[at] === '\\' && at + 1 < line.length) at++;
          text += line[at]!;
          at++;
        }
        at++;
        tokens.push({ kind: 'string', text });
      } else {
        const from = at;
        let brackets = 0;
        while (at < line.length) {
          const d = line[at]!;
          if (d === '[') brackets++;
          else if (d === ']') brackets--;
          else if (brackets <= 0 && (d === ' ' || d === '(' || d === ')')) break;
          at++;
        }
        tokens.push({ kind: 'atom', text: line.slice(from, at) });
      }
    }
  });
  return tokens;
}
