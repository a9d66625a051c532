import type { PSTAppointment } from 'pst-extractor/dist/PSTAppointment.class.js';
import { decodeRecurrence, decodeZoneDefinition, decodeZoneStruct, uidOfGlobalObjectId, type AppointmentRecur, type TzDefinition, type TzReg } from '../outlook/outlook-blobs.js';
import type { OutlookDataFile } from '../outlook/outlook-file.js';
import { readAttachments, stableItemKey, type ItemFile } from '../outlook/outlook-item-parts.js';
import { PROPERTY_SET } from '../outlook/outlook-properties.js';

/** Graph's upload sessions take files up to 150 MB. */
const MAX_ATTACHMENT_BYTES = 150 * 1024 * 1024;

export interface OutlookPerson {
  name: string | null;
  email: string | null;
  /** required, optional or resource (To, Cc, Bcc on the meeting). */
  role: string | null;
  response: string | null;
}

/** An Outlook appointment as plain values, read once from the data file (MS-OXOCAL property names). */
export interface AppointmentData {
  uid: string;
  subject: string;
  location: string | null;
  body: string | null;
  html: string | null;
  start: Date | null;
  end: Date | null;
  allDay: boolean;
  busyStatus: number | null;
  sensitivity: number;
  importance: number | null;
  /** Minutes before the start, or null when no reminder is set. */
  reminder: number | null;
  categories: string[];
  /** The zone the start was chosen in (PidLidAppointmentTimeZoneDefinitionStartDisplay). */
  startZone: TzDefinition | null;
  /** The series' zone (PidLidAppointmentTimeZoneDefinitionRecur, else the older PidLidTimeZoneStruct). */
  recurZone: TzDefinition | null;
  zoneStruct: TzReg | null;
  /** PidLidTimeZoneDescription: Outlook's display name of the zone ("(UTC+01:00) Amsterdam, …"). */
  zoneDescription: string | null;
  /** The decoded recurrence, null for a single appointment; `recurrenceUnreadable` when it does not decode. */
  recurrence: AppointmentRecur | null;
  recurrenceUnreadable: boolean;
  /** A meeting cancelled by its organizer (still in the calendar). */
  cancelled: boolean;
  organizer: OutlookPerson | null;
  attendees: OutlookPerson[];
  attachments: ItemFile[];
  links: { name: string; path: string }[];
  notCopied: string[];
}

const PR_SENSITIVITY = 0x0036;
const PR_IMPORTANCE = 0x0017;
const PR_BODY = 0x1000;
const PR_RECIPIENT_TRACKSTATUS = 0x5fff;
const PR_RECIPIENT_FLAGS = 0x5ffd;
const RECIP_ORGANIZER = 0x2;
const RESPONSES: Record<number, string> = { 2: 'TENTATIVE', 3: 'ACCEPTED', 4: 'DECLINED', 5: 'NEEDS-ACTION' };
const ROLES: Record<number, string> = { 1: 'REQ-PARTICIPANT', 2: 'OPT-PARTICIPANT', 3: 'NON-PARTICIPANT' };

/** Reads one appointment (synchronously, inside the file's `use`). */
export function readAppointment(file: OutlookDataFile, item: PSTAppointment, storeKey: string): AppointmentData {
  return file.use(() => {
    const p = file.properties(item);
    const a = (lid: number) => p.named(lid, PROPERTY_SET.appointment);
    const stateFlags = p.int(a(0x8217)) ?? 0;
    const recurBytes = p.bool(a(0x8223)) ? p.binary(a(0x8216)) : null;
    const recurrence = recurBytes ? decodeRecurrence(recurBytes, item.stringCodepage || 'windows-1252') : null;
    const zone = (lid: number): TzDefinition | null => {
      const bytes = p.binary(a(lid));
      return bytes ? decodeZoneDefinition(bytes) : null;
    };
    const structBytes = p.binary(a(0x8233));
    const reminderOn = p.bool(p.named(0x8503, PROPERTY_SET.common)) ?? false;
    const goid = p.binary(p.named(0x0023, PROPERTY_SET.meeting)) ?? p.binary(p.named(0x0003, PROPERTY_SET.meeting));
    const attachments = readAttachments(item, (o) => file.properties(o), MAX_ATTACHMENT_BYTES);
    const isMeeting = (stateFlags & 0x1) !== 0;
    const people = isMeeting ? meetingPeople(file, item) : { organizer: null, attendees: [] };
    return {
      uid: uidOfGlobalObjectId(goid) ?? stableItemKey(p, storeKey, item.descriptorNodeId.toNumber()),
      subject: item.subject || '',
      location: p.string(a(0x8208)) || null,
      body: p.string(PR_BODY),
      html: safeHtml(item),
      start: p.date(a(0x820d)) ?? item.startTime,
      end: p.date(a(0x820e)) ?? item.endTime,
      allDay: p.bool(a(0x8215)) ?? false,
      busyStatus: p.int(a(0x8205)),
      sensitivity: p.int(PR_SENSITIVITY) ?? 0,
      importance: p.int(PR_IMPORTANCE),
      reminder: reminderOn ? Math.max(0, p.int(p.named(0x8501, PROPERTY_SET.common)) ?? 15) : null,
      categories: p.strings(p.namedString('Keywords')),
      startZone: zone(0x825e),
      recurZone: zone(0x8260),
      zoneStruct: structBytes ? decodeZoneStruct(structBytes) : null,
      zoneDescription: p.string(a(0x8234)),
      recurrence,
      recurrenceUnreadable: recurBytes !== null && recurrence === null,
      cancelled: (stateFlags & 0x4) !== 0,
      ...people,
      attachments: attachments.files,
      links: attachments.links,
      notCopied: attachments.notCopied,
    };
  });
}

function safeHtml(item: PSTAppointment): string | null {
  try {
    return item.bodyHTML || null;
  } catch {
    return null;
  }
}

function meetingPeople(file: OutlookDataFile, item: PSTAppointment): { organizer: OutlookPerson | null; attendees: OutlookPerson[] } {
  const organizerAddress = item.sentRepresentingEmailAddress || item.senderEmailAddress;
  const organizerName = item.sentRepresentingName || item.senderName;
  const organizer = organizerAddress || organizerName ? { name: organizerName || null, email: smtpOnly(organizerAddress), role: null, response: null } : null;
  const attendees: OutlookPerson[] = [];
  const count = Math.min(item.numberOfRecipients, 2000);
  for (let i = 0; i < count; i++) {
    const r = item.getRecipient(i);
    if (!r) continue;
    const p = file.properties(r);
    if (((p.int(PR_RECIPIENT_FLAGS) ?? 0) & RECIP_ORGANIZER) !== 0) continue;
    attendees.push({
      name: r.displayName || null,
      email: smtpOnly(r.smtpAddress) ?? smtpOnly(r.emailAddress),
      role: ROLES[r.recipientType] ?? null,
      response: RESPONSES[p.int(PR_RECIPIENT_TRACKSTATUS) ?? 0] ?? null,
    });
  }
  return { organizer, attendees };
}

/** Exchange-internal (X.500) addresses mean nothing outside the old organisation. */
function smtpOnly(address: string | null | undefined): string | null {
  const a = address?.trim();
  return a && /^[^@\s/]+@[^@\s]+$/.test(a) ? a : null;
}
