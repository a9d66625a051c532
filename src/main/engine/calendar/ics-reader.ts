import { logicalLines } from '../pim/content-lines.js';
import { decodeText } from '../pim/text-decoding.js';

/**
 * Reads an .ics file's bytes without building it in memory: one pass indexes the top-level
 * components (VEVENT, VTIMEZONE, VTODO, …) by byte range, UID and RECURRENCE-ID; each component is
 * decoded and parsed on its own later. So a 50 MB file needs little more than its own bytes, a
 * series and its changed occurrences can be grouped wherever they stand in the file, and nesting
 * is counted, never recursed: a file nested thousands of levels deep is reported, not a crash.
 */
export interface IndexedComponent {
  /** Upper-case component name. */
  name: string;
  /** Line of its BEGIN. */
  line: number;
  start: number;
  end: number;
  uid: string | null;
  hasRecurrenceId: boolean;
  /** Set when the component cannot be read as a whole (too deep, or the file ends inside it). */
  problem: string | null;
}

/** VCALENDAR → VEVENT → VALARM is 3; real files never go much deeper. */
export const MAX_NESTING = 12;

const BEGIN = /^BEGIN:([A-Za-z0-9-]+)\s*$/i;
const END = /^END:([A-Za-z0-9-]+)\s*$/i;

export function* indexComponents(bytes: Buffer): Generator<IndexedComponent> {
  const stack: string[] = [];
  let beyond = 0;
  let top: IndexedComponent | null = null;
  let topDepth = 0;
  for (const l of logicalLines(bytes, { quotedPrintable: false })) {
    const marker = l.bytes.length <= 64 ? l.bytes.toString('latin1') : '';
    const begin = BEGIN.exec(marker);
    if (begin) {
      if (stack.length >= MAX_NESTING) {
        beyond++;
        if (top && !top.problem) top.problem = `it is nested more than ${MAX_NESTING} levels deep (line ${l.line})`;
        continue;
      }
      const name = begin[1]!.toUpperCase();
      stack.push(name);
      const isTop = stack.length === 1 ? name !== 'VCALENDAR' : stack.length === 2 && stack[0] === 'VCALENDAR';
      if (!top && isTop) {
        top = { name, line: l.line, start: l.start, end: l.end, uid: null, hasRecurrenceId: false, problem: null };
        topDepth = stack.length;
      }
      continue;
    }
    const end = END.exec(marker);
    if (end) {
      if (beyond > 0) {
        beyond--;
        continue;
      }
      const at = stack.lastIndexOf(end[1]!.toUpperCase());
      if (at < 0) continue; // an END for nothing open: ignored, like other readers do
      stack.length = at;
      if (top && stack.length < topDepth) {
        top.end = l.end;
        yield top;
        top = null;
      }
      continue;
    }
    if (top && stack.length === topDepth && beyond === 0) {
      const head = l.bytes.toString('latin1', 0, Math.min(l.bytes.length, 16)).toUpperCase();
      if (/^UID[;:]/.test(head)) top.uid = uidValue(l.bytes);
      else if (/^RECURRENCE-ID[;:]/.test(head)) top.hasRecurrenceId = true;
    }
  }
  if (top) {
    top.problem ??= `the file ends before END:${top.name} (truncated?)`;
    top.end = bytes.length;
    yield top;
  }
}

function uidValue(line: Buffer): string | null {
  const colon = line.indexOf(0x3a);
  if (colon < 0) return null;
  const text = decodeText(line.subarray(colon + 1)).text.trim();
  return text ? text.replace(/\\([\\;,])/g, '$1') : null;
}

export interface ComponentText {
  text: string;
  /** Findings worth a warning: an encoding assumed, a line skipped. */
  warnings: string[];
}

/**
 * One component's text, decoded line by line (UTF-8, or Windows-1252 for lines that are not valid
 * UTF-8, said in a warning), with lines that cannot be read skipped and named.
 */
export function componentText(bytes: Buffer, c: IndexedComponent): ComponentText {
  const lines: string[] = [];
  const guessed = new Set<string>();
  const skipped: number[] = [];
  let guess: string | null = null;
  for (const l of logicalLines(bytes.subarray(c.start, c.end), { quotedPrintable: false })) {
    const decoded = decodeText(l.bytes);
    if (decoded.assumed) {
      guess = decoded.assumed;
      guessed.add(decoded.text.split(/[;:]/, 1)[0]!.toUpperCase());
    }
    if (!decoded.text.includes(':')) {
      skipped.push(l.line + c.line - 1);
      continue;
    }
    lines.push(decoded.text);
  }
  const warnings: string[] = [];
  if (guess) warnings.push(`text in ${[...guessed].join(', ')} was read as ${guess}`);
  if (skipped.length) warnings.push(`line${skipped.length > 1 ? 's' : ''} ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''} could not be read and ${skipped.length > 1 ? 'were' : 'was'} skipped`);
  return { text: `${lines.join('\r\n')}\r\n`, warnings };
}
