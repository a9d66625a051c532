import { logicalLines, parseContentLine, type ContentLine } from '../pim/content-lines.js';

/**
 * Splits a .vcf file's bytes into cards of raw properties (vCard 2.1, 3.0 and 4.0; any line
 * ending; folded lines; quoted-printable soft line breaks). Values stay bytes until the property's
 * charset and encoding are known. Text outside BEGIN/END is ignored, as every vCard reader does.
 */
export interface RawCard {
  /** Line of BEGIN:VCARD. */
  line: number;
  properties: ContentLine[];
  /** Lines inside the card that were skipped (not fatal), as reasons. */
  skippedLines: string[];
}

/** A card that cannot be read as a whole: reported with its line and whatever name it has. */
export interface BrokenCard {
  line: number;
  reason: string;
  properties: ContentLine[];
}

export type CardOrBroken = { card: RawCard } | { broken: BrokenCard };

export function* readCards(bytes: Buffer): Generator<CardOrBroken> {
  let current: { line: number; properties: ContentLine[]; skippedLines: string[]; fatal: string | null } | null = null;
  let lastLine = 0;
  for (const l of logicalLines(bytes, { quotedPrintable: true })) {
    lastLine = l.line;
    const marker = boundary(l.bytes);
    if (marker === 'begin') {
      if (current) yield { broken: { line: current.line, reason: `the card has no END:VCARD before the next card begins at line ${l.line}`, properties: current.properties } };
      current = { line: l.line, properties: [], skippedLines: [], fatal: null };
      continue;
    }
    if (!current) continue;
    if (marker === 'end') {
      yield current.fatal
        ? { broken: { line: current.line, reason: current.fatal, properties: current.properties } }
        : { card: { line: current.line, properties: current.properties, skippedLines: current.skippedLines } };
      current = null;
      continue;
    }
    const parsed = parseContentLine(l);
    if (parsed.ok) current.properties.push(parsed.property);
    else if (parsed.reason.endsWith('has no ":"')) current.fatal ??= `${parsed.reason}, so the card cannot be read reliably`;
    else current.skippedLines.push(parsed.reason);
  }
  if (current) yield { broken: { line: current.line, reason: `the card has no END:VCARD (the file ends at line ${lastLine}; truncated?)`, properties: current.properties } };
}

function boundary(bytes: Buffer): 'begin' | 'end' | null {
  const first = bytes[0];
  if (bytes.length > 24 || (first !== 0x42 && first !== 0x45 && first !== 0x62 && first !== 0x65)) return null;
  const text = bytes.toString('latin1').trim().toUpperCase();
  if (text === 'BEGIN:VCARD') return 'begin';
  if (text === 'END:VCARD') return 'end';
  return null;
}
