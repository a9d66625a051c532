/**
 * Sizes as people read them, one formatter for every host. Binary units (1 KB = 1024 bytes), as file
 * managers and mail programs show them. Each host writes the number its own way (`NumberWriter`): the
 * app in the person's locale ("1,5 MB" in German), the CLI and the engine's messages plainly ("1.5 MB").
 */

/** Writes `n` with at most `maxDecimals` digits after the point. */
export type NumberWriter = (n: number, maxDecimals: number) => string;

/** "1.5", "12", "1023": no thousands separator, no trailing ".0". */
export const plainNumber: NumberWriter = (n, maxDecimals) => String(Math.round(n * 10 ** maxDecimals) / 10 ** maxDecimals);

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

/** "512 B", "14 KB", "2.1 MB", "1.3 GB": the unit that fits. */
export function byteSize(bytes: number, writeNumber: NumberWriter = plainNumber): string {
  if (bytes < KB) return `${writeNumber(bytes, 0)} B`;
  if (bytes < MB) return `${writeNumber(bytes / KB, 0)} KB`;
  if (bytes < GB) return `${writeNumber(bytes / MB, 1)} MB`;
  return `${writeNumber(bytes / GB, 1)} GB`;
}

/** Always in MB, for limits and the files measured against them: "2.1 MB", "50 MB" (one decimal below 10 MB). */
export function megabytes(bytes: number, writeNumber: NumberWriter = plainNumber): string {
  const mb = bytes / MB;
  return `${writeNumber(mb, mb >= 10 ? 0 : 1)} MB`;
}
