import type { PSTContact } from 'pst-extractor/dist/PSTContact.class.js';
import type { OutlookDataFile } from '../outlook/outlook-file.js';
import { readAttachments, stableItemKey } from '../outlook/outlook-item-parts.js';
import { PROPERTY_SET } from '../outlook/outlook-properties.js';
import { emptyContactRecord, type AddressKind, type ContactRecord, type PartialDate, type PhoneKind } from './contact-record.js';
import { MAX_PHOTO_BYTES } from './vcard-photo.js';

/**
 * What an Outlook contact item holds, as the library's contact object and the item's property
 * reader give it. Kept as a narrow shape so the mapping can be tested from plain objects as well
 * as from items of a real data file.
 */
export type OutlookContactFields = Pick<
  PSTContact,
  | 'displayName' | 'givenName' | 'surname' | 'middleName' | 'displayNamePrefix' | 'generation' | 'nickname' | 'companyName' | 'departmentName' | 'title' | 'profession' | 'officeLocation'
  | 'email1EmailAddress' | 'email1AddressType' | 'email1DisplayName' | 'email1OriginalDisplayName' | 'email2EmailAddress' | 'email2AddressType' | 'email2DisplayName' | 'email2OriginalDisplayName'
  | 'email3EmailAddress' | 'email3AddressType' | 'email3DisplayName' | 'email3OriginalDisplayName'
  | 'businessTelephoneNumber' | 'business2TelephoneNumber' | 'homeTelephoneNumber' | 'home2TelephoneNumber' | 'mobileTelephoneNumber' | 'carTelephoneNumber' | 'otherTelephoneNumber'
  | 'pagerTelephoneNumber' | 'primaryTelephoneNumber' | 'companyMainPhoneNumber' | 'assistantTelephoneNumber' | 'callbackTelephoneNumber' | 'radioTelephoneNumber' | 'isdnNumber' | 'telexNumber' | 'ttytddPhoneNumber'
  | 'businessFaxNumber' | 'homeFaxNumber' | 'primaryFaxNumber'
  | 'homeAddressStreet' | 'homeAddressCity' | 'homeAddressStateOrProvince' | 'homeAddressPostalCode' | 'homeAddressCountry' | 'homeAddressPostOfficeBox'
  | 'workAddressStreet' | 'workAddressCity' | 'workAddressState' | 'workAddressPostalCode' | 'workAddressCountry' | 'workAddressPostOfficeBox'
  | 'businessAddressStreet' | 'businessAddressCity' | 'businessAddressStateOrProvince' | 'businessPostalCode' | 'businessAddressCountry' | 'businessPoBox'
  | 'otherAddressStreet' | 'otherAddressCity' | 'otherAddressStateOrProvince' | 'otherAddressPostalCode' | 'otherAddressCountry' | 'otherAddressPostOfficeBox'
  | 'spouseName' | 'managerName' | 'assistant' | 'instantMessagingAddress' | 'businessHomePage' | 'personalHomePage' | 'hobbies' | 'language' | 'account' | 'customerId'
  | 'governmentIdNumber' | 'organizationalIdNumber' | 'computerNetworkName' | 'ftpSite' | 'location' | 'body'
>;

/** Values the library has no (working) getter for, read through the item's property reader. */
export interface OutlookContactExtras {
  key: string;
  categories: string[];
  children: string[];
  yomi: { given: string | null; family: string | null; company: string | null };
  birthday: Date | null;
  anniversary: Date | null;
  /** PidLidBirthdayLocal / PidLidWeddingAnniversaryLocal: the date at midnight UTC, when Outlook wrote it. */
  birthdayLocal: Date | null;
  anniversaryLocal: Date | null;
  gender: number | null;
  photo: { contentType: string; data: Buffer } | null;
  notCopied: string[];
}

const PR_BIRTHDAY = 0x3a42;
const PR_WEDDING_ANNIVERSARY = 0x3a41;
const PR_GENDER = 0x3a4d;
const PR_CHILDRENS_NAMES = 0x3a58;

/**
 * Reads one contact item into a record. The library's getters look named properties up in the
 * file's table, so they run inside the file's `use` too.
 */
export function readOutlookContact(file: OutlookDataFile, item: PSTContact, storeKey: string): ContactRecord {
  return file.use(() => {
    const p = file.properties(item);
    const address = (lid: number): string | null => p.string(p.named(lid, PROPERTY_SET.address));
    const attachments = readAttachments(item, (o) => file.properties(o), MAX_PHOTO_BYTES);
    const photo = attachments.photo ? { contentType: attachments.photo.contentType, data: attachments.photo.data } : null;
    return outlookContactToRecord(item, {
        key: stableItemKey(p, storeKey, item.descriptorNodeId.toNumber()),
        categories: p.strings(p.namedString('Keywords')),
        children: p.strings(PR_CHILDRENS_NAMES),
        yomi: { given: address(0x802c), family: address(0x802d), company: address(0x802e) },
        birthday: p.date(PR_BIRTHDAY),
        anniversary: p.date(PR_WEDDING_ANNIVERSARY),
        birthdayLocal: p.date(p.named(0x80de, PROPERTY_SET.address)),
        anniversaryLocal: p.date(p.named(0x80df, PROPERTY_SET.address)),
        gender: p.int(PR_GENDER),
        photo,
        notCopied: [...attachments.notCopied, ...attachments.files.map((f) => `the attachment "${f.name}" (contacts in Microsoft 365 have no attachments)`)],
    });
  });
}

/**
 * An Outlook contact → the neutral contact record; the one contact mapping (contact-mapper.ts)
 * then applies Graph's limits and puts the rest into the notes, as for vCards. Every field Outlook's
 * contact form has is either mapped, put under `other` (notes) or named in `notCopied`.
 */
export function outlookContactToRecord(c: OutlookContactFields, x: OutlookContactExtras): ContactRecord {
  const r = emptyContactRecord();
  const t = (s: string | null | undefined): string | null => (s ?? '').replace(/\0/g, '').trim() || null;
  r.uid = x.key;
  r.name = {
    formatted: t(c.displayName),
    given: t(c.givenName),
    family: t(c.surname),
    middle: t(c.middleName),
    prefix: t(c.displayNamePrefix),
    suffix: t(c.generation),
    nickname: t(c.nickname),
    phoneticGiven: t(x.yomi.given),
    phoneticMiddle: null,
    phoneticFamily: t(x.yomi.family),
  };
  r.organization = { company: t(c.companyName), departments: t(c.departmentName) ? [t(c.departmentName)!] : [], phoneticCompany: t(x.yomi.company), jobTitle: t(c.title), profession: t(c.profession), office: t(c.officeLocation) };

  for (const [address, type, display, original] of [
    [c.email1EmailAddress, c.email1AddressType, c.email1DisplayName, c.email1OriginalDisplayName],
    [c.email2EmailAddress, c.email2AddressType, c.email2DisplayName, c.email2OriginalDisplayName],
    [c.email3EmailAddress, c.email3AddressType, c.email3DisplayName, c.email3OriginalDisplayName],
  ] as const) {
    const a = t(address);
    if (!a) continue;
    const smtp = /^ex$/i.test(t(type) ?? '') ? (smtpIn(original) ?? smtpIn(display)) : a;
    if (smtp) r.emails.push({ address: smtp, kind: null, label: null });
    else r.other.push({ label: 'Exchange address', value: a });
  }

  const phones: [string | null | undefined, PhoneKind, string | null][] = [
    [c.mobileTelephoneNumber, 'mobile', null],
    [c.businessTelephoneNumber, 'work', null],
    [c.business2TelephoneNumber, 'work', null],
    [c.homeTelephoneNumber, 'home', null],
    [c.home2TelephoneNumber, 'home', null],
    [c.companyMainPhoneNumber, 'main', 'Company main phone'],
    [c.primaryTelephoneNumber, 'voice', 'Primary phone'],
    [c.otherTelephoneNumber, 'other', 'Other'],
    [c.assistantTelephoneNumber, 'assistant', null],
    [c.carTelephoneNumber, 'car', null],
    [c.pagerTelephoneNumber, 'pager', null],
    [c.businessFaxNumber, 'workFax', null],
    [c.homeFaxNumber, 'homeFax', null],
    [c.primaryFaxNumber, 'fax', 'Other fax'],
    [c.callbackTelephoneNumber, 'other', 'Callback'],
    [c.radioTelephoneNumber, 'other', 'Radio'],
    [c.isdnNumber, 'other', 'ISDN'],
    [c.telexNumber, 'other', 'Telex'],
    [c.ttytddPhoneNumber, 'other', 'TTY/TDD'],
  ];
  for (const [number, kind, label] of phones) if (t(number)) r.phones.push({ number: t(number)!, kind, label });

  const address = (kind: AddressKind, street: string, poBox: string, city: string, region: string, postalCode: string, country: string): void => {
    const s = [t(street), t(poBox)].filter(Boolean).join('\n');
    if (s || t(city) || t(region) || t(postalCode) || t(country)) r.addresses.push({ kind, label: null, street: s, city: t(city) ?? '', region: t(region) ?? '', postalCode: t(postalCode) ?? '', country: t(country) ?? '' });
  };
  address('work', c.workAddressStreet || c.businessAddressStreet, c.workAddressPostOfficeBox || c.businessPoBox, c.workAddressCity || c.businessAddressCity, c.workAddressState || c.businessAddressStateOrProvince, c.workAddressPostalCode || c.businessPostalCode, c.workAddressCountry || c.businessAddressCountry);
  address('home', c.homeAddressStreet, c.homeAddressPostOfficeBox, c.homeAddressCity, c.homeAddressStateOrProvince, c.homeAddressPostalCode, c.homeAddressCountry);
  address('other', c.otherAddressStreet, c.otherAddressPostOfficeBox, c.otherAddressCity, c.otherAddressStateOrProvince, c.otherAddressPostalCode, c.otherAddressCountry);

  r.birthday = dateOf(x.birthdayLocal, x.birthday);
  const anniversary = dateOf(x.anniversaryLocal, x.anniversary);
  if (anniversary) r.dates.push({ label: 'Anniversary', date: anniversary });
  if (x.gender === 1) r.gender = 'female';
  else if (x.gender === 2) r.gender = 'male';

  if (t(c.spouseName)) r.related.push({ relation: 'spouse', name: t(c.spouseName)! });
  for (const child of x.children) r.related.push({ relation: 'child', name: child });
  if (t(c.managerName)) r.related.push({ relation: 'manager', name: t(c.managerName)! });
  if (t(c.assistant)) r.related.push({ relation: 'assistant', name: t(c.assistant)! });
  if (t(c.instantMessagingAddress)) r.im.push({ address: t(c.instantMessagingAddress)!, service: null });
  if (t(c.businessHomePage)) r.urls.push({ url: t(c.businessHomePage)!, label: 'work' });
  if (t(c.personalHomePage)) r.urls.push({ url: t(c.personalHomePage)!, label: 'home' });
  r.categories = x.categories;
  r.note = t(c.body);
  r.photo = x.photo;
  for (const [label, value] of [
    ['Hobbies', c.hobbies],
    ['Language', c.language],
    ['Account', c.account],
    ['Customer ID', c.customerId],
    ['Government ID', c.governmentIdNumber],
    ['Organizational ID', c.organizationalIdNumber],
    ['Computer network name', c.computerNetworkName],
    ['FTP site', c.ftpSite],
    ['Location', c.location],
  ] as const) {
    if (t(value)) r.other.push({ label, value: t(value)! });
  }
  r.notCopied.push(...x.notCopied);
  return r;
}

/** "Name (anna@example.org)" or a bare address → the address. */
function smtpIn(text: string | null | undefined): string | null {
  const m = /([^\s()<>"]+@[^\s()<>"]+\.[^\s()<>"]+)/.exec(text ?? '');
  return m ? m[1]! : null;
}

/**
 * Outlook keeps a birthday as local midnight in UTC (PidTagBirthday) and, since Outlook 2010, also
 * as the date itself (PidLidBirthdayLocal). Without the latter, the nearest midnight is the date
 * (daylight saving moves local midnight by an hour at most; offsets stay within ±14 hours).
 */
function dateOf(local: Date | null, utc: Date | null): PartialDate | null {
  const d = local ?? (utc ? new Date(utc.getTime() + 12 * 3600_000) : null);
  if (!d || d.getUTCFullYear() < 1601 || d.getUTCFullYear() > 4500) return null;
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
