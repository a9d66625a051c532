import { paramSet, paramValue, type ContentLine } from '../pim/content-lines.js';
import { emptyContactRecord, type AddressKind, type ContactGroupRecord, type ContactRecord, type PartialDate, type PhoneKind } from './contact-record.js';
import { readPhoto } from './vcard-photo.js';
import { nonEmpty, ValueReader, type VCardVersion } from './vcard-values.js';

/**
 * One vCard's properties → a neutral contact record (or a group). Knows the dialects: Outlook's
 * 2.1 (bare parameters, X-MS-*), Apple's item groups with X-ABLabel and X-AB* properties,
 * Google's 3.0, vCard 4.0 (RELATED, ANNIVERSARY, GENDER, KIND, SORT-AS), Evolution and KAddressBook
 * X- names. Properties that only describe the file (VERSION, PRODID, REV, LABEL — a formatted copy
 * of ADR —, Outlook's card layout) are not data; everything else lands in the record.
 */
export type CardResult = { kind: 'contact'; record: ContactRecord } | { kind: 'group'; group: ContactGroupRecord };

/** Properties that say how the file or a client's view was made, not who the contact is. */
const METADATA = new Set([
  'VERSION', 'PRODID', 'REV', 'UID', 'X-ABUID', 'LABEL', 'X-ABLABEL', 'X-ABSHOWAS', 'X-ABADR', 'X-MS-OL-DESIGN', 'X-MS-OL-DEFAULT-POSTAL-ADDRESS',
  'CLIENTPIDMAP', 'SOURCE', 'NAME', 'PROFILE', 'MAILER', 'KIND', 'X-ADDRESSBOOKSERVER-KIND', 'X-MOZILLA-HTML', 'X-EVOLUTION-FILE-AS', 'XML',
]);

const IM_PROPERTIES: Record<string, string | null> = {
  'X-AIM': 'AIM', 'X-JABBER': 'Jabber', 'X-SKYPE': 'Skype', 'X-SKYPE-USERNAME': 'Skype', 'X-MSN': 'MSN', 'X-ICQ': 'ICQ', 'X-YAHOO': 'Yahoo',
  'X-GTALK': 'Google Talk', 'X-GOOGLE-TALK': 'Google Talk', 'X-QQ': 'QQ', 'X-GADUGADU': 'Gadu-Gadu', 'X-MS-IMADDRESS': null, 'X-SIP': 'SIP',
};

/** Related names written as their own properties by Outlook, Evolution and KAddressBook. */
const RELATED_PROPERTIES: Record<string, string> = {
  'X-MS-SPOUSE': 'spouse', 'X-SPOUSE': 'spouse', 'X-EVOLUTION-SPOUSE': 'spouse', 'X-KADDRESSBOOK-X-SPOUSENAME': 'spouse',
  'X-MS-MANAGER': 'manager', 'X-MANAGER': 'manager', 'X-EVOLUTION-MANAGER': 'manager', 'X-KADDRESSBOOK-X-MANAGERSNAME': 'manager',
  'X-MS-ASSISTANT': 'assistant', 'X-ASSISTANT': 'assistant', 'X-EVOLUTION-ASSISTANT': 'assistant', 'X-KADDRESSBOOK-X-ASSISTANTSNAME': 'assistant',
  'X-MS-CHILD': 'child', 'X-CHILD': 'child', 'X-MS-CHILDREN': 'child',
};

const DATE_PROPERTIES: Record<string, string> = {
  ANNIVERSARY: 'Anniversary', 'X-ANNIVERSARY': 'Anniversary', 'X-MS-ANNIVERSARY': 'Anniversary', 'X-EVOLUTION-ANNIVERSARY': 'Anniversary',
  'X-KADDRESSBOOK-X-ANNIVERSARY': 'Anniversary', 'X-ABDATE': 'Date', DEATHDATE: 'Date of death', 'X-DEATHDATE': 'Date of death',
};

const OTHER_LABELS: Record<string, string> = {
  GEO: 'Location', TZ: 'Time zone', LANG: 'Language', 'X-MAIDENNAME': 'Maiden name', 'X-SOCIALPROFILE': 'Social profile',
  BIRTHPLACE: 'Birthplace', DEATHPLACE: 'Place of death', EXPERTISE: 'Expertise', HOBBY: 'Hobby', INTEREST: 'Interest', 'ORG-DIRECTORY': 'Directory',
  FBURL: 'Free/busy address', CALURI: 'Calendar address', CALADRURI: 'Calendar request address', CLASS: 'Classification', AGENT: 'Agent',
  'X-ASSISTANT-TEL': 'Assistant phone', 'X-PHONETIC-ORG': 'Company (phonetic)',
};

export function cardToRecord(properties: ContentLine[], skippedLines: string[]): CardResult {
  const version = versionOf(properties);
  const values = new ValueReader(version);
  const labels = labelsByGroup(properties, values);
  const labelOf = (p: ContentLine): string | null => (p.group ? (labels.get(p.group.toLowerCase()) ?? null) : null);

  const kind = properties.find((p) => p.name === 'KIND' || p.name === 'X-ADDRESSBOOKSERVER-KIND');
  if (kind && values.text(kind)?.toLowerCase() === 'group') {
    return { kind: 'group', group: groupOf(properties, values) };
  }

  const r = emptyContactRecord();
  const uid = properties.find((p) => p.name === 'UID') ?? properties.find((p) => p.name === 'X-ABUID');
  r.uid = uid ? nonEmpty(values.raw(uid)) : null;
  const notes: string[] = [];

  for (const p of properties) {
    const name = p.name;
    if (METADATA.has(name)) continue;
    const label = labelOf(p);
    let typeSet: Set<string> | null = null;
    const types = (): Set<string> => (typeSet ??= paramSet(p, 'TYPE'));
    switch (name) {
      case 'FN':
        r.name.formatted ??= values.text(p);
        break;
      case 'N': {
        const [family, given, middle, prefix, suffix] = values.componentLists(p, ' ');
        r.name.family = nonEmpty(family);
        r.name.given = nonEmpty(given);
        r.name.middle = nonEmpty(middle);
        r.name.prefix = nonEmpty(prefix);
        r.name.suffix = nonEmpty(suffix);
        const sortAs = paramValue(p, 'SORT-AS')?.split(',');
        if (sortAs) {
          r.name.phoneticFamily ??= nonEmpty(sortAs[0]);
          r.name.phoneticGiven ??= nonEmpty(sortAs[1]);
        }
        break;
      }
      case 'NICKNAME':
        r.name.nickname = [r.name.nickname, ...values.list(p)].filter(Boolean).join(', ') || null;
        break;
      case 'X-PHONETIC-FIRST-NAME':
        r.name.phoneticGiven = values.text(p);
        break;
      case 'X-PHONETIC-MIDDLE-NAME':
        r.name.phoneticMiddle = values.text(p);
        break;
      case 'X-PHONETIC-LAST-NAME':
        r.name.phoneticFamily = values.text(p);
        break;
      case 'X-PHONETIC-ORG':
      case 'X-PHONETIC-COMPANY':
        r.organization.phoneticCompany = values.text(p);
        break;
      case 'SORT-STRING':
        r.name.phoneticFamily ??= values.text(p);
        break;
      case 'ORG': {
        const [company, ...units] = values.components(p);
        r.organization.company = nonEmpty(company);
        r.organization.departments = units.filter(Boolean);
        const sortAs = paramValue(p, 'SORT-AS');
        if (sortAs) r.organization.phoneticCompany ??= nonEmpty(sortAs);
        break;
      }
      case 'TITLE':
        r.organization.jobTitle ??= values.text(p);
        break;
      case 'ROLE':
        r.organization.profession ??= values.text(p);
        break;
      case 'X-MS-OFFICE':
      case 'X-OFFICE':
        r.organization.office ??= values.text(p);
        break;
      case 'EMAIL': {
        const address = values.text(p)?.replace(/^mailto:/i, '');
        if (address) r.emails.push({ address, kind: addressKind(types(), label), label: displayLabel(label) });
        break;
      }
      case 'TEL': {
        const number = values.text(p)?.replace(/^tel:/i, '');
        if (number) r.phones.push({ number, kind: phoneKind(types(), label), label: displayLabel(label) });
        break;
      }
      case 'ADR': {
        const [pobox, ext, street, city, region, postalCode, country] = values.componentLists(p, '\n');
        const address = { street: [pobox, ext, street].filter(Boolean).join('\n'), city: city ?? '', region: region ?? '', postalCode: postalCode ?? '', country: country ?? '' };
        if (Object.values(address).some(Boolean)) r.addresses.push({ kind: addressKind(types(), label), label: displayLabel(label), ...address });
        break;
      }
      case 'BDAY': {
        const text = values.text(p);
        const date = text ? parseDate(text, paramValue(p, 'X-APPLE-OMIT-YEAR')) : null;
        if (date) r.birthday = date;
        else if (text) r.other.push({ label: 'Birthday', value: text });
        break;
      }
      case 'GENDER':
      case 'X-GENDER':
      case 'X-WAB-GENDER': {
        const gender = genderOf(name, name === 'GENDER' ? values.components(p) : [values.text(p) ?? '']);
        if (gender) r.gender = gender;
        break;
      }
      case 'RELATED':
      case 'X-ABRELATEDNAMES': {
        const who = values.text(p)?.replace(/^text:/i, '');
        if (who) r.related.push({ relation: relationOf(types(), label), name: who });
        break;
      }
      case 'IMPP': {
        const address = values.text(p);
        if (address) r.im.push({ address, service: paramValue(p, 'X-SERVICE-TYPE') ?? label });
        break;
      }
      case 'URL': {
        const url = values.text(p);
        if (url) r.urls.push({ url, label: displayLabel(label) ?? ([...types()].find((t) => t !== 'pref') ?? null) });
        break;
      }
      case 'CATEGORIES':
        r.categories.push(...values.list(p));
        break;
      case 'NOTE': {
        const note = values.text(p);
        if (note) notes.push(note);
        break;
      }
      case 'PHOTO': {
        const photo = readPhoto(p, values);
        if ('data' in photo) r.photo ??= photo;
        else if ('url' in photo) r.photoUrl ??= photo.url;
        else r.notCopied.push(`the photo (${photo.problem})`);
        break;
      }
      case 'SOUND':
        if (paramSet(p, 'X-IRMC-N').size > 0 || p.params.some((x) => x.name === null && x.value.toUpperCase() === 'X-IRMC-N')) {
          // Japanese phones write the reading of the name as SOUND;X-IRMC-N:family;given.
          const [family, given] = values.components(p);
          r.name.phoneticFamily ??= nonEmpty(family);
          r.name.phoneticGiven ??= nonEmpty(given);
        } else r.notCopied.push('a sound clip (SOUND)');
        break;
      case 'LOGO':
        r.notCopied.push('the logo (LOGO)');
        break;
      case 'KEY':
        r.notCopied.push('an encryption key (KEY)');
        break;
      case 'X-MS-CARDPICTURE':
        r.notCopied.push("Outlook's business-card picture (X-MS-CARDPICTURE)");
        break;
      case 'MEMBER':
      case 'X-ADDRESSBOOKSERVER-MEMBER':
        break;
      default: {
        if (name in IM_PROPERTIES || /^X-(?:[A-Z0-9]+-)*IM(?:ADDRESS)?$/.test(name)) {
          // Named IM properties, and the X-…-IM family (X-MS-IM, X-GOOGLE-IM, …).
          const address = values.text(p);
          if (address) r.im.push({ address, service: IM_PROPERTIES[name] ?? label });
        } else if (name in RELATED_PROPERTIES) {
          const who = values.text(p);
          if (who) r.related.push({ relation: RELATED_PROPERTIES[name]!, name: who });
        } else if (name in DATE_PROPERTIES) {
          const text = values.text(p);
          if (text) r.dates.push({ label: displayLabel(label) ?? DATE_PROPERTIES[name]!, date: parseDate(text, null) ?? text });
        } else {
          otherProperty(r, p, values, displayLabel(label));
        }
      }
    }
  }
  if (notes.length) r.note = notes.join('\n\n');
  if (values.assumed.size > 0) {
    const byGuess = new Map<string, string[]>();
    for (const [prop, guess] of values.assumed) byGuess.set(guess, [...(byGuess.get(guess) ?? []), prop]);
    for (const [guess, props] of byGuess) r.warnings.push(`text in ${props.join(', ')} was read as ${guess}`);
  }
  for (const s of skippedLines) r.warnings.push(`${s}; it was skipped`);
  return { kind: 'contact', record: r };
}

/** The name a broken card has, for its report. */
export function nameOfProperties(properties: ContentLine[]): string | null {
  const values = new ValueReader(versionOf(properties));
  const fn = properties.find((p) => p.name === 'FN');
  if (fn) return values.text(fn);
  const n = properties.find((p) => p.name === 'N');
  if (n) return nonEmpty(values.componentLists(n, ' ').slice(0, 2).reverse().filter(Boolean).join(' '));
  const email = properties.find((p) => p.name === 'EMAIL');
  return email ? values.text(email) : null;
}

export function uidOfProperties(properties: ContentLine[]): string | null {
  const uid = properties.find((p) => p.name === 'UID');
  return uid ? nonEmpty(new ValueReader(versionOf(properties)).raw(uid)) : null;
}

function versionOf(properties: ContentLine[]): VCardVersion {
  const v = properties.find((p) => p.name === 'VERSION')?.value.toString('latin1').trim();
  if (v === '2.1' || v === '3.0' || v === '4.0') return v;
  // No VERSION: bare parameters or quoted-printable mean 2.1.
  return properties.some((p) => p.params.some((x) => x.name === null)) ? '2.1' : '3.0';
}

function labelsByGroup(properties: ContentLine[], values: ValueReader): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of properties) if (p.name === 'X-ABLABEL' && p.group) out.set(p.group.toLowerCase(), values.text(p) ?? '');
  return out;
}

/** Apple's built-in labels are written "_$!<Spouse>!$_"; custom ones as typed. */
function displayLabel(label: string | null): string | null {
  if (!label) return null;
  return nonEmpty(label.replace(/^_\$!<(.*)>!\$_$/, '$1'));
}

function addressKind(types: Set<string>, label: string | null): AddressKind | null {
  const l = displayLabel(label)?.toLowerCase();
  if (types.has('home') || l === 'home') return 'home';
  if (types.has('work') || l === 'work') return 'work';
  if (types.has('other') || l) return 'other';
  return null;
}

function phoneKind(types: Set<string>, label: string | null): PhoneKind {
  const l = displayLabel(label)?.toLowerCase().replace(/\s+/g, '') ?? null;
  if (l) {
    const byLabel: Record<string, PhoneKind> = { mobile: 'mobile', iphone: 'mobile', cell: 'mobile', main: 'main', homefax: 'homeFax', workfax: 'workFax', otherfax: 'fax', pager: 'pager', home: 'home', work: 'work', other: 'other', assistant: 'assistant', car: 'car' };
    if (byLabel[l]) return byLabel[l];
  }
  const fax = types.has('fax');
  if (fax && types.has('work')) return 'workFax';
  if (fax && types.has('home')) return 'homeFax';
  if (fax) return 'fax';
  if (types.has('cell') || types.has('mobile') || types.has('iphone')) return 'mobile';
  if (types.has('pager')) return 'pager';
  if (types.has('car')) return 'car';
  if (types.has('main') || types.has('x-main')) return 'main';
  if (types.has('x-assistant') || types.has('assistant')) return 'assistant';
  if (types.has('work')) return 'work';
  if (types.has('home')) return 'home';
  // A number with only a custom label ("Oficina central") is an ordinary phone number.
  if (types.has('other') || types.has('isdn') || types.has('bbs') || types.has('modem') || types.has('video') || types.has('textphone') || types.has('text')) return 'other';
  return 'voice';
}

function relationOf(types: Set<string>, label: string | null): string {
  const l = displayLabel(label)?.toLowerCase();
  if (l) return l;
  const known = ['spouse', 'partner', 'child', 'parent', 'sibling', 'friend', 'manager', 'assistant', 'co-worker', 'colleague', 'kin', 'emergency', 'agent'];
  return known.find((k) => types.has(k)) ?? [...types][0] ?? 'related';
}

const GENDERS: Record<string, string> = { m: 'male', f: 'female', o: 'other', n: 'not applicable', u: 'unknown' };

function genderOf(property: string, parts: string[]): string | null {
  if (property === 'X-WAB-GENDER') return parts[0] === '1' ? 'female' : parts[0] === '2' ? 'male' : null;
  const [sex, identity] = parts.map((x) => x.trim());
  const word = sex ? (GENDERS[sex.toLowerCase()] ?? sex) : null;
  return nonEmpty([word, identity].filter(Boolean).join(', '));
}

/**
 * vCard dates: "1980-04-23", "19800423", "1980-04-23T00:00:00Z", year-less "--0423" / "--04-23",
 * Apple's year-less marker (X-APPLE-OMIT-YEAR=1604), and year 0000 some phones write for "no year".
 */
export function parseDate(text: string, omitYear: string | null): PartialDate | null {
  const t = text.trim();
  const full = /^(\d{4})-?(\d{1,2})-?(\d{1,2})(?:$|T)/.exec(t);
  const yearless = /^--(\d{2})-?(\d{2})$/.exec(t);
  let year: number | null;
  let month: number;
  let day: number;
  if (full) {
    year = Number(full[1]);
    month = Number(full[2]);
    day = Number(full[3]);
    if (year === 0 || (omitYear !== null && String(omitYear).trim() === full[1])) year = null;
  } else if (yearless) {
    year = null;
    month = Number(yearless[1]);
    day = Number(yearless[2]);
  } else return null;
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate()) return null;
  return { year, month, day };
}

function groupOf(properties: ContentLine[], values: ValueReader): ContactGroupRecord {
  const uid = properties.find((p) => p.name === 'UID');
  const members = properties
    .filter((p) => p.name === 'MEMBER' || p.name === 'X-ADDRESSBOOKSERVER-MEMBER')
    .map((p) => values.raw(p).trim())
    .filter(Boolean);
  return { uid: uid ? nonEmpty(values.raw(uid)) : null, name: nameOfProperties(properties) ?? 'Unnamed group', members };
}

/** Longer texts than this in an unknown property are named, not pasted into the notes. */
const MAX_OTHER_TEXT = 4000;

function otherProperty(r: ContactRecord, p: ContentLine, values: ValueReader, label: string | null): void {
  const binary = p.params.some((x) => (x.name === 'ENCODING' && /^(b|base64)$/i.test(x.value)) || (x.name === null && /^base64$/i.test(x.value)));
  if (binary) {
    r.notCopied.push(`binary data in ${p.name}`);
    return;
  }
  const text = p.name === 'X-SOCIALPROFILE' ? values.text(p) : nonEmpty(values.raw(p).length > MAX_OTHER_TEXT ? null : values.text(p));
  if (!text) {
    if (p.value.length > MAX_OTHER_TEXT) r.notCopied.push(`${p.name} (${Math.round(p.value.length / 1024)} KB of text)`);
    return;
  }
  const service = p.name === 'X-SOCIALPROFILE' ? (paramValue(p, 'TYPE') ?? paramValue(p, 'X-USER')) : null;
  const base = label ?? OTHER_LABELS[p.name] ?? p.name;
  r.other.push({ label: service ? `${base} (${service})` : base, value: text });
}
