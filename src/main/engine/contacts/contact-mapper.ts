import ICAL from 'ical.js';
import type { GraphBody } from '../../../shared/pim-types.js';
import { SOURCE_ID_PROPERTY } from '../pim/source-identity.js';

/** Graph rejects a whole contact that exceeds these; what does not fit goes into the notes. */
export const GRAPH_CONTACT_LIMITS = { emailAddresses: 3, businessPhones: 2, homePhones: 2, imAddresses: 3 } as const;

export interface MappedContact {
  graph: GraphBody;
  warnings: string[];
  photo: { contentType: string; data: Buffer } | null;
}

type Prop = ICAL.Property;

/**
 * One vCard (3.0 or 4.0, after normalizeCard) → the body of POST /me/contactFolders/{id}/contacts.
 * Never exceeds Graph's limits; everything that does not fit is listed in the notes and the warnings.
 */
export function mapContact(card: ICAL.Component, sourceId: string): MappedContact {
  const warnings: string[] = [];
  const overflow: string[] = [];
  const body: GraphBody = {};
  const text = (name: string): string | null => {
    const v = card.getFirstPropertyValue(name);
    return typeof v === 'string' && v.trim() ? v.trim() : null;
  };
  const labelOf = (p: Prop): string | null => {
    const group = p.getParameter('group');
    if (typeof group !== 'string') return null;
    const label = card.getAllProperties('x-ablabel').find((l) => l.getParameter('group') === group)?.getFirstValue();
    return typeof label === 'string' ? label.replace(/^_\$!<(.*)>!\$_$/, '$1') : null;
  };

  const n = card.getFirstPropertyValue('n') as unknown;
  if (Array.isArray(n)) {
    const [family, given, additional, prefix, suffix] = n.map((x) => (Array.isArray(x) ? x.join(' ') : String(x ?? '')).trim());
    setIf(body, 'surname', family);
    setIf(body, 'givenName', given);
    setIf(body, 'middleName', additional);
    setIf(body, 'title', prefix);
    setIf(body, 'generation', suffix);
  }
  const fn = text('fn');
  body.displayName = fn ?? ([body.givenName, body.middleName, body.surname].filter(Boolean).join(' ') || text('org') || firstEmail(card) || 'Unnamed contact');
  setIf(body, 'nickName', joinValue(card.getFirstPropertyValue('nickname')));
  setIf(body, 'yomiGivenName', text('x-phonetic-first-name'));
  setIf(body, 'yomiSurname', text('x-phonetic-last-name'));

  const org = card.getFirstPropertyValue('org') as unknown;
  const orgParts = Array.isArray(org) ? org.map(String) : typeof org === 'string' ? org.split(';') : [];
  setIf(body, 'companyName', orgParts[0]?.trim());
  setIf(body, 'department', orgParts.slice(1).join(', ').trim());
  setIf(body, 'jobTitle', text('title'));
  setIf(body, 'profession', text('role'));

  // E-mail addresses: at most three.
  const emails = card.getAllProperties('email').map((p) => String(p.getFirstValue() ?? '').trim()).filter(Boolean);
  body.emailAddresses = emails.slice(0, GRAPH_CONTACT_LIMITS.emailAddresses).map((address) => ({ address, name: String(body.displayName) }));
  for (const extra of emails.slice(GRAPH_CONTACT_LIMITS.emailAddresses)) overflow.push(`E-mail: ${extra}`);
  if (emails.length > GRAPH_CONTACT_LIMITS.emailAddresses) warnings.push(`${emails.length - GRAPH_CONTACT_LIMITS.emailAddresses} e-mail address(es) beyond Graph's limit of 3 were put in the notes`);

  // Phones: one mobile, two business, two home; fax, pager and the rest go to the notes.
  const business: string[] = [];
  const home: string[] = [];
  for (const p of card.getAllProperties('tel')) {
    const number = String(p.getFirstValue() ?? '').replace(/^tel:/i, '').trim();
    if (!number) continue;
    const types = typesOf(p);
    const label = labelOf(p);
    if (types.has('fax') || types.has('pager') || types.has('textphone')) {
      overflow.push(`${types.has('fax') ? 'Fax' : types.has('pager') ? 'Pager' : 'Phone'}: ${number}`);
      warnings.push(`${types.has('fax') ? 'fax' : 'pager'} number ${number} has no Graph field and was put in the notes`);
    } else if ((types.has('cell') || types.has('mobile') || types.has('iphone')) && body.mobilePhone === undefined) {
      body.mobilePhone = number;
    } else if (types.has('home') && home.length < GRAPH_CONTACT_LIMITS.homePhones) {
      home.push(number);
    } else if ((types.has('work') || !types.has('home')) && business.length < GRAPH_CONTACT_LIMITS.businessPhones && !types.has('cell')) {
      business.push(number);
    } else if (home.length < GRAPH_CONTACT_LIMITS.homePhones && !types.has('work') && !types.has('cell')) {
      home.push(number);
    } else {
      overflow.push(`Phone${label ? ` (${label})` : ''}: ${number}`);
      warnings.push(`phone number ${number} did not fit Graph's phone fields and was put in the notes`);
    }
  }
  if (business.length) body.businessPhones = business;
  if (home.length) body.homePhones = home;

  // Postal addresses: one home, one business, one other.
  for (const p of card.getAllProperties('adr')) {
    const v = p.getFirstValue() as unknown;
    const parts = (Array.isArray(v) ? v : String(v ?? '').split(';')).map((x) => (Array.isArray(x) ? x.join(', ') : String(x ?? '')).trim());
    const [pobox, ext, street, city, region, postal, country] = parts;
    const address = {
      street: [pobox, ext, street].filter(Boolean).join('\n'),
      city: city ?? '',
      state: region ?? '',
      postalCode: postal ?? '',
      countryOrRegion: country ?? '',
    };
    if (!Object.values(address).some(Boolean)) continue;
    const types = typesOf(p);
    const key = types.has('home') ? 'homeAddress' : types.has('work') ? 'businessAddress' : 'otherAddress';
    if (body[key] === undefined) body[key] = address;
    else {
      overflow.push(`Address: ${Object.values(address).filter(Boolean).join(', ')}`);
      warnings.push('an extra postal address was put in the notes');
    }
  }

  const birthday = birthdayOf(card);
  if (birthday) {
    body.birthday = birthday.value;
    if (birthday.warning) warnings.push(birthday.warning);
  }
  const spouse = card.getAllProperties('related').find((p) => typesOf(p).has('spouse'))?.getFirstValue()
    ?? card.getAllProperties('x-abrelatednames').find((p) => /spouse|partner/i.test(labelOf(p) ?? ''))?.getFirstValue()
    ?? card.getFirstPropertyValue('x-spouse')
    ?? card.getFirstPropertyValue('x-ms-spouse');
  setIf(body, 'spouseName', typeof spouse === 'string' ? spouse.replace(/^text:/, '') : undefined);

  // Google escapes the colon of URLs ("https\://…") although vCard URIs are not text values.
  const urls = card.getAllProperties('url').map((p) => String(p.getFirstValue() ?? '').replace(/\\([,;:])/g, '$1').trim()).filter(Boolean);
  setIf(body, 'businessHomePage', urls[0]);
  for (const extra of urls.slice(1)) overflow.push(`Web page: ${extra}`);

  const ims = [
    ...card.getAllProperties('impp').map((p) => String(p.getFirstValue() ?? '')),
    ...['x-aim', 'x-jabber', 'x-skype', 'x-msn', 'x-icq', 'x-yahoo', 'x-gtalk'].flatMap((k) => card.getAllProperties(k).map((p) => String(p.getFirstValue() ?? ''))),
  ]
    .map((s) => s.trim())
    .filter(Boolean);
  if (ims.length) body.imAddresses = ims.slice(0, GRAPH_CONTACT_LIMITS.imAddresses);
  for (const extra of ims.slice(GRAPH_CONTACT_LIMITS.imAddresses)) overflow.push(`IM: ${extra}`);

  const categories = card.getAllProperties('categories').flatMap((p) => p.getValues().map((v) => String(v).trim())).filter(Boolean);
  if (categories.length) body.categories = [...new Set(categories)];

  const note = text('note');
  const notes = [note, overflow.length ? `Also in the old address book:\n${overflow.join('\n')}` : null].filter(Boolean).join('\n\n');
  if (notes) body.personalNotes = notes;

  body.singleValueExtendedProperties = [{ id: SOURCE_ID_PROPERTY, value: sourceId }];
  return { graph: body, warnings, photo: photoOf(card, warnings) };
}

/** True for vCard 4.0 KIND:group and Apple's X-ADDRESSBOOKSERVER-KIND:group. */
export function isGroup(card: ICAL.Component): boolean {
  const kind = card.getFirstPropertyValue('kind') ?? card.getFirstPropertyValue('x-addressbookserver-kind');
  return typeof kind === 'string' && kind.toLowerCase() === 'group';
}

export function groupMembers(card: ICAL.Component): string[] {
  return [...card.getAllProperties('member'), ...card.getAllProperties('x-addressbookserver-member')]
    .map((p) => String(p.getFirstValue() ?? '').replace(/^urn:uuid:/i, '').trim())
    .filter(Boolean);
}

function setIf(body: GraphBody, key: string, value: string | null | undefined): void {
  if (value) body[key] = value;
}

function joinValue(v: unknown): string | null {
  if (Array.isArray(v)) return v.join(', ') || null;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function firstEmail(card: ICAL.Component): string | null {
  const v = card.getFirstPropertyValue('email');
  return typeof v === 'string' ? v : null;
}

function typesOf(p: Prop): Set<string> {
  const t = p.getParameter('type');
  const list = Array.isArray(t) ? t : typeof t === 'string' ? t.split(',') : [];
  return new Set(list.map((x) => String(x).toLowerCase()));
}

/**
 * vCard birthdays: "1980-04-23", "19800423", 4.0 year-less "--0423", Apple's year-less 1604 marker.
 * Graph wants a full date-time and has no year-less form, so those get 1604 (the year Apple and
 * Outlook use for "no year") and a warning. 11:59 UTC keeps the day the same in every time zone.
 */
function birthdayOf(card: ICAL.Component): { value: string; warning?: string } | null {
  const prop = card.getFirstProperty('bday');
  if (!prop) return null;
  const raw = prop.getFirstValue() as unknown;
  const text = raw instanceof ICAL.VCardTime || raw instanceof ICAL.Time ? raw.toString() : String(raw ?? '');
  const full = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(text);
  const yearless = /^--(\d{2})-?(\d{2})/.exec(text);
  const omitYear = prop.getParameter('x-apple-omit-year');
  if (full) {
    const noYear = omitYear !== undefined && String(omitYear) === full[1];
    return { value: `${noYear ? '1604' : full[1]}-${full[2]}-${full[3]}T11:59:00Z`, ...(noYear ? { warning: 'the birthday has no year; Outlook shows it without one' } : {}) };
  }
  if (yearless) return { value: `1604-${yearless[1]}-${yearless[2]}T11:59:00Z`, warning: 'the birthday has no year; Outlook shows it without one' };
  return null;
}

function photoOf(card: ICAL.Component, warnings: string[]): { contentType: string; data: Buffer } | null {
  const p = card.getFirstProperty('photo');
  if (!p) return null;
  const value = String(p.getFirstValue() ?? '');
  const dataUri = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(value);
  if (dataUri) return { contentType: dataUri[1] ?? 'image/jpeg', data: Buffer.from(dataUri[3]!, dataUri[2] ? 'base64' : 'utf8') };
  const encoding = String(p.getParameter('encoding') ?? '').toLowerCase();
  if (encoding === 'b' || encoding === 'base64') {
    const type = String(p.getParameter('type') ?? 'jpeg').toLowerCase();
    return { contentType: type.includes('/') ? type : `image/${type === 'jpg' ? 'jpeg' : type}`, data: Buffer.from(value.replace(/\s+/g, ''), 'base64') };
  }
  if (/^https?:/i.test(value)) warnings.push('the photo is a web link, not copied');
  return null;
}
