import { byteSize, megabytes as megabytesIn, type NumberWriter } from '../../shared/byte-size.js';

/** Numbers as people read them: the locale's separators, sizes in KB/MB/GB, singular and plural. */

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 0 });
/** Sizes are written by the shared formatter, with the numbers in the person's locale. */
const localeNumber: NumberWriter = (n, maxDecimals) => (maxDecimals === 0 ? integer : oneDecimal).format(n);

export function count(n: number): string {
  return integer.format(n);
}

/** "1 message", "1,500 messages". */
export function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** "14 KB", "2.1 MB", "1.3 GB". */
export function size(bytes: number): string {
  return byteSize(bytes, localeNumber);
}

/** Always in MB, for file limits: "50 MB". */
export function megabytes(bytes: number): string {
  return megabytesIn(bytes, localeNumber);
}

export function dateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** How long something has run: "45 s", "2 min 5 s", "1 h 4 min". */
export function elapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** What is left, the way people say it: "about 3 minutes left", "less than a minute left". */
export function timeLeft(seconds: number | null): string {
  if (seconds === null) return 'working out the time left…';
  const s = Math.max(0, Math.round(seconds));
  if (s === 0) return 'almost done';
  if (s < 45) return 'less than a minute left';
  if (s < 90 * 60) {
    const m = Math.max(1, Math.round(s / 60));
    return `about ${plural(m, 'minute', 'minutes')} left`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 600) * 10;
  if (m === 60) return `about ${plural(h + 1, 'hour', 'hours')} left`;
  return `about ${plural(h, 'hour', 'hours')}${m ? ` ${m} minutes` : ''} left`;
}

/** A message's day, for tables: "Oct 21, 2022". */
export function day(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
