import { decodeText } from './text-decoding.js';

/**
 * Content lines of vCard (RFC 2425/2426/6350) and iCalendar (RFC 5545) files, read from bytes.
 *
 * Folding is undone on bytes, before any text is decoded: iOS folds every ~60 octets and may split
 * a multi-byte UTF-8 character across two physical lines, so decoding line by line would put
 * U+FFFD into the middle of words. Every step here is linear in the input: segments are collected
 * as views into the file and copied once per logical line.
 */
export interface LogicalLine {
  /** 1-based number of the physical line where the logical line starts, for reports. */
  line: number;
  bytes: Buffer;
  /** Byte offsets of the logical line in the input (first byte; just after its last physical line). */
  start: number;
  end: number;
}

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;
const COLON = 0x3a;
const QUOTE = 0x22;

/**
 * Unfolds physical lines into logical ones. With `quotedPrintable`, a value declared
 * QUOTED-PRINTABLE (vCard 2.1) that ends in "=" continues on the next physical line: the "=" and
 * the line break are a soft line break and add nothing. Writers that also fold such lines with a
 * leading space would otherwise leave two spaces where the text had one ("Berlin, =" + " Mitte"),
 * so a leading blank after a blank is dropped; writers that do not fold keep their text as it is.
 */
export function* logicalLines(bytes: Buffer, options: { quotedPrintable: boolean }): Generator<LogicalLine> {
  let segments: Buffer[] = [];
  let startLine = 0;
  let startOffset = 0;
  let endOffset = 0;
  let isQp = false;
  let softBreak = false;
  let blankBeforeBreak = false;
  let lineNo = 0;
  let pos = 0;
  const n = bytes.length;

  const flush = (): LogicalLine | null => {
    if (segments.length === 0) return null;
    const out = { line: startLine, bytes: segments.length === 1 ? segments[0]! : Buffer.concat(segments), start: startOffset, end: endOffset };
    segments = [];
    return out;
  };
  const take = (segment: Buffer): void => {
    softBreak = false;
    if (isQp && segment.length > 0 && segment[segment.length - 1] === EQUALS) {
      softBreak = true;
      blankBeforeBreak = endsWithBlank(segment, segment.length - 1);
      segment = segment.subarray(0, segment.length - 1);
    }
    if (segment.length > 0) segments.push(segment);
  };

  // Next CR and LF, each found by the native search once and reused until passed: linear overall.
  let nextLf = -1;
  let nextCr = -1;
  while (pos < n) {
    if (nextLf < pos) nextLf = indexOrEnd(bytes, LF, pos);
    if (nextCr < pos) nextCr = indexOrEnd(bytes, CR, pos);
    const end = nextLf < nextCr ? nextLf : nextCr;
    const physical = bytes.subarray(pos, end);
    const physicalStart = pos;
    lineNo++;
    pos = end < n && bytes[end] === CR && bytes[end + 1] === LF ? end + 2 : end + 1;

    const first = physical[0];
    if (segments.length > 0 || softBreak) {
      if (softBreak && physical.length > 0 && !isCardBoundary(physical)) {
        endOffset = end;
        take(blankBeforeBreak && (first === SPACE || first === TAB) ? physical.subarray(1) : physical);
        continue;
      }
      if (first === SPACE || first === TAB) {
        endOffset = end;
        take(physical.subarray(1));
        continue;
      }
      softBreak = false;
      const done = flush();
      if (done) yield done;
    }
    if (physical.length === 0) continue;
    startLine = lineNo;
    startOffset = physicalStart;
    endOffset = end;
    isQp = options.quotedPrintable && headMentionsQp(physical);
    take(physical);
  }
  const done = flush();
  if (done) yield done;
}

function indexOrEnd(bytes: Buffer, byte: number, from: number): number {
  const at = bytes.indexOf(byte, from);
  return at < 0 ? bytes.length : at;
}

/** Whether the byte before `index` is a blank, written as such or as =20 / =09. */
function endsWithBlank(segment: Buffer, index: number): boolean {
  const prev = segment[index - 1];
  if (prev === SPACE || prev === TAB) return true;
  if (index >= 3 && segment[index - 3] === EQUALS) {
    const code = segment.toString('latin1', index - 2, index).toUpperCase();
    return code === '20' || code === '09';
  }
  return false;
}

/** A soft line break must not swallow the end of the card (some writers end a value with "="). */
function isCardBoundary(physical: Buffer): boolean {
  if (physical.length > 16 || (physical[0] !== 0x42 && physical[0] !== 0x45 && physical[0] !== 0x62 && physical[0] !== 0x65)) return false;
  return /^(BEGIN|END):VCARD\s*$/i.test(physical.toString('latin1'));
}

function headMentionsQp(physical: Buffer): boolean {
  const colon = physical.indexOf(COLON);
  const head = physical.subarray(0, colon < 0 ? Math.min(physical.length, 512) : colon);
  if (head.indexOf(EQUALS) < 0 && head.indexOf(0x3b) < 0) return false;
  return head.indexOf('QUOTED-PRINTABLE') >= 0 || /QUOTED-PRINTABLE/i.test(head.toString('latin1'));
}

export interface ContentParam {
  /** Upper-case name, or null for a bare vCard 2.1 parameter ("TEL;WORK;VOICE:"). */
  name: string | null;
  value: string;
}

export interface ContentLine {
  line: number;
  group: string | null;
  /** Upper-case property name. */
  name: string;
  params: ContentParam[];
  value: Buffer;
}

export type ParsedLine = { ok: true; property: ContentLine } | { ok: false; line: number; reason: string };

const NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Splits a logical line into group, name, parameters and the value's bytes. The value is not
 * decoded here: its charset and encoding depend on the parameters.
 */
export function parseContentLine(l: LogicalLine): ParsedLine {
  const colon = valueColon(l.bytes);
  if (colon < 0) return { ok: false, line: l.line, reason: `line ${l.line} has no ":"` };
  const head = decodeText(l.bytes.subarray(0, colon)).text;
  const parts = splitOutsideQuotes(head, ';');
  const full = parts[0]!.trim();
  const dot = full.lastIndexOf('.');
  const group = dot > 0 ? full.slice(0, dot) : null;
  const name = dot >= 0 ? full.slice(dot + 1) : full;
  if (!NAME.test(name)) return { ok: false, line: l.line, reason: `line ${l.line} does not start with a property name` };
  const params = parts.slice(1).filter((p) => p.trim() !== '').map(parseParam);
  return { ok: true, property: { line: l.line, group, name: name.toUpperCase(), params, value: l.bytes.subarray(colon + 1) } };
}

function parseParam(raw: string): ContentParam {
  const eq = raw.indexOf('=');
  if (eq < 0) return { name: null, value: raw.trim() };
  let value = raw.slice(eq + 1).trim();
  // Quoted values may hold ; , and :. RFC 6868 ^-escapes are undone.
  value = value.replace(/"([^"]*)"/g, '$1').replace(/\^(['n^])/g, (_m, c: string) => (c === 'n' ? '\n' : c === "'" ? '"' : '^'));
  return { name: raw.slice(0, eq).trim().toUpperCase(), value };
}

/** The colon that ends the parameters: the first one outside double quotes. */
function valueColon(bytes: Buffer): number {
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) quoted = !quoted;
    else if (b === COLON && !quoted) return i;
  }
  // An unbalanced quote: fall back to the first colon rather than losing the line.
  return bytes.indexOf(COLON);
}

export function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Every value of a parameter, bare 2.1 parameters counting as TYPE, split at commas, lower-case. */
export function paramSet(p: ContentLine, name: string): Set<string> {
  const out = new Set<string>();
  for (const param of p.params) {
    if (param.name === name || (name === 'TYPE' && param.name === null)) {
      for (const v of param.value.split(',')) if (v.trim()) out.add(v.trim().toLowerCase());
    }
  }
  return out;
}

export function paramValue(p: ContentLine, name: string): string | null {
  return p.params.find((x) => x.name === name)?.value ?? null;
}
