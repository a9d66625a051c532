import { megabytes } from '../../../shared/byte-size.js';
import { paramSet, paramValue, type ContentLine } from '../pim/content-lines.js';
import { encodingOf, type ValueReader } from './vcard-values.js';

export type PhotoResult = { contentType: string; data: Buffer } | { url: string } | { problem: string };

/** Graph stores contact photos up to 4 MB. */
export const MAX_PHOTO_BYTES = 4 * 1024 * 1024;

/**
 * PHOTO as vCard 2.1/3.0 write it (ENCODING=BASE64/b with TYPE=JPEG), as 4.0 writes it (a data:
 * URI), or a link (reported: Cutover does not fetch from the network on the person's behalf).
 */
export function readPhoto(p: ContentLine, values: ValueReader): PhotoResult {
  const encoding = encodingOf(p);
  if (encoding === 'base64') {
    const type = [...paramSet(p, 'TYPE')].find((t) => t !== 'pref') ?? 'jpeg';
    return checked(type.includes('/') ? type : `image/${type === 'jpg' ? 'jpeg' : type}`, base64(p.value));
  }
  const text = values.raw(p).trim();
  const dataUri = /^data:([^;,]*)((?:;[^;,]*)*),/i.exec(text.slice(0, 200));
  if (dataUri) {
    const payload = text.slice(dataUri[0].length);
    const isBase64 = /;base64/i.test(dataUri[2] ?? '');
    return checked(dataUri[1] || 'image/jpeg', isBase64 ? base64(Buffer.from(payload, 'latin1')) : Buffer.from(decodeURIComponentSafe(payload), 'utf8'));
  }
  if (/^https?:\/\//i.test(text)) return { url: text };
  const valueType = paramValue(p, 'VALUE');
  return { problem: valueType ? `a ${valueType.toLowerCase()} value Cutover cannot read` : 'in a form Cutover cannot read' };
}

function checked(contentType: string, data: Buffer): PhotoResult {
  if (data.length === 0) return { problem: 'empty' };
  if (data.length > MAX_PHOTO_BYTES) return { problem: `${megabytes(data.length)}, more than the 4 MB Outlook stores` };
  return { contentType: contentType.toLowerCase(), data };
}

/** Base64 with the line breaks and blanks of folded lines removed. */
function base64(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/[^A-Za-z0-9+/=_-]/g, ''), 'base64');
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
