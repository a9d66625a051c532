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
