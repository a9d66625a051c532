import type { ExtraCopiesFolder, ExtraCopiesPlan, ExtraCopiesResult, ExtraCopyGroup } from '../../../shared/compare-types.js';
import { connectPair, type ImapAccount } from '../imap/imap-account.js';
import type { ImapSession, MessageMeta } from '../imap/imap-session.js';
import { openDatabase, type Db } from '../state/open-database.js';
import { PairLease } from '../state/pair-lease.js';
import { PairState } from '../state/pair-state.js';
import { SyncState } from '../state/sync-state.js';
import { TargetCopies } from '../state/target-copies.js';
import { collect } from './copy-shared.js';
import { compareKey, type MatchMode } from './fingerprint.js';
import { pairKeys } from './pair-keys.js';
import { mappingForPair } from './pair-mapping.js';

export interface ExtraCopiesRequest {
  source: ImapAccount;
  target: ImapAccount;
  stateDir: string;
  matchMode?: MatchMode;
  reservedTargetNames?: string[];
  targetSpecialNames?: Partial<Record<'sent' | 'drafts' | 'trash' | 'junk' | 'archive', string>>;
}

const REMOVE_CHUNK = 500;

/**
 * What "remove the extra copies Cutover made" would remove, without changing anything: in each
 * folder of the pair, for every source message that is on the target more often than on the
 * source, up to that many of the copies Cutover itself appended (known from the journal). Copies
 * Cutover cannot prove it made, and mail not from the source, are never candidates.
 */
export async function planExtraCopies(req: ExtraCopiesRequest): Promise<ExtraCopiesPlan> {
  return withPair(req, (ctx) => planWith(req, ctx), { folders: [], remove: 0, keptUnproven: 0 });
}

async function planWith(req: ExtraCopiesRequest, { db, pairId, source, target, pairs }: PairContext): Promise<ExtraCopiesPlan> {
  const mode = req.matchMode ?? 'exact';
  const [sourceFolders, targetFolders] = await Promise.all([source.listFolders(false), target.listFolders(false)]);
  const mapping = mappingForPair({
    pair: { pairs, pairId },
    source: { folders: sourceFolders, namespace: source.personalNamespace },
    target: { folders: targetFolders, namespace: target.personalNamespace },
    targetExtras: { reservedNames: req.reservedTargetNames ?? [], specialNames: req.targetSpecialNames ?? {} },
  });
  const state = new SyncState(db);
  const copies = new TargetCopies(db);
  const known = state.folders(pairId);
  const folders: ExtraCopiesFolder[] = [];
  for (const m of mapping) {
    const row = known.get(m.source);
    if (m.target === null || !m.selectable || !row || row.targetPath !== m.target || !m.targetExists) continue;
    const sourceMessages = await readAll(source, m.source);
    const box = await target.open(m.target, true);
    const targetMessages = box.exists > 0 ? await collect(target.fetchMeta('1:*')) : [];
    const ours = copies.uids(pairId, m.target, box.uidValidity);
    const pointed = new Set<number>();
    for (const r of state.messages(row.id).values()) if (r.targetUid !== null) pointed.add(r.targetUid);
    const folder = extraCopiesOf(m.source, m.target, box.uidValidity, sourceMessages, targetMessages, ours, pointed, mode);
    if (folder.groups.length > 0) folders.push(folder);
  }
  return {
    folders,
    remove: folders.reduce((n, f) => n + f.uids.length, 0),
    keptUnproven: folders.reduce((n, f) => n + f.groups.reduce((k, g) => k + g.keptUnproven, 0), 0),
  };
}

/**
 * Removes what a preview showed and nothing else: the plan is made again, and only UIDs that are
 * both in it and in the confirmed preview are removed (a folder whose UIDVALIDITY changed is left
 * alone). Holds the pair's lease, so no copy runs meanwhile.
 */
export async function removeExtraCopies(req: ExtraCopiesRequest, confirmed: Pick<ExtraCopiesFolder, 'source' | 'target' | 'uidValidity' | 'uids'>[]): Promise<ExtraCopiesResult> {
  return withPair(req, async (ctx) => {
    const { db, pairId, target } = ctx;
    const lease = PairLease.acquire(db, pairId, 'dedupe');
    try {
      const now = await planWith(req, ctx);
      const copies = new TargetCopies(db);
      const state = new SyncState(db);
      const known = state.folders(pairId);
      const result: ExtraCopiesResult = { removed: 0, folders: [] };
      for (const folder of now.folders) {
        const wanted = confirmed.find((f) => f.source === folder.source && f.target === folder.target && f.uidValidity === folder.uidValidity);
        if (!wanted) continue;
        const allowed = new Set(wanted.uids);
        const uids = folder.uids.filter((u) => allowed.has(u));
        if (uids.length === 0) continue;
        const box = await target.open(folder.target, false);
        if (box.uidValidity !== folder.uidValidity) continue;
        for (let i = 0; i < uids.length; i += REMOVE_CHUNK) {
          const chunk = uids.slice(i, i + REMOVE_CHUNK);
          // Order matters: removed on the server first, then forgotten in the journal. A kill in
          // between leaves journal entries for UIDs that no longer exist (UIDs are never reused),
          // which is harmless; the other order could leave a copy nobody can prove is Cutover's.
          await target.removeMessages(chunk);
          copies.removed(pairId, known.get(folder.source)!.id, folder.target, folder.uidValidity, chunk);
        }
        result.removed += uids.length;
        result.folders.push({ source: folder.source, target: folder.target, removed: uids.length });
      }
      return result;
    } finally {
      lease.release();
    }
  }, { removed: 0, folders: [] });
}

/** Picks, per message with extra copies, which of Cutover's copies go. */
export function extraCopiesOf(
  source: string,
  target: string,
  uidValidity: number,
  sourceMessages: MessageMeta[],
  targetMessages: MessageMeta[],
  ours: Set<number>,
  pointed: Set<number>,
  mode: MatchMode,
): ExtraCopiesFolder {
  const includeSize = mode === 'exact';
  const sourceCount = new Map<string, number>();
  for (const m of sourceMessages) {
    const key = compareKey(m, includeSize);
    sourceCount.set(key, (sourceCount.get(key) ?? 0) + 1);
  }
  const onTarget = new Map<string, MessageMeta[]>();
  for (const m of targetMessages) {
    const key = compareKey(m, includeSize);
    const list = onTarget.get(key);
    if (list) list.push(m);
    else onTarget.set(key, [m]);
  }
  const groups: ExtraCopyGroup[] = [];
  const uids: number[] = [];
  for (const [key, list] of onTarget) {
    const wanted = sourceCount.get(key) ?? 0;
    // Mail that is not from the source is never a duplicate of it.
    if (wanted === 0 || list.length <= wanted) continue;
    const excess = list.length - wanted;
    // Cutover's copies only; those no journal row points at first, the newest first.
    const candidates = list
      .filter((m) => ours.has(m.uid))
      .sort((a, b) => Number(pointed.has(a.uid)) - Number(pointed.has(b.uid)) || b.uid - a.uid)
      .slice(0, excess);
    uids.push(...candidates.map((m) => m.uid));
    const first = list[0]!;
    groups.push({ messageId: first.messageId, subject: first.subject, date: first.date, sourceCount: wanted, targetCount: list.length, remove: candidates.length, keptUnproven: excess - candidates.length });
  }
  return { source, target, uidValidity, uids: uids.sort((a, b) => a - b), groups };
}

async function readAll(session: ImapSession, path: string): Promise<MessageMeta[]> {
  const box = await session.open(path, true);
  return box.exists > 0 ? collect(session.fetchMeta('1:*')) : [];
}

interface PairContext {
  db: Db;
  pairs: PairState;
  pairId: number;
  source: ImapSession;
  target: ImapSession;
}

/** Runs `work` on the pair; a pair Cutover never copied has no copies of Cutover's: `empty`. */
async function withPair<T>(req: ExtraCopiesRequest, work: (ctx: PairContext) => Promise<T>, empty: T): Promise<T> {
  const db = openDatabase(req.stateDir);
  try {
    const pairs = new PairState(db);
    const { sourceKey, targetKey } = pairKeys(req.source.endpoint, req.target.endpoint);
    const pairId = pairs.find(sourceKey, targetKey);
    if (pairId === null) return empty;
    const { source, target } = await connectPair(req.source, req.target);
    try {
      return await work({ db, pairs, pairId, source, target });
    } finally {
      await Promise.all([source.logout(), target.logout()]);
    }
  } finally {
    db.close();
  }
}
