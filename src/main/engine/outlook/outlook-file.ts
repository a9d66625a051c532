import { closeSync, openSync, readSync } from 'node:fs';
import { PSTFile, type PSTFolder, type PSTMessage } from 'pst-extractor';
import { NodeMap } from 'pst-extractor/dist/NodeMap.class.js';
import { PSTUtil } from 'pst-extractor/dist/PSTUtil.class.js';
import { CutoverError } from '../../../shared/errors.js';
import type { OutlookFolderInfo } from '../../../shared/pim-types.js';
import type { PlanControl } from '../pim/plan-control.js';
import { PropertyReader } from './outlook-properties.js';

/** PidTagPstPassword: the CRC-32 of the password Outlook asks for before it opens the file (0 = none). */
const PST_PASSWORD = 0x67ff;
/** PidTagIpmSubtreeEntryId: the folder Outlook shows as the top of the file. */
const IPM_SUBTREE_ENTRY_ID = 0x35e0;
/** Folder trees deeper or larger than these are not real Outlook files. */
const MAX_DEPTH = 64;
const MAX_FOLDERS = 20_000;
/** The node id type of a normal (not folder-associated) message (MS-PST §2.2.2.1). */
const NID_TYPE_NORMAL_MESSAGE = 0x04;

export type OutlookFolderKind = 'contacts' | 'calendar';

/**
 * One Outlook data file (.pst or .ost), opened read-only through pst-extractor, which reads it
 * piece by piece from disk: a 10 GB file never needs more than the items being read in memory.
 *
 * pst-extractor keeps the file's table of named properties in one static field shared by every
 * open file, and reports damaged items on the console (stdout, which would break `--json`), so
 * every call into it goes through `use`: it puts this file's own table in place and collects what
 * the library prints, for the duration of one synchronous call. Nothing else can run in between,
 * so two files read at once (contacts and calendar of the same file in the app) never mix.
 */
export class OutlookDataFile {
  private readonly names: NodeMap;
  private readonly pst: PSTFile;
  private readonly byId = new Map<string, PSTFolder>();
  private folderList: OutlookFolderInfo[] | null = null;
  /** What the library printed during the last call (kept off stdout; not shown to anyone). */
  private printed: string[] = [];

  /** An offline copy of an Exchange mailbox (.ost): it has no password of its own. */
  readonly isOst: boolean;

  private constructor(
    readonly path: string,
    readonly name: string,
  ) {
    this.isOst = clientMagic(path) === 'SO';
    this.names = new NodeMap();
    this.pst = this.use(() => new PSTFile(path));
  }

  /**
   * Opens the file, or throws `outlook-file-unreadable` (not an Outlook data file, damaged, or
   * encrypted in a way no library reads) or `outlook-file-protected` (a password in Outlook), with
   * the file's name: never the library's text.
   */
  static open(path: string, name: string): OutlookDataFile {
    let file: OutlookDataFile;
    try {
      file = new OutlookDataFile(path, name);
    } catch (err) {
      throw openFailure(name, err);
    }
    let protectedByPassword = false;
    try {
      // An .ost keeps 0xFFFFFFFF there; only a .pst can have a password of its own.
      protectedByPassword = !file.isOst && file.use(() => (new PropertyReader(file.pst.getMessageStore(), file.pst).int(PST_PASSWORD) ?? 0) !== 0);
    } catch (err) {
      file.close();
      throw openFailure(name, err);
    }
    if (protectedByPassword) {
      file.close();
      throw new CutoverError({
        code: 'outlook-file-protected',
        message: `"${name}" is protected with a password in Outlook; Cutover does not read password-protected data files.`,
        retryable: false,
        detail: 'PidTagPstPassword is set on the message store',
      });
    }
    return file;
  }

  /** "Unicode PST (Outlook 2003 and later)" and the like, for the plan and the preview. */
  get format(): string {
    const kind = this.isOst ? 'OST' : 'PST';
    const type = this.pst.pstFileType;
    if (type === PSTFile.PST_TYPE_ANSI) return `ANSI ${kind} (Outlook 97–2002)`;
    if (type === PSTFile.PST_TYPE_2013_UNICODE) return `Unicode ${kind} with 4 KB pages (Outlook 2013 and later)`;
    return `Unicode ${kind} (Outlook 2003 and later)`;
  }

  /**
   * Every contacts and calendar folder of the file, found by its container class (IPF.Contact…,
   * IPF.Appointment…), so localized names ("Kontakte", "Agenda") do not matter. `suggested` marks
   * the folders of exactly IPF.Contact / IPF.Appointment; the subclasses are Outlook's own caches
   * (suggested contacts, the recipient cache, birthdays made from contacts).
   */
  folders(): OutlookFolderInfo[] {
    if (this.folderList) return this.folderList;
    const out: OutlookFolderInfo[] = [];
    const ipmNid = this.use(() => {
      const entry = new PropertyReader(this.pst.getMessageStore(), this.pst).binary(IPM_SUBTREE_ENTRY_ID);
      return entry && entry.length >= 24 ? entry.readUInt32LE(20) : null;
    });
    let seen = 0;
    const walk = (folder: PSTFolder, path: string[], depth: number, visible: boolean): void => {
      if (depth > MAX_DEPTH || ++seen > MAX_FOLDERS) return;
      const info = this.use(() => ({ nid: folder.descriptorNodeId.toNumber(), name: folder.displayName, cls: folder.containerClass, count: folder.contentCount, subs: folder.hasSubfolders ? folder.getSubFolders() : [] }));
      const here = visible ? [...path, info.name] : path;
      // An .ost has no IPM subtree entry id: its visible folders are those under "IPM_SUBTREE".
      const top = ipmNid === null && info.name === 'IPM_SUBTREE';
      const kind = kindOf(info.cls);
      if (visible && kind) {
        const id = String(info.nid);
        this.byId.set(id, folder);
        out.push({ id, name: info.name, path: here.join('/'), kind, containerClass: info.cls, items: info.count, suggested: info.cls === (kind === 'contacts' ? 'IPF.Contact' : 'IPF.Appointment') });
      }
      for (const sub of info.subs) walk(sub, top ? [] : here, depth + 1, visible || top || info.nid === ipmNid);
    };
    walk(this.use(() => this.pst.getRootFolder()), [], 0, false);
    this.folderList = out;
    return out;
  }

  /**
   * The items of one folder, one at a time, each read when it is asked for. They are found through
   * the file's node index (every message node whose parent is the folder) rather than the folder's
   * contents table: pst-extractor 1.12 stops reading a contents table at its first 8 KB block (24
   * appointments of a 160-item folder in its own sample file), and the index is what it falls back
   * to itself. The index of a file is read once (its entries, not its items: tens of MB for a file
   * with a million items). An item the library cannot read is reported by its position.
   */
  async *items(folderId: string, control: PlanControl): AsyncGenerator<{ item: PSTMessage; index: number; total: number } | { unreadable: string; index: number; total: number }> {
    this.folders();
    if (!this.byId.has(folderId)) return;
    const nodes = this.use(() => (this.pst.getChildDescriptorTree().get(Number(folderId)) ?? []).filter((n) => (n.descriptorIdentifier & 0x1f) === NID_TYPE_NORMAL_MESSAGE));
    const total = nodes.length;
    for (const [i, node] of nodes.entries()) {
      await control.checkpoint();
      let item: unknown;
      try {
        item = this.use(() => PSTUtil.detectAndLoadPSTObject(this.pst, node));
      } catch {
        yield { unreadable: `item ${i + 1} of this folder is damaged and could not be read`, index: i + 1, total };
        continue;
      }
      if (item && typeof item === 'object' && 'messageClass' in item) yield { item: item as PSTMessage, index: i + 1, total };
    }
  }

  messageStore(): object {
    return this.pst.getMessageStore();
  }

  /** A property reader for an item of this file (its named properties resolve in this file's table). */
  properties(item: object): PropertyReader {
    return new PropertyReader(item, this.pst);
  }

  /** Runs synchronous library work with this file's named-property table in place (see the class comment). */
  use<T>(work: () => T): T {
    const shared = PSTFile as unknown as { nodeMap: NodeMap };
    const before = shared.nodeMap;
    const { log, error, warn } = console;
    this.printed = [];
    const collect = (...args: unknown[]): void => void this.printed.push(args.map(String).join(' ').slice(0, 500));
    shared.nodeMap = this.names;
    console.log = console.error = console.warn = collect;
    try {
      return work();
    } finally {
      shared.nodeMap = before;
      console.log = log;
      console.error = error;
      console.warn = warn;
    }
  }

  close(): void {
    try {
      this.pst.close();
    } catch {
      // Already closed, or never opened: nothing to release.
    }
  }
}

/** wMagicClient of the header (MS-PST §2.2.2.6): "SM" for a .pst, "SO" for an .ost. */
function clientMagic(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(10);
    readSync(fd, head, 0, 10, 0);
    return head.subarray(8, 10).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function kindOf(containerClass: string): OutlookFolderKind | null {
  if (/^IPF\.Contact(\.|$)/i.test(containerClass)) return 'contacts';
  if (/^IPF\.Appointment(\.|$)/i.test(containerClass)) return 'calendar';
  return null;
}

/** The library's own errors, as facts about the file (its text stays in `detail`, for logs). */
function openFailure(name: string, err: unknown): CutoverError {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') {
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a folder' : 'permission denied';
    return new CutoverError({ code: 'file-unavailable', message: `"${name}" cannot be read: ${why}.`, retryable: false });
  }
  const fail = (why: string): CutoverError => new CutoverError({ code: 'outlook-file-unreadable', message: `"${name}" ${why}.`, retryable: false, detail: text.slice(0, 300) });
  if (/Invalid file header/i.test(text)) return fail('is not an Outlook data file (.pst or .ost)');
  if (/Unrecognised PST File version/i.test(text)) return fail('is an Outlook data file of a version Cutover cannot read');
  if (/PST is encrypted/i.test(text)) return fail("is encrypted with Outlook's \"high\" encryption, which Cutover cannot read");
  return fail('is damaged: its index could not be read');
}
