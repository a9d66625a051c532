import type { CompareReport, FolderComparison } from '../../../shared/compare-types.js';
import { CutoverError } from '../../../shared/errors.js';
import type { FolderMapping, MappingRules } from '../../../shared/folder-mapping.js';
import { connectReaders, type ImapAccount } from '../imap/imap-account.js';
import type { FolderListing } from '../imap/imap-types.js';
import type { SourceReader } from '../imap/source-reader.js';
import type { MatchMode } from '../mail/fingerprint.js';
import type { TargetSpecialNames } from '../mail/mailbox-layout.js';
import { mappingForPair } from '../mail/pair-mapping.js';
import { pairKeys } from '../mail/pair-keys.js';
import type { StateStore } from '../state/state-store.js';
import { FactIndex, type Side } from './fact-index.js';

export interface CompareRequest {
  source: ImapAccount;
  target: ImapAccount;
  /** With the state database, the pair's saved folder rules and mapping are used (and given rules saved). */
  state?: StateStore;
  /** Folder rules given now (source names as the old server shows them, "/" between levels). */
  rules?: MappingRules;
  mapping?: FolderMapping[];
  /** `reencoding` for targets that rewrite messages (Exchange): sizes are not compared. */
  matchMode?: MatchMode;
  reservedTargetNames?: string[];
  /** Special folders known by name from elsewhere (Exchange: localized names from Graph). */
  targetSpecialNames?: TargetSpecialNames;
  signal?: AbortSignal;
  /** Messages read per FETCH (COMPARE_PAGE); smaller in tests, to read a folder in many ranges. */
  pageSize?: number;
}

/**
 * Compares two mailboxes folder by folder from four header lines (Message-ID, Date, From, Subject),
 * flags and sizes only (never bodies), so it works on any pair of accounts, synced by Cutover or
 * not, and stays fast. For a pair Cutover copied, it goes through the mapping the copy used.
 * Each side is read in UID ranges into a scratch SQLite index (fact-index.ts), so its memory does
 * not grow with the mailbox.
 */
export async function compareMailboxes(req: CompareRequest): Promise<CompareReport> {
  // Opened first: if it cannot be, no connection is left open.
  const index = new FactIndex(req.matchMode ?? 'exact');
  try {
    // Nothing is written anywhere: both mailboxes are only read (EXAMINE, BODY.PEEK of four header lines, flags).
    const { source, target } = await connectReaders(req.source, req.target);
    try {
      return await compareFolders(req, source, target, index);
    } finally {
      await Promise.all([source.logout(), target.logout()]);
    }
  } finally {
    index.close();
  }
}

async function compareFolders(req: CompareRequest, source: SourceReader, target: SourceReader, index: FactIndex): Promise<CompareReport> {
  const [sourceFolders, targetFolders] = await Promise.all([source.listFolders(true), target.listFolders(false)]);
  const mapping = req.mapping ?? pairMapping(req, sourceFolders, targetFolders, source, target);
  const statusOf = new Map(sourceFolders.map((f) => [f.path, f.status]));
  const folders: FolderComparison[] = [];
  for (const m of mapping) {
    if (!m.selectable) continue;
    throwIfCancelled(req.signal);
    if (m.target === null) {
      folders.push(leftOutFolder(m.source, statusOf.get(m.source)?.messages ?? 0));
      continue;
    }
    // Both sides at once, each on its own connection: the slower side sets the time, not the sum.
    // When one side fails the other stops at its next page, and both settle before anything goes
    // on: a side still reading must not write into the index after it was cleared or closed.
    const onTarget = m.targetExists || targetFolders.some((f) => f.path === m.target);
    const stop = new AbortController();
    const signal = req.signal ? AbortSignal.any([req.signal, stop.signal]) : stop.signal;
    // The first failure is the one to report; the other side's "stopped" that follows it is not.
    let firstFailure: { reason: unknown } | null = null;
    const side = (session: SourceReader, path: string, which: Side): Promise<void> =>
      readFolder(session, path, which, index, req.pageSize ?? COMPARE_PAGE, signal).catch((err: unknown) => {
        firstFailure ??= { reason: err };
        stop.abort();
      });
    await Promise.all([side(source, m.source, 'source'), onTarget ? side(target, m.target, 'target') : Promise.resolve()]);
    if (firstFailure) {
      index.clear();
      throw (firstFailure as { reason: unknown }).reason;
    }
    folders.push(index.compare(m.source, m.target));
  }
  return summarize(folders);
}

function pairMapping(req: CompareRequest, sourceFolders: FolderListing[], targetFolders: FolderListing[], source: SourceReader, target: SourceReader): FolderMapping[] {
  const input = {
    ...(req.rules ? { rules: req.rules } : {}),
    source: { folders: sourceFolders, namespace: source.personalNamespace },
    target: { folders: targetFolders, namespace: target.personalNamespace },
    targetExtras: { reservedNames: req.reservedTargetNames ?? [], specialNames: req.targetSpecialNames ?? {} },
  };
  if (!req.state) return mappingForPair({ ...input, pair: null });
  const { pairs } = req.state;
  const { sourceKey, targetKey } = pairKeys(req.source.endpoint, req.target.endpoint);
  // Rules given now are remembered with the pair; without them, a pair Cutover never saw has none.
  const pairId = req.rules ? pairs.ensure(sourceKey, targetKey) : pairs.find(sourceKey, targetKey);
  return mappingForPair({ ...input, pair: pairId === null ? null : { pairs, pairId } });
}

/** Messages read per FETCH: a side holds one page of facts at a time, whatever the folder's size. */
export const COMPARE_PAGE = 2000;

/** One side's folder into the index, page by page in UID ranges. */
async function readFolder(session: SourceReader, path: string, side: Side, index: FactIndex, pageSize: number, signal: AbortSignal): Promise<void> {
  const box = await session.examine(path);
  if (box.exists === 0) return;
  for (const range of await session.uidRanges(box.exists, pageSize)) {
    throwIfCancelled(signal);
    index.add(side, await session.compareFactsPage(range));
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CutoverError({ code: 'cancelled', message: 'The comparison was cancelled.', retryable: false });
}

export function summarize(folders: FolderComparison[]): CompareReport {
  const missingTotal = folders.reduce((n, f) => n + f.missing.length, 0);
  const duplicateTotal = folders.reduce((n, f) => n + f.duplicates.reduce((k, d) => k + d.copies, 0), 0);
  return { folders, missingTotal, duplicateTotal, complete: missingTotal === 0 && duplicateTotal === 0 };
}

function leftOutFolder(source: string, messages: number): FolderComparison {
  return { source, target: null, leftOut: true, sourceCount: messages, targetCount: 0, sourceBytes: 0, targetBytes: 0, missing: [], duplicates: [], extraOnTarget: 0, flagMismatches: 0 };
}
