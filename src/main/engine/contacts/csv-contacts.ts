import { parse, type CsvError } from 'csv-parse';
import { InputProblem, type PlanControl } from '../pim/plan-control.js';
import { decodeText, fileBytes } from '../pim/text-decoding.js';
import { emptyContactRecord, type AddressKind, type ContactRecord, type PartialDate, type PhoneKind } from './contact-record.js';
import { normalizeHeader, OUTLOOK_LOOKUP, type CsvField, type CsvLanguage } from './csv-headers.js';

/**
 * Contact CSV exports: classic Outlook (in the language of the Outlook that wrote it), Outlook.com /
 * new Outlook, and Google Contacts (today's and older exports). The format is recognised from the
 * header row and named in the plan; rows are read by csv-parse (RFC 4180: quoted fields with
 * commas, quotes and line breaks) one at a time, and each becomes a contact record for the one
 * contact mapping. Classic Outlook writes the Windows code page: a file without a byte-order mark
 * that is not valid UTF-8 is read as Windows-1252, and the contacts say so.
 */
export interface CsvRow {
  record: ContactRecord;
  line: number;
}

export interface CsvFile {
  format: string;
  fileWarnings: string[];
  rows: AsyncGenerator<CsvRow | { line: number; problem: string }>;
}

/** A field longer than this is not a contact (csv-parse stops there instead of buffering without end). */
const MAX_RECORD_CHARS = 1_000_000;

export function readCsvContacts(raw: Buffer, control: PlanControl): CsvFile {
  const { bytes, assumed } = fileBytes(raw);
  const decoded = decodeText(bytes);
  const text = decoded.text.replace(/^\ufeff/, '');
  const fileWarnings = [assumed, decoded.assumed ? `the file was read as ${decoded.assumed}` : null].filter((w): w is string => w !== null);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].map((d) => ({ d, n: countOutsideQuotes(firstLine, d) })).sort((a, b) => b.n - a.n)[0]!;
  if (delimiter.n === 0 && !/[A-Za-z]/.test(firstLine)) throw new InputProblem('the file has no header row');
  const parsed = parseAll(text, delimiter.n ? delimiter.d : ',');
  let at = 0;
  const records = {
    next: async (): Promise<IteratorResult<{ record: string[]; info: { lines: number } }>> => {
      const done = await parsed;
      if (at < done.records.length) return { done: false, value: done.records[at++]! };
      if (done.error) {
        const error = done.error;
        done.error = null;
        throw error;
      }
      return { done: true, value: undefined };
    },
  };
  const file: CsvFile = { format: 'CSV', fileWarnings, rows: rowsOf() };
  // One row at a time: the header names the format, then each row becomes a record (or a report).
  async function* rowsOf(): AsyncGenerator<CsvRow | { line: number; problem: string }> {
    const first = await records.next().catch((err: unknown) => {
      throw new InputProblem(`its header row could not be read: ${csvProblem(err as CsvError)}`);
    });
    if (first.done) throw new InputProblem('the file is empty');
    const recognised = recogniseFormat(first.value.record);
    file.format = recognised.name;
    let line = first.value.info.lines + 1;
    for (;;) {
      let next: IteratorResult<{ record: string[]; info: { lines: number } }>;
      try {
        next = await records.next();
      } catch (err) {
        yield { line, problem: `the rest of the file could not be read: ${csvProblem(err as CsvError)}` };
        return;
      }
      if (next.done) return;
      const start = line;
      line = next.value.info.lines + 1;
      await control.checkpoint();
      if (next.value.record.every((v) => !v.trim())) continue;
      try {
        yield { record: recognised.map(next.value.record), line: start };
      } catch (err) {
        yield { line: start, problem: err instanceof InputProblem ? err.message : 'it could not be read because of an internal error in Cutover' };
      }
    }
  }
  return file;
}

/**
 * Every record csv-parse reads, and its error if it stops: the rows before a broken one are kept
 * (a stream's iterator would drop them with the error). The file is already in memory, within the
 * export size limit, so its records are too.
 */
function parseAll(text: string, delimiter: string): Promise<{ records: { record: string[]; info: { lines: number } }[]; error: CsvError | null }> {
  return new Promise((resolve) => {
    const records: { record: string[]; info: { lines: number } }[] = [];
    const parser = parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS, info: true });
    parser.on('data', (r: { record: string[]; info: { lines: number } }) => records.push(r));
    parser.on('error', (error: CsvError) => resolve({ records, error }));
    parser.on('end', () => resolve({ records, error: null }));
    parser.end(text);
  });
}

function countOutsideQuotes(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === ch && !quoted) n++;
  }
  return n;
}

function csvProblem(err: CsvError): string {
  const at = typeof err?.lines === 'number' ? ` (line ${err.lines})` : '';
  switch (err?.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `a quoted field is never closed${at}`;
    case 'CSV_MAX_RECORD_SIZE':
      return `a row is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters${at}`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `a quoted field is followed by other characters${at}`;
    default:
      return `it is not valid CSV${at}`;
  }
}

interface Recognised {
  name: string;
  map: (row: string[]) => ContactRecord;
}

/** Which exporter wrote the file, from its header row. */
export function recogniseFormat(names: string[]): Recognised {
  const norm = names.map(normalizeHeader);
  const has = (n: string): boolean => norm.includes(n);
  if (norm.some((n) => /^(e-mail|phone|address) 1 - (label|value|type)$/.test(n))) {
    const older = has('given name') && has('family name');
    return { name: older ? 'Google Contacts CSV (older export)' : 'Google Contacts CSV', map: (row) => googleRow(norm, row) };
  }
  let best: { language: CsvLanguage; hits: number } = { language: 'English', hits: 0 };
  for (const [language, lookup] of Object.entries(OUTLOOK_LOOKUP) as [CsvLanguage, Map<string, CsvField>][]) {
    const hits = norm.filter((n) => lookup.has(n)).length;
    if (hits > best.hits) best = { language, hits };
  }
  if (best.hits < 2) throw new InputProblem('its header row is not one of an Outlook or Google contacts export (no known column such as "First Name" or "E-mail Address")');
  const lookup = OUTLOOK_LOOKUP[best.language];
  const fields = norm.map((n) => lookup.get(n) ?? null);
  // Outlook.com and new Outlook write a shorter English header that starts with the names and has IMAddress.
  const outlookCom = best.language === 'English' && norm[0] === 'first name' && has('imaddress');
  const name = outlookCom ? 'Outlook.com / new Outlook CSV' : `Outlook CSV (${best.language})`;
  const slashDateOrder = best.language === 'English' ? 'mdy' : 'dmy';
  return { name, map: (row) => outlookRow(fields, names, row, slashDateOrder) };
}

function outlookRow(fields: (CsvField | null)[], names: string[], row: string[], order: 'mdy' | 'dmy'): ContactRecord {
  const r = emptyContactRecord();
  const v = new Map<CsvField, string>();
  for (const [i, raw] of row.entries()) {
    const value = raw.trim();
    if (!value) continue;
    const field = fields[i];
    if (field === 'ignored') continue;
    if (field) v.set(field, value);
    else if (names[i]?.trim()) r.other.push({ label: names[i]!.trim(), value });
  }
  const g = (f: CsvField): string | null => v.get(f) ?? null;
  r.name = { formatted: null, given: g('first'), family: g('last'), middle: g('middle'), prefix: g('title'), suffix: g('suffix'), nickname: g('nickname'), phoneticGiven: g('givenYomi'), phoneticMiddle: null, phoneticFamily: g('surnameYomi') };
  r.organization = { company: g('company'), departments: g('department') ? [g('department')!] : [], phoneticCompany: g('companyYomi'), jobTitle: g('jobTitle'), profession: g('profession'), office: g('office') };
  for (const f of ['email1', 'email2', 'email3'] as const) if (g(f)) r.emails.push({ address: g(f)!, kind: null, label: null });
  if (g('im')) r.im.push({ address: g('im')!, service: null });
  const phones: [CsvField, PhoneKind, string | null][] = [
    ['mobilePhone', 'mobile', null], ['businessPhone', 'work', null], ['businessPhone2', 'work', null], ['homePhone', 'home', null], ['homePhone2', 'home', null],
    ['companyMainPhone', 'main', 'Company main phone'], ['primaryPhone', 'voice', 'Primary phone'], ['otherPhone', 'other', 'Other'], ['assistantPhone', 'assistant', null],
    ['carPhone', 'car', null], ['pager', 'pager', null], ['businessFax', 'workFax', null], ['homeFax', 'homeFax', null], ['otherFax', 'fax', 'Other fax'],
    ['callback', 'other', 'Callback'], ['radioPhone', 'other', 'Radio'], ['isdn', 'other', 'ISDN'], ['telex', 'other', 'Telex'], ['ttyPhone', 'other', 'TTY/TDD'],
  ];
  for (const [f, kind, label] of phones) if (g(f)) r.phones.push({ number: g(f)!, kind, label });
  for (const [kind, p] of [['work', 'business'], ['home', 'home'], ['other', 'other']] as const) {
    const street = [g(`${p}Street`), g(`${p}Street2`), g(`${p}Street3`), g(`${p}PoBox`)].filter(Boolean).join('\n');
    const [city, region, postalCode, country] = [g(`${p}City`), g(`${p}State`), g(`${p}PostalCode`), g(`${p}Country`)];
    if (street || city || region || postalCode || country) r.addresses.push({ kind: kind as AddressKind, label: null, street, city: city ?? '', region: region ?? '', postalCode: postalCode ?? '', country: country ?? '' });
  }
  const birthday = g('birthday');
  if (birthday) {
    const d = csvDate(birthday, order);
    if (d) r.birthday = d;
    else if (!isEmptyDate(birthday)) r.other.push({ label: 'Birthday', value: birthday });
  }
  const anniversary = g('anniversary');
  if (anniversary && !isEmptyDate(anniversary)) r.dates.push({ label: 'Anniversary', date: csvDate(anniversary, order) ?? anniversary });
  const gender = g('gender');
  if (gender && !/^(unspecified|unbekannt|non spécifié|no especificado|non specificato|niet opgegeven|0)$/i.test(gender)) r.gender = gender;
  if (g('spouse')) r.related.push({ relation: 'spouse', name: g('spouse')! });
  for (const child of (g('children') ?? '').split(/[;,]/).map((c) => c.trim()).filter(Boolean)) r.related.push({ relation: 'child', name: child });
  if (g('manager')) r.related.push({ relation: 'manager', name: g('manager')! });
  if (g('assistant')) r.related.push({ relation: 'assistant', name: g('assistant')! });
  if (g('webPage')) r.urls.push({ url: g('webPage')!, label: 'work' });
  if (g('personalWebPage')) r.urls.push({ url: g('personalWebPage')!, label: 'home' });
  r.categories = (g('categories') ?? '').split(';').map((c) => c.trim()).filter(Boolean);
  r.note = g('notes');
  return r;
}

const GOOGLE_KIND: Record<string, AddressKind> = { work: 'work', home: 'home', other: 'other' };

/** Google's CSV: fixed name columns, numbered groups ("E-mail 1 - Label"/"- Value"), several values joined by " ::: ". */
function googleRow(norm: string[], row: string[]): ContactRecord {
  const r = emptyContactRecord();
  const v = new Map<string, string>();
  for (const [i, raw] of row.entries()) if (raw.trim() && norm[i]) v.set(norm[i]!, raw.trim());
  const g = (...keys: string[]): string | null => keys.map((k) => v.get(k)).find((x) => x !== undefined) ?? null;
  const used = new Set<string>();
  const take = (...keys: string[]): string | null => {
    keys.forEach((k) => used.add(k));
    return g(...keys);
  };
  r.name = {
    formatted: take('name', 'file as'),
    given: take('first name', 'given name'),
    middle: take('middle name', 'additional name'),
    family: take('last name', 'family name'),
    prefix: take('name prefix'),
    suffix: take('name suffix'),
    nickname: take('nickname'),
    phoneticGiven: take('phonetic first name', 'given name yomi'),
    phoneticMiddle: take('phonetic middle name', 'additional name yomi'),
    phoneticFamily: take('phonetic last name', 'family name yomi'),
  };
  r.organization = {
    company: take('organization name', 'organization 1 - name'),
    departments: [take('organization department', 'organization 1 - department')].filter((d): d is string => d !== null),
    phoneticCompany: take('organization 1 - yomi name', 'organization phonetic name'),
    jobTitle: take('organization title', 'organization 1 - title'),
    profession: take('occupation'),
    office: take('organization 1 - location', 'organization location'),
  };
  const birthday = take('birthday');
  if (birthday) r.birthday = csvDate(birthday, 'mdy');
  if (birthday && !r.birthday) r.other.push({ label: 'Birthday', value: birthday });
  r.note = take('notes');
  r.gender = take('gender');
  take('photo');
  r.categories = (take('labels', 'group membership') ?? '').split(':::').map((c) => c.trim()).filter((c) => c && !/^\* ?(mycontacts|starred)$/i.test(c) && c !== 'System Group: My Contacts');
  for (const key of [...v.keys()]) {
    const m = /^(e-mail|phone|address|website|relation|event|im|custom field|external id) (\d+) - (label|type|value|formatted)$/.exec(key);
    if (!m || m[3] === 'label' || m[3] === 'type') continue;
    const group = `${m[1]} ${m[2]}`;
    const label = (g(`${group} - label`, `${group} - type`) ?? '').replace(/^\* /, '').trim() || null;
    used.add(`${group} - label`).add(`${group} - type`).add(key);
    const values = v.get(key)!.split(':::').map((x) => x.trim()).filter(Boolean);
    const kind = label ? (GOOGLE_KIND[label.toLowerCase()] ?? null) : null;
    for (const value of values) {
      if (m[1] === 'e-mail') r.emails.push({ address: value, kind, label });
      else if (m[1] === 'phone') r.phones.push({ number: value, kind: googlePhoneKind(label), label });
      else if (m[1] === 'website') r.urls.push({ url: value, label: label?.toLowerCase() ?? null });
      else if (m[1] === 'relation') r.related.push({ relation: label?.toLowerCase() ?? 'related', name: value });
      else if (m[1] === 'event') r.dates.push({ label: label ?? 'Date', date: csvDate(value, 'mdy') ?? value });
      else if (m[1] === 'im') r.im.push({ address: value, service: label });
      else if (m[1] === 'address' && m[3] === 'formatted') {
        const street = g(`${group} - street`);
        if (street !== null || g(`${group} - city`) !== null) continue; // the parts are read below
        r.addresses.push({ kind: kind ?? 'other', label, street: value, city: '', region: '', postalCode: '', country: '' });
      } else r.other.push({ label: label ?? group, value });
    }
  }
  for (const key of [...v.keys()]) {
    const m = /^address (\d+) - street$/.exec(key) ?? /^address (\d+) - city$/.exec(key);
    if (!m || used.has(`address ${m[1]} - parts`)) continue;
    const group = `address ${m[1]}`;
    used.add(`${group} - parts`);
    const label = (g(`${group} - label`, `${group} - type`) ?? '').replace(/^\* /, '').trim() || null;
    const parts = ['street', 'extended address', 'po box', 'city', 'region', 'postal code', 'country', 'formatted'].map((p) => {
      used.add(`${group} - ${p}`);
      return g(`${group} - ${p}`);
    });
    const [street, extended, poBox, city, region, postalCode, country] = parts;
    r.addresses.push({ kind: (label && GOOGLE_KIND[label.toLowerCase()]) || 'other', label, street: [street, extended, poBox].filter(Boolean).join('\n'), city: city ?? '', region: region ?? '', postalCode: postalCode ?? '', country: country ?? '' });
  }
  for (const [key, value] of v) {
    if (used.has(key) || /^(address|e-mail|phone|website|relation|event|im|custom field|external id) \d+ - /.test(key)) continue;
    if (['sensitivity', 'priority', 'initials', 'yomi name', 'short name'].includes(key)) continue;
    r.other.push({ label: key.replace(/\b\w/g, (c) => c.toUpperCase()), value });
  }
  return r;
}

function googlePhoneKind(label: string | null): PhoneKind {
  const l = label?.toLowerCase() ?? '';
  if (l === 'mobile') return 'mobile';
  if (l === 'work') return 'work';
  if (l === 'home') return 'home';
  if (l === 'main') return 'main';
  if (l === 'work fax') return 'workFax';
  if (l === 'home fax') return 'homeFax';
  if (l === 'pager') return 'pager';
  return l ? 'other' : 'voice';
}

function isEmptyDate(text: string): boolean {
  return /^0{1,2}[./-]0{1,2}[./-]0{2,4}$/.test(text.trim());
}

/** "1980-05-17", "--05-17", "17.05.1980", "5/17/1980" (English Outlook) or "17/05/1980" (the others). */
export function csvDate(text: string, order: 'mdy' | 'dmy'): PartialDate | null {
  const t = text.trim();
  let y: number | null;
  let m: number;
  let d: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(t))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^--(\d{2})-?(\d{2})$/.exec(t))) [y, m, d] = [null, Number(match[1]), Number(match[2])];
  else if ((match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t))) [y, m, d] = [Number(match[3]), Number(match[2]), Number(match[1])];
  else if ((match = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/.exec(t))) [y, m, d] = order === 'mdy' ? [Number(match[3]), Number(match[1]), Number(match[2])] : [Number(match[3]), Number(match[2]), Number(match[1])];
  else return null;
  if (m < 1 || m > 12 || d < 1 || d > 31 || (y !== null && (y < 1601 || y > 4500))) return null;
  return { year: y, month: m, day: d };
}
