import type { CompareReport, DuplicateMessage, FolderComparison, MissingMessage } from '../../../shared/compare-types.js';
import { CutoverError } from '../../../shared/errors.js';
import type { FolderMapping, MappingRules } from '../../../shared/folder-mapping.js';
import { connectReaders, type ImapAccount } from '../imap/imap-account.js';
import type { FolderListing, MessageMeta } from '../imap/imap-types.js';
import type { SourceReader } from '../imap/source-reader.js';
import { compareKey, type MatchMode } from '../mail/fingerprint.js';
import type { TargetSpecialNames } from '../mail/mailbox-layout.js';
import { flagsToText } from '../mail/message-flags.js';
import { mappingForPair } from '../mail/pair-mapping.js';
import { pairKeys } from '../mail/pair-keys.js';
import type { StateStore } from '../state/state-store.js';

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
}

const SYSTEM_FLAGS = new Set(['\\seen', '\\answered', '\\flagged', '\\deleted', '\\draft']);

/**
 * Compares two mailboxes folder by folder from four header lines (Message-ID, Date, From, Subject),
 * flags and sizes only (never bodies), so it works on any pair of accounts, synced by Cutover or
 * not, and stays fast. For a pair
 * Cutover copied, it goes through the mapping the copy used.
 */
export async function compareMailboxes(req: CompareRequest): Promise<CompareReport> {
  const mode = req.matchMode ?? 'exact';
  // Nothing is written anywhere: both mailboxes are only read (EXAMINE, BODY.PEEK of four header lines, flags).
  const { source, target } = await connectReaders(req.source, req.target);
  try {
    const [sourceFolders, targetFolders] = await Promise.all([source.listFolders(true), target.listFolders(false)]);
    const mapping = req.mapping ?? pairMapping(req, sourceFolders, targetFolders, source, target);
    const statusOf = new Map(sourceFolders.map((f) => [f.path, f.status]));
    const folders: FolderComparison[] = [];
    for (const m of mapping) {
      if (!m.selectable) continue;
      if (req.signal?.aborted) throw new CutoverError({ code: 'cancelled', message: 'The comparison was cancelled.', retryable: false });
      if (m.target === null) {
        folders.push(leftOutFolder(m.source, statusOf.get(m.source)?.messages ?? 0));
        continue;
      }
      // Both sides at once, each on its own connection: the slower side sets the time, not the sum.
      const onTarget = m.targetExists || targetFolders.some((f) => f.path === m.target);
      const [sourceMessages, targetMessages] = await Promise.all([readFolder(source, m.source), onTarget ? readFolder(target, m.target) : Promise.resolve([])]);
      folders.push(compareFolder(m.source, m.target, sourceMessages, targetMessages, mode));
    }
    return summarize(folders);
  } finally {
    await Promise.all([source.logout(), target.logout()]);
  }
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

async function readFolder(session: SourceReader, path: string): Promise<MessageMeta[]> {
  const box = await session.examine(path);
  const out: MessageMeta[] = [];
  if (box.exists === 0) return out;
  for await (const m of session.fetchCompareFacts('1:*')) out.push(m);
  return out;
}

export function summarize(folders: FolderComparison[]): CompareReport {
  const missingTotal = folders.reduce((n, f) => n + f.missing.length, 0);
  const duplicateTotal = folders.reduce((n, f) => n + f.duplicates.reduce((k, d) => k + d.copies, 0), 0);
  return { folders, missingTotal, duplicateTotal, complete: missingTotal === 0 && duplicateTotal === 0 };
}

function leftOutFolder(source: string, messages: number): FolderComparison {
  return { source, target: null, leftOut: true, sourceCount: messages, targetCount: 0, sourceBytes: 0, targetBytes: 0, missing: [], duplicates: [], extraOnTarget: 0, flagMismatches: 0 };
}

export function compareFolder(source: string, target: string, src: MessageMeta[], dst: MessageMeta[], mode: MatchMode): FolderComparison {
  const includeSize = mode === 'exact';
  const pool = new Map<string, MessageMeta[]>();
  for (const t of dst) {
    const key = compareKey(t, includeSize);
    const list = pool.get(key);
    if (list) list.push(t);
    else pool.set(key, [t]);
  }
  const sourceCount = new Map<string, { count: number; first: MessageMeta }>();
  const missing: MissingMessage[] = [];
  let flagMismatches = 0;
  for (const s of src) {
    const key = compareKey(s, includeSize);
    const seen = sourceCount.get(key);
    if (seen) seen.count++;
    else sourceCount.set(key, { count: 1, first: s });
    const match = pool.get(key)?.shift();
    if (!match) {
      missing.push({ uid: s.uid, messageId: s.messageId, subject: s.subject, date: s.date, from: s.from, size: s.size });
      continue;
    }
    if (comparableFlags(s.flags, mode) !== comparableFlags(match.flags, mode)) flagMismatches++;
  }
  // What is left in the pool: copies beyond the source's count (duplicates) or mail not from the source.
  const duplicates: DuplicateMessage[] = [];
  let extraOnTarget = 0;
  for (const [key, left] of pool) {
    if (left.length === 0) continue;
    const from = sourceCount.get(key);
    if (!from) {
      extraOnTarget += left.length;
      continue;
    }
    duplicates.push({ messageId: from.first.messageId, subject: from.first.subject, date: from.first.date, copies: left.length });
  }
  return {
    source,
    target,
    leftOut: false,
    sourceCount: src.length,
    targetCount: dst.length,
    sourceBytes: src.reduce((n, m) => n + m.size, 0),
    targetBytes: dst.reduce((n, m) => n + m.size, 0),
    missing,
    duplicates,
    extraOnTarget,
    flagMismatches,
  };
}

/** Exchange keeps only system flags (and $MDNSent), so only those are compared against it. */
function comparableFlags(flags: Set<string>, mode: MatchMode): string {
  const list = [...flags].filter((f) => mode === 'exact' || SYSTEM_FLAGS.has(f.toLowerCase()));
  return flagsToText(list.filter((f) => f.toLowerCase() !== '$mdnsent'));
}
