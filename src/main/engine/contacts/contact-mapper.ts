import type { GraphBody } from '../../../shared/pim-types.js';
import { CONTENT_KEY_PROPERTY, contentHash, contentKeyOf, SOURCE_ID_PROPERTY } from '../pim/source-identity.js';
import type { ContactAddress, ContactRecord, PartialDate, PhoneKind } from './contact-record.js';

/** Graph rejects a whole contact that exceeds these; what does not fit goes into the notes. */
export const GRAPH_CONTACT_LIMITS = { emailAddresses: 3, businessPhones: 2, homePhones: 2, imAddresses: 3 } as const;

export interface MappedContact {
  graph: GraphBody;
  warnings: string[];
  photo: { contentType: string; data: Buffer } | null;
}

export interface ContactIdentity {
  key: string;
  contentKey: string;
}

const PHONE_WORDS: Record<PhoneKind, string> = {
  mobile: 'Mobile', work: 'Business phone', home: 'Home phone', voice: 'Phone', main: 'Main phone', workFax: 'Business fax', homeFax: 'Home fax',
  fax: 'Fax', pager: 'Pager', car: 'Car phone', assistant: "Assistant's phone", other: 'Other phone',
};

/**
 * The one mapping from a contact record (from any reader) to the body of
 * POST /me/contactFolders/{id}/contacts. Never exceeds Graph's limits; whatever has no Graph field
 * or does not fit goes into the notes under "Also in the old address book:" and is named in the
 * warnings, so nothing is lost silently.
 */
export function mapContact(record: ContactRecord, identity: ContactIdentity): MappedContact {
  const warnings: string[] = [...record.warnings];
  const overflow: string[] = [];
  const body: GraphBody = {};
  const put = (key: string, value: string | null | undefined): void => {
    if (value) body[key] = value;
  };
  const moved = (line: string, warning: string): void => {
    overflow.push(line);
    warnings.push(warning);
  };

  const n = record.name;
  put('givenName', n.given);
  put('surname', n.family);
  put('middleName', n.middle);
  put('title', n.prefix);
  put('generation', n.suffix);
  put('nickName', n.nickname);
  put('yomiGivenName', [n.phoneticGiven, n.phoneticMiddle].filter(Boolean).join(' ') || null);
  put('yomiSurname', n.phoneticFamily);
  const o = record.organization;
  put('companyName', o.company);
  put('department', o.departments.join(', ') || null);
  put('yomiCompanyName', o.phoneticCompany);
  put('jobTitle', o.jobTitle);
  put('profession', o.profession);
  put('officeLocation', o.office);
  body.displayName = n.formatted ?? ([n.given, n.middle, n.family].filter(Boolean).join(' ') || o.company || record.emails[0]?.address || record.phones[0]?.number || 'Unnamed contact');

  // E-mail addresses: at most three.
  const emails = record.emails.slice(0, GRAPH_CONTACT_LIMITS.emailAddresses);
  if (emails.length) body.emailAddresses = emails.map((e) => ({ address: e.address, name: String(body.displayName) }));
  const extraEmails = record.emails.slice(GRAPH_CONTACT_LIMITS.emailAddresses);
  for (const e of extraEmails) overflow.push(`E-mail${e.label ? ` (${e.label})` : ''}: ${e.address}`);
  if (extraEmails.length) warnings.push(`${extraEmails.length} e-mail address(es) beyond Graph's limit of 3 were put in the notes`);

  mapPhones(record, body, moved);
  mapAddresses(record.addresses, body, moved);

  if (record.birthday) {
    body.birthday = graphDate(record.birthday);
    if (record.birthday.year === null) warnings.push('the birthday has no year; Outlook shows it without one');
  }
  for (const d of record.dates) {
    const text = typeof d.date === 'string' ? d.date : dateText(d.date);
    const what = /^anniversary$/i.test(d.label) ? 'the anniversary' : `the date "${d.label}"`;
    moved(`${d.label}: ${text}`, `${what} (${text}) has no Outlook contact field and was put in the notes`);
  }
  if (record.gender) moved(`Gender: ${record.gender}`, 'the gender has no Outlook contact field and was put in the notes');

  mapRelated(record, body, moved);

  const im = record.im.map((i) => i.address);
  if (im.length) body.imAddresses = im.slice(0, GRAPH_CONTACT_LIMITS.imAddresses);
  for (const extra of record.im.slice(GRAPH_CONTACT_LIMITS.imAddresses)) moved(`IM${extra.service ? ` (${extra.service})` : ''}: ${extra.address}`, `IM address ${extra.address} is beyond Graph's limit of 3 and was put in the notes`);

  // One web page field: the first work or unlabelled one; the others go to the notes.
  const urls = [...record.urls].sort((a, b) => rankUrl(a.label) - rankUrl(b.label));
  put('businessHomePage', urls[0]?.url);
  for (const extra of urls.slice(1)) moved(`Web page${extra.label ? ` (${extra.label})` : ''}: ${extra.url}`, `web page ${extra.url} was put in the notes (Outlook keeps one)`);

  const categories = [...new Set(record.categories.map((c) => c.trim()).filter(Boolean))];
  if (categories.length) body.categories = categories;

  for (const other of record.other) moved(`${other.label}: ${other.value}`, `${other.label} has no Outlook contact field and was put in the notes`);
  for (const what of record.notCopied) warnings.push(`${what} was not copied`);
  if (record.photoUrl) warnings.push('the photo is a web link, not copied');

  const notes = [record.note, overflow.length ? `Also in the old address book:\n${overflow.join('\n')}` : null].filter(Boolean).join('\n\n');
  if (notes) body.personalNotes = notes;

  body.singleValueExtendedProperties = [
    { id: SOURCE_ID_PROPERTY, value: identity.key },
    { id: CONTENT_KEY_PROPERTY, value: identity.contentKey },
  ];
  return { graph: body, warnings: [...new Set(warnings)], photo: record.photo };
}

function mapPhones(record: ContactRecord, body: GraphBody, moved: (line: string, warning: string) => void): void {
  const business: string[] = [];
  const home: string[] = [];
  const rest: typeof record.phones = [];
  for (const p of record.phones) {
    if (p.kind === 'mobile' && body.mobilePhone === undefined) body.mobilePhone = p.number;
    else if ((p.kind === 'work' || p.kind === 'main') && business.length < GRAPH_CONTACT_LIMITS.businessPhones) business.push(p.number);
    else if (p.kind === 'home' && home.length < GRAPH_CONTACT_LIMITS.homePhones) home.push(p.number);
    else rest.push(p);
  }
  // Numbers without a kind fill what is left: business first (Outlook's "Business" is its default).
  for (const p of rest) {
    if (p.kind === 'voice' && business.length < GRAPH_CONTACT_LIMITS.businessPhones) business.push(p.number);
    else if (p.kind === 'voice' && home.length < GRAPH_CONTACT_LIMITS.homePhones) home.push(p.number);
    else {
      const word = p.label && p.kind === 'other' ? `Phone (${p.label})` : PHONE_WORDS[p.kind];
      const fits = ['workFax', 'homeFax', 'fax', 'pager', 'car', 'assistant', 'other'].includes(p.kind);
      moved(`${word}: ${p.number}`, fits ? `${word.toLowerCase()} ${p.number} has no Graph field and was put in the notes` : `phone number ${p.number} did not fit Graph's phone fields and was put in the notes`);
    }
  }
  if (business.length) body.businessPhones = business;
  if (home.length) body.homePhones = home;
}

function mapAddresses(addresses: ContactAddress[], body: GraphBody, moved: (line: string, warning: string) => void): void {
  for (const a of addresses) {
    const key = a.kind === 'home' ? 'homeAddress' : a.kind === 'work' ? 'businessAddress' : 'otherAddress';
    const graph = { street: a.street, city: a.city, state: a.region, postalCode: a.postalCode, countryOrRegion: a.country };
    if (body[key] === undefined) body[key] = graph;
    else moved(`Address${a.label ? ` (${a.label})` : ''}: ${Object.values(graph).filter(Boolean).join(', ').replace(/\n/g, ', ')}`, 'an extra postal address was put in the notes');
  }
}

function mapRelated(record: ContactRecord, body: GraphBody, moved: (line: string, warning: string) => void): void {
  const children: string[] = [];
  for (const r of record.related) {
    const relation = r.relation.toLowerCase();
    if ((relation === 'spouse' || relation === 'partner' || relation === 'husband' || relation === 'wife') && body.spouseName === undefined) body.spouseName = r.name;
    else if (relation === 'child' || relation === 'son' || relation === 'daughter') children.push(r.name);
    else if (relation === 'manager' && body.manager === undefined) body.manager = r.name;
    else if (relation === 'assistant' && body.assistantName === undefined) body.assistantName = r.name;
    else {
      const word = relation.charAt(0).toUpperCase() + relation.slice(1);
      moved(`${word}: ${r.name}`, `the related name "${r.name}" (${relation}) has no Outlook contact field and was put in the notes`);
    }
  }
  if (children.length) body.children = children;
}

function rankUrl(label: string | null): number {
  const l = label?.toLowerCase() ?? '';
  return l === 'work' || l === '' ? 0 : l === 'homepage' || l === 'home' ? 1 : 2;
}

/**
 * Graph wants a full date-time and has no year-less birthday, so those get 1604 (the year Apple and
 * Outlook use for "no year"). 11:59 UTC keeps the day the same in every time zone.
 */
function graphDate(d: PartialDate): string {
  return `${String(d.year ?? 1604).padStart(4, '0')}-${pad(d.month)}-${pad(d.day)}T11:59:00Z`;
}

function dateText(d: PartialDate): string {
  return d.year === null ? `--${pad(d.month)}-${pad(d.day)}` : `${String(d.year).padStart(4, '0')}-${pad(d.month)}-${pad(d.day)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The hash of a contact's normalized content: everything the person typed, without the UID and
 * without anything a reader only notes about the file. A re-export under a new UID has the same key.
 */
export function contactContentKey(r: ContactRecord): string {
  return contentKeyOf([
    ['name', Object.values(r.name)],
    ['org', [r.organization.company, r.organization.departments, r.organization.jobTitle, r.organization.profession, r.organization.office, r.organization.phoneticCompany]],
    ['emails', r.emails.map((e) => [e.address.toLowerCase(), e.kind])],
    ['phones', r.phones.map((p) => [p.number.replace(/[^\d+]/g, ''), p.kind])],
    ['addresses', r.addresses.map((a) => [a.kind, a.street, a.city, a.region, a.postalCode, a.country])],
    ['birthday', r.birthday],
    ['dates', r.dates],
    ['gender', r.gender],
    ['related', r.related],
    ['im', r.im.map((i) => i.address)],
    ['urls', r.urls.map((u) => u.url)],
    ['categories', r.categories],
    ['note', r.note],
    ['photo', r.photo ? contentHash(r.photo.data) : null],
    ['other', r.other],
  ]);
}
