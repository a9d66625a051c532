import type { CompareReport, FolderComparison, MissingMessage } from '../../../shared/compare-types.js';
import { CutoverError } from '../../../shared/errors.js';
import type { FolderMapping, MappingRules } from '../../../shared/folder-mapping.js';
import { NO_RULES } from '../../../shared/folder-mapping.js';
import { connectPair, type ImapAccount } from '../imap/imap-account.js';
import type { ImapSession, MessageMeta } from '../imap/imap-session.js';
import { compareKey, type MatchMode } from '../sync/fingerprint.js';
import { flagsToText } from '../sync/message-flags.js';
import { layoutOf, planFolders } from '../sync/folder-plan.js';

export interface CompareRequest {
  source: ImapAccount;
  target: ImapAccount;
  rules?: MappingRules;
  mapping?: FolderMapping[];
  /** `reencoding` for targets that rewrite messages (Exchange): sizes are not compared. */
  matchMode?: MatchMode;
  reservedTargetNames?: string[];
  /** Special folders known by name from elsewhere (Exchange: localized names from Graph). */
  targetSpecialNames?: Partial<Record<'sent' | 'drafts' | 'trash' | 'junk' | 'archive', string>>;
  signal?: AbortSignal;
}

const SYSTEM_FLAGS = new Set(['\\seen', '\\answered', '\\flagged', '\\deleted', '\\draft']);

/**
 * Compares two mailboxes folder by folder from envelopes, flags, sizes and dates only (never
 * bodies), so it works on any pair of accounts, synced by Cutover or not, and stays fast.
 */
export async function compareMailboxes(req: CompareRequest): Promise<CompareReport> {
  const mode = req.matchMode ?? 'exact';
  const { source, target } = await connectPair(req.source, req.target);
  try {
    const [sourceFolders, targetFolders] = await Promise.all([source.listFolders(false), target.listFolders(false)]);
    const mapping =
      req.mapping ??
      planFolders(
        layoutOf(sourceFolders, source.personalNamespace),
        { ...layoutOf(targetFolders, target.personalNamespace), reservedNames: req.reservedTargetNames ?? [], specialNames: req.targetSpecialNames ?? {} },
        req.rules ?? NO_RULES,
      );
    const folders: FolderComparison[] = [];
    for (const m of mapping) {
      if (!m.selectable || m.target === null) continue;
      if (req.signal?.aborted) throw new CutoverError({ code: 'cancelled', message: 'The comparison was cancelled.', retryable: false });
      const sourceMessages = await readFolder(source, m.source);
      const targetMessages = m.targetExists || targetFolders.some((f) => f.path === m.target) ? await readFolder(target, m.target) : [];
      folders.push(compareFolder(m.source, m.target, sourceMessages, targetMessages, mode));
    }
    return { folders, missingTotal: folders.reduce((n, f) => n + f.missing.length, 0) };
  } finally {
    await Promise.all([source.logout(), target.logout()]);
  }
}

async function readFolder(session: ImapSession, path: string): Promise<MessageMeta[]> {
  const box = await session.open(path, true);
  const out: MessageMeta[] = [];
  if (box.exists === 0) return out;
  for await (const m of session.fetchMeta('1:*')) out.push(m);
  return out;
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
  const missing: MissingMessage[] = [];
  let flagMismatches = 0;
  for (const s of src) {
    const key = compareKey(s, includeSize);
    const match = pool.get(key)?.shift();
    if (!match) {
      missing.push({ uid: s.uid, messageId: s.messageId, subject: s.subject, date: s.date, from: s.from, size: s.size });
      continue;
    }
    if (comparableFlags(s.flags, mode) !== comparableFlags(match.flags, mode)) flagMismatches++;
  }
  let extraOnTarget = 0;
  for (const list of pool.values()) extraOnTarget += list.length;
  return {
    source,
    target,
    sourceCount: src.length,
    targetCount: dst.length,
    sourceBytes: src.reduce((n, m) => n + m.size, 0),
    targetBytes: dst.reduce((n, m) => n + m.size, 0),
    missing,
    extraOnTarget,
    flagMismatches,
  };
}

/** Exchange keeps only system flags (and $MDNSent), so only those are compared against it. */
function comparableFlags(flags: Set<string>, mode: MatchMode): string {
  const list = [...flags].filter((f) => mode === 'exact' || SYSTEM_FLAGS.has(f.toLowerCase()));
  return flagsToText(list.filter((f) => f.toLowerCase() !== '$mdnsent'));
}
