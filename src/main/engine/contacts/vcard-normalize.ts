import iconv from 'iconv-lite';
import { decode as decodeQp } from 'libqp';

export interface RawCard {
  /** 1-based line where BEGIN:VCARD stands, for error messages. */
  line: number;
  text: string;
}

/**
 * Splits a .vcf file into cards (any line ending, folded lines kept), reporting unterminated ones.
 * Text outside BEGIN/END is ignored, as every vCard reader does.
 */
export function splitCards(content: string): { cards: RawCard[]; broken: { line: number; reason: string }[] } {
  const lines = content.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const cards: RawCard[] = [];
  const broken: { line: number; reason: string }[] = [];
  let start = -1;
  let current: string[] = [];
  lines.forEach((line, i) => {
    if (/^BEGIN:VCARD\s*$/i.test(line)) {
      if (start >= 0) broken.push({ line: start + 1, reason: 'the card has no END:VCARD (truncated file?)' });
      start = i;
      current = [line];
    } else if (start >= 0) {
      current.push(line);
      if (/^END:VCARD\s*$/i.test(line)) {
        cards.push({ line: start + 1, text: current.join('\r\n') + '\r\n' });
        start = -1;
      }
    }
  });
  if (start >= 0) broken.push({ line: start + 1, reason: 'the card has no END:VCARD (truncated file?)' });
  return { cards, broken };
}

/**
 * vCard 2.1 (Outlook, old phones) is not vCard 3.0: values may be QUOTED-PRINTABLE with a CHARSET,
 * soft line breaks end in "=", and parameters come bare ("TEL;WORK;VOICE:"). ical.js reads 3.0 and
 * 4.0 only, so a 2.1 card is rewritten into the equivalent 3.0 card first. Other versions pass as they are.
 */
export function normalizeCard(text: string): string {
  if (!/^VERSION:\s*2\.1\s*$/im.test(text)) return text;
  const physical = text.split(/\r\n|\n|\r/);
  const logical: string[] = [];
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i]!;
    if (/QUOTED-PRINTABLE/i.test(line.split(':')[0] ?? '')) {
      // QP soft breaks: "=" at the end joins the next physical line as it is.
      while (line.endsWith('=') && i + 1 < physical.length) line = line.slice(0, -1) + physical[++i]!;
    }
    if (/^[ \t]/.test(line) && logical.length > 0) logical[logical.length - 1] += line.replace(/^[ \t]/, '');
    else logical.push(line);
  }
  return logical.map(convertLine).filter((l) => l !== '').join('\r\n') + '\r\n';
}

const STRUCTURED = new Set(['N', 'ADR', 'ORG']);

function convertLine(line: string): string {
  const colon = findValueColon(line);
  if (colon < 0) return line;
  const head = line.slice(0, colon);
  let value = line.slice(colon + 1);
  const [nameWithGroup, ...params] = head.split(';');
  const name = nameWithGroup!.replace(/^.*\./, '').toUpperCase();
  if (name === 'VERSION') return `${nameWithGroup}:3.0`;
  let charset = 'utf-8';
  let qp = false;
  const types: string[] = [];
  const kept: string[] = [];
  for (const p of params) {
    const eq = p.indexOf('=');
    const key = (eq < 0 ? p : p.slice(0, eq)).trim().toUpperCase();
    const val = eq < 0 ? '' : p.slice(eq + 1).trim();
    if (eq < 0 && key === 'QUOTED-PRINTABLE') qp = true;
    else if (eq < 0 && key === 'BASE64') kept.push('ENCODING=b');
    else if (eq < 0) types.push(key);
    else if (key === 'ENCODING' && val.toUpperCase() === 'QUOTED-PRINTABLE') qp = true;
    else if (key === 'ENCODING' && val.toUpperCase() === 'BASE64') kept.push('ENCODING=b');
    else if (key === 'CHARSET') charset = val;
    else if (key === 'TYPE') types.push(...val.split(','));
    else kept.push(`${key}=${val}`);
  }
  if (qp || charset.toLowerCase() !== 'utf-8') {
    const bytes = qp ? decodeQp(value) : Buffer.from(value, 'latin1');
    const text = iconv.encodingExists(charset) ? iconv.decode(bytes, charset) : bytes.toString('utf8');
    value = escapeText(text, STRUCTURED.has(name));
  }
  if (types.length > 0) kept.unshift(`TYPE=${types.join(',')}`);
  return `${[nameWithGroup, ...kept].join(';')}:${value}`;
}

/** The colon that ends the parameters (a quoted parameter value may contain one). */
function findValueColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) return i;
  }
  return -1;
}

/** 2.1 values are unescaped; 3.0 text escapes newlines, backslashes and (outside structured values) commas. */
function escapeText(text: string, structured: boolean): string {
  let out = text.replace(/\\/g, '\\\\').replace(/\r\n|\n|\r/g, '\\n');
  if (!structured) out = out.replace(/,/g, '\\,').replace(/;/g, '\\;');
  return out;
}
