/** Numbers as people read them: the locale's separators, sizes in KB/MB/GB, singular and plural. */

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 0 });

export function count(n: number): string {
  return integer.format(n);
}

/** "1 message", "1,500 messages". */
export function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export function size(bytes: number): string {
  if (bytes < 1024) return `${count(bytes)} B`;
  if (bytes < 1024 * 1024) return `${count(Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${oneDecimal.format(bytes / 1_048_576)} MB`;
  return `${oneDecimal.format(bytes / 1_073_741_824)} GB`;
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
