import type { PSTFile } from 'pst-extractor';

/**
 * Property values pst-extractor reads but has no getter for (or a broken one): the search key, the
 * recurrence and time-zone blobs, multi-valued strings (categories), named properties of the
 * contact and appointment property sets. pst-extractor keeps an item's property table and its
 * sub-nodes in protected fields; this is the one place that reaches them, typed narrowly, and the
 * tests read the shipped sample files through it, so a library change that moves them fails there.
 * Values are decoded as MS-PST §2.3.3 and MS-OXCDATA §2.11 lay them out.
 */
interface TableItem {
  entryValueType: number;
  entryValueReference: number;
  isExternalValueReference: boolean;
  data: Buffer;
}

interface ObjectInternals {
  pstTableItems: Map<number, TableItem> | null;
  localDescriptorItems: Map<number, { getData(): Buffer }> | null;
}

/** Named property sets, by pst-extractor's own index of the GUIDs it knows (PSTFile's guidMap). */
export const PROPERTY_SET = { common: 1, address: 2, appointment: 4, meeting: 5 } as const;

const PT_STRING8 = 0x001e;
const PT_UNICODE = 0x001f;
const PT_MV_STRING8 = 0x101e;
const PT_MV_UNICODE = 0x101f;
const PT_SYSTIME = 0x0040;
const PT_BINARY = 0x0102;

export class PropertyReader {
  private readonly internals: ObjectInternals;

  constructor(
    item: object,
    private readonly file: PSTFile,
  ) {
    this.internals = item as unknown as ObjectInternals;
  }

  /** A named property's id in this file (-1 when the file never used that name). */
  named(lid: number, set: number): number {
    return this.file.getNameToIdMapItem(lid, set);
  }

  /** A named property of PS_PUBLIC_STRINGS by its name ("Keywords": the categories). */
  namedString(name: string): number {
    return (this.file.constructor as typeof PSTFile).getPublicStringToIdMapItem(name);
  }

  has(id: number): boolean {
    return id >= 0 && (this.internals.pstTableItems?.has(id) ?? false);
  }

  /** The value's bytes: in the property table's heap, or in a sub-node for large values. */
  bytes(id: number): Buffer | null {
    const item = id >= 0 ? this.internals.pstTableItems?.get(id) : undefined;
    if (!item) return null;
    if (!item.isExternalValueReference) return item.data;
    const node = this.internals.localDescriptorItems?.get(item.entryValueReference);
    return node ? node.getData() : null;
  }

  int(id: number): number | null {
    const item = id >= 0 ? this.internals.pstTableItems?.get(id) : undefined;
    if (!item || item.entryValueType === PT_BINARY || item.entryValueType === PT_UNICODE || item.entryValueType === PT_STRING8) return null;
    return item.entryValueReference;
  }

  bool(id: number): boolean | null {
    const n = this.int(id);
    return n === null ? null : n !== 0;
  }

  binary(id: number): Buffer | null {
    const item = id >= 0 ? this.internals.pstTableItems?.get(id) : undefined;
    return item?.entryValueType === PT_BINARY ? this.bytes(id) : null;
  }

  /** A PT_SYSTIME (FILETIME: 100 ns since 1601) as a Date. */
  date(id: number): Date | null {
    const item = id >= 0 ? this.internals.pstTableItems?.get(id) : undefined;
    if (item?.entryValueType !== PT_SYSTIME) return null;
    const data = this.bytes(id);
    if (!data || data.length < 8) return null;
    const ticks = data.readBigUInt64LE(0);
    const ms = Number(ticks / 10_000n) - 11_644_473_600_000;
    return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms) : null;
  }

  string(id: number): string | null {
    const item = id >= 0 ? this.internals.pstTableItems?.get(id) : undefined;
    if (!item || (item.entryValueType !== PT_UNICODE && item.entryValueType !== PT_STRING8)) return null;
    const data = this.bytes(id);
    if (!data) return null;
    const text = item.entryValueType === PT_UNICODE ? data.toString('utf16le') : data.toString('latin1');
    return text.replace(/\0+$/, '') || null;
  }

  /** PtypMultipleString: a count, that many offsets, then the strings (MS-PST §2.3.3.4.2). */
  strings(id: number): string[] {
    const item = id >= 0 ? this.internals.pstTableItems?.get(id) : undefined;
    if (!item) return [];
    if (item.entryValueType === PT_UNICODE || item.entryValueType === PT_STRING8) {
      const one = this.string(id);
      return one ? [one] : [];
    }
    if (item.entryValueType !== PT_MV_UNICODE && item.entryValueType !== PT_MV_STRING8) return [];
    const data = this.bytes(id);
    if (!data || data.length < 4) return [];
    const count = data.readUInt32LE(0);
    if (count > 10_000 || 4 + count * 4 > data.length) return [];
    const offsets = Array.from({ length: count }, (_, i) => data.readUInt32LE(4 + i * 4));
    const out: string[] = [];
    for (const [i, start] of offsets.entries()) {
      const end = offsets[i + 1] ?? data.length;
      if (start > end || end > data.length) return [];
      const part = data.subarray(start, end);
      const text = (item.entryValueType === PT_MV_UNICODE ? part.toString('utf16le') : part.toString('latin1')).replace(/\0+$/, '').trim();
      if (text) out.push(text);
    }
    return out;
  }
}
