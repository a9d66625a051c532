import { decode as decodeQp } from 'libqp';
import { paramSet, paramValue, type ContentLine } from '../pim/content-lines.js';
import { decodeText } from '../pim/text-decoding.js';

/**
 * Values of vCard properties: charset, quoted-printable and base64 (vCard 2.1), text escapes
 * (3.0/4.0), structured and list values. A value's text is decoded with its declared CHARSET,
 * else as UTF-8 when valid, else as Windows-1252 (Outlook's vCard 2.1), and every guess is noted.
 */
export type VCardVersion = '2.1' | '3.0' | '4.0';

export class ValueReader {
  /** Property names whose text had to be guessed, for one warning per card. */
  readonly assumed = new Map<string, string>();

  constructor(readonly version: VCardVersion) {}

  /** The value's text before unescaping (quoted-printable and charset undone). */
  raw(p: ContentLine): string {
    const qp = encodingOf(p) === 'quoted-printable';
    const bytes = qp ? decodeQp(p.value) : p.value;
    const decoded = decodeText(bytes, paramValue(p, 'CHARSET'));
    if (decoded.assumed) this.assumed.set(p.name, decoded.assumed);
    // Quoted-printable =0D=0A is a line break like any other.
    return decoded.text.includes('\r') ? decoded.text.replace(/\r\n?/g, '\n') : decoded.text;
  }

  /** A single text value, unescaped and trimmed; null when empty. */
  text(p: ContentLine): string | null {
    return nonEmpty(this.unescape(this.raw(p)));
  }

  /** A structured value (N, ADR, ORG, GENDER): components split at ";", each unescaped. */
  components(p: ContentLine): string[] {
    return splitUnescaped(this.raw(p), ';').map((c) => this.unescape(c).trim());
  }

  /** A structured value whose components may hold lists (N, ADR): each list joined with `glue`. */
  componentLists(p: ContentLine, glue: string): string[] {
    return splitUnescaped(this.raw(p), ';').map((c) =>
      splitUnescaped(c, this.version === '2.1' ? '\u0000' : ',')
        .map((x) => this.unescape(x).trim())
        .filter(Boolean)
        .join(glue),
    );
  }

  /** A list value (CATEGORIES, NICKNAME): split at ",". */
  list(p: ContentLine): string[] {
    return splitUnescaped(this.raw(p), ',')
      .map((x) => this.unescape(x).trim())
      .filter(Boolean);
  }

  /**
   * vCard 3.0 and 4.0 escape \\ \n \, \; (RFC 2426 §4, RFC 6350 §3.4), and Google also escapes
   * ":" in URLs. vCard 2.1 only escapes ";" in structured values, and keeps other backslashes
   * (Windows paths in notes).
   */
  unescape(text: string): string {
    if (!text.includes('\\')) return text;
    if (this.version === '2.1') return text.replace(/\\;/g, ';');
    return text.replace(/\\([\\nN,;:])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
  }
}

export function encodingOf(p: ContentLine): 'quoted-printable' | 'base64' | null {
  const declared = (paramValue(p, 'ENCODING') ?? '').toLowerCase();
  const bare = paramSet(p, 'TYPE');
  if (declared === 'quoted-printable' || bare.has('quoted-printable')) return 'quoted-printable';
  if (declared === 'b' || declared === 'base64' || bare.has('base64')) return 'base64';
  return null;
}

/** Splits at `separator` where it is not escaped by a backslash; linear, escapes kept for unescape(). */
export function splitUnescaped(text: string, separator: string): string[] {
  if (!text.includes(separator)) return [text];
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === separator) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

export function nonEmpty(s: string | null | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}
