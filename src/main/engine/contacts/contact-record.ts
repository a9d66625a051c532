/**
 * A contact as the old address book held it, independent of the file format it came in.
 *
 * Every reader (vCard today; CSV, Outlook .pst/.ost later) produces these, and one mapping turns
 * them into Graph contacts (`contact-mapper.ts`): Graph's limits, what goes to the notes and what
 * is reported live there once, for every format. A reader keeps everything it read: what has no
 * field here goes into `other` (text, ends up in the notes) or `notCopied` (binary, named in the
 * warnings); nothing is dropped silently.
 */
export interface ContactRecord {
  /** The UID exactly as written (a "urn:uuid:" prefix kept), or null. */
  uid: string | null;
  name: ContactName;
  organization: ContactOrganization;
  emails: ContactEmail[];
  phones: ContactPhone[];
  addresses: ContactAddress[];
  birthday: PartialDate | null;
  /** Anniversaries and other labelled dates (Graph's contact has no field for them). */
  dates: { label: string; date: PartialDate | string }[];
  gender: string | null;
  /** Related people by relation, lower-case: spouse, partner, child, manager, assistant, parent, friend, … */
  related: { relation: string; name: string }[];
  im: { address: string; service: string | null }[];
  urls: { url: string; label: string | null }[];
  categories: string[];
  note: string | null;
  photo: { contentType: string; data: Buffer } | null;
  /** A photo given as a link: reported, not fetched. */
  photoUrl: string | null;
  /** Text the record has no field for, as "label: value" for the notes. */
  other: { label: string; value: string }[];
  /** Things that cannot travel as text (a logo, a sound, a key), named in the warnings. */
  notCopied: string[];
  /** The reader's own findings (an encoding it had to assume, a line it could not read). */
  warnings: string[];
}

export interface ContactName {
  formatted: string | null;
  given: string | null;
  family: string | null;
  middle: string | null;
  prefix: string | null;
  suffix: string | null;
  nickname: string | null;
  phoneticGiven: string | null;
  phoneticMiddle: string | null;
  phoneticFamily: string | null;
}

export interface ContactOrganization {
  company: string | null;
  departments: string[];
  phoneticCompany: string | null;
  jobTitle: string | null;
  profession: string | null;
  office: string | null;
}

export type AddressKind = 'home' | 'work' | 'other';

export interface ContactEmail {
  address: string;
  kind: AddressKind | null;
  label: string | null;
}

/** `voice` is a number without a kind (vCard "TEL:" alone). */
export type PhoneKind = 'mobile' | 'work' | 'home' | 'voice' | 'main' | 'workFax' | 'homeFax' | 'fax' | 'pager' | 'car' | 'assistant' | 'other';

export interface ContactPhone {
  number: string;
  kind: PhoneKind;
  label: string | null;
}

export interface ContactAddress {
  kind: AddressKind | null;
  label: string | null;
  street: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface PartialDate {
  year: number | null;
  month: number;
  day: number;
}

export function emptyContactRecord(): ContactRecord {
  return {
    uid: null,
    name: { formatted: null, given: null, family: null, middle: null, prefix: null, suffix: null, nickname: null, phoneticGiven: null, phoneticMiddle: null, phoneticFamily: null },
    organization: { company: null, departments: [], phoneticCompany: null, jobTitle: null, profession: null, office: null },
    emails: [],
    phones: [],
    addresses: [],
    birthday: null,
    dates: [],
    gender: null,
    related: [],
    im: [],
    urls: [],
    categories: [],
    note: null,
    photo: null,
    photoUrl: null,
    other: [],
    notCopied: [],
    warnings: [],
  };
}

/** A contact group (Graph cannot create one): reported with its members. */
export interface ContactGroupRecord {
  uid: string | null;
  name: string;
  /** Member references as written: "urn:uuid:…", "mailto:…", or a UID. */
  members: string[];
}
