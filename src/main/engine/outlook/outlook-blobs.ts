import { parse as parseAppointmentRecur, type AppointmentRecur } from '@kenjiuno/msgreader/lib/AppointmentRecurParser.js';
import DataStreamModule from '@kenjiuno/msgreader/lib/DataStream.js';
import { parse as parseTzDefinition, type TzDefinition } from '@kenjiuno/msgreader/lib/TZDEFINITIONParser.js';
import { parse as parseTzReg, type TzReg } from '@kenjiuno/msgreader/lib/TZREGParser.js';

export type { AppointmentRecur, ExceptionInfo } from '@kenjiuno/msgreader/lib/AppointmentRecurParser.js';
export type { TzDefinition, TzDefinitionRule, TransitionSystemTime } from '@kenjiuno/msgreader/lib/TZDEFINITIONParser.js';
export type { TzReg } from '@kenjiuno/msgreader/lib/TZREGParser.js';

/**
 * Outlook's binary calendar structures, decoded by @kenjiuno/msgreader (maintained, Apache-2.0),
 * whose parsers follow MS-OXOCAL: pst-extractor reads the bytes but decodes only the first part of
 * the recurrence (not the cancelled and changed occurrences) and none of the time-zone structures.
 * msgreader exports these parsers from its lib folder; they are used as they are.
 */
type DataStreamClass = new (buffer: ArrayBuffer, offset: number, endianness: boolean) => object;
// A CommonJS module with a default export: under Node's ESM loader the class is on `.default`.
const DataStream = ((DataStreamModule as unknown as { default?: DataStreamClass }).default ?? DataStreamModule) as unknown as DataStreamClass & { LITTLE_ENDIAN: boolean };

function stream(bytes: Buffer): never {
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  return new DataStream(copy, 0, DataStream.LITTLE_ENDIAN) as never;
}

/** A blob that does not decode is reported by the caller; these return null instead of throwing. */
export function decodeRecurrence(bytes: Buffer, ansiEncoding = 'windows-1252'): AppointmentRecur | null {
  try {
    return parseAppointmentRecur(stream(bytes), ansiEncoding);
  } catch {
    return null;
  }
}

export function decodeZoneDefinition(bytes: Buffer): TzDefinition | null {
  try {
    return parseTzDefinition(stream(bytes));
  } catch {
    return null;
  }
}

export function decodeZoneStruct(bytes: Buffer): TzReg | null {
  try {
    return parseTzReg(stream(bytes));
  } catch {
    return null;
  }
}

/** Minutes since 1601-01-01 (Outlook's recurrence dates, local time) → the same instant read as UTC fields. */
export function minutesSince1601(minutes: number): Date {
  return new Date(minutes * 60_000 - 11_644_473_600_000);
}

const CLASS_ID = Buffer.from('040000008200e00074c5b7101a82e008', 'hex');
const VCAL_UID = Buffer.from('vCal-Uid', 'latin1');

/**
 * The iCalendar UID of an appointment, from its global object id (PidLidCleanGlobalObjectId), as
 * MS-OXCICAL §2.1.3.1.1.20.26 writes it: the UID embedded by an iCalendar import ("vCal-Uid"), else
 * the id's bytes in upper-case hex. Outlook's own .ics export writes the same UID, so an event copied
 * earlier from Outlook's .ics export is recognised when the same calendar is read from its data file.
 */
export function uidOfGlobalObjectId(id: Buffer | null): string | null {
  if (!id || id.length < 40 || !id.subarray(0, 16).equals(CLASS_ID)) return null;
  const size = id.readUInt32LE(36);
  const data = id.subarray(40, 40 + size);
  if (data.length >= 12 && data.subarray(0, 8).equals(VCAL_UID)) {
    const text = data.subarray(12).toString('utf8').replace(/\0+$/, '').trim();
    if (text) return text;
  }
  // The clean id has the instance date (bytes 16–19) zeroed already; zero it anyway for the series.
  const clean = Buffer.from(id);
  clean.fill(0, 16, 20);
  return clean.toString('hex').toUpperCase();
}
