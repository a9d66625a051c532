import { CutoverError, type CutoverErrorData } from '../../../shared/errors.js';
import type { FolderMapping, MappingRules } from '../../../shared/folder-mapping.js';
import { NO_RULES } from '../../../shared/folder-mapping.js';
import { describeEndpoint } from '../../../shared/imap-endpoint.js';
import type { FolderSummary, MessageRef, SyncEvent, SyncSummary } from '../../../shared/sync-types.js';
import { connectAccount, connectPair, type ImapAccount } from '../imap/imap-account.js';
import type { FolderListing, ImapSession } from '../imap/imap-session.js';
import { openDatabase } from '../state/open-database.js';
import { SyncState, type FolderRow } from '../state/sync-state.js';
import { copyFolder, skippedRefs, throwIfCancelled, type CopyContext } from './copy-folder.js';
import type { MatchMode } from './fingerprint.js';
import { layoutOf, planFolders } from './folder-plan.js';
import { withReconnect } from './reconnect.js';

export type { ImapAccount };

export interface SyncRequest {
  source: ImapAccount;
  target: ImapAccount;
  stateDir: string;
  maxMessageSize?: number | null;
  connections?: number;
  rules?: MappingRules;
  /** A mapping the user reviewed; when absent the automatic plan is used. */
  mapping?: FolderMapping[];
  matchMode?: MatchMode;
  reservedTargetNames?: string[];
  extraFlags?: (raw: Buffer) => string[];
  storeFlaggedAfterAppend?: boolean;
  /** Repair mode: re-check every folder and copy again what vanished from the target. */
  verifyTarget?: boolean;
  /** Names of the target's special folders learnt elsewhere (Exchange: from Graph, localized). */
  targetSpecialNames?: Partial<Record<'sent' | 'drafts' | 'trash' | 'junk' | 'archive', string>>;
  signal?: AbortSignal;
  onEvent?: (event: SyncEvent) => void;
}

/** Parallel connection pairs when the caller does not say: measured, see README "Benchmark". */
export const DEFAULT_CONNECTIONS = 4;
const BATCH_BYTES = 2 * 1024 * 1024;

export async function runSync(req: SyncRequest): Promise<SyncSummary> {
  const started = Date.now();
  const signal = req.signal ?? new AbortController().signal;
  const emit = req.onEvent ?? (() => undefined);
  const db = openDatabase(req.stateDir);
  const state = new SyncState(db);
  const pairId = state.pairId(describeEndpoint(req.source.endpoint), describeEndpoint(req.target.endpoint));
  const result: SyncSummary = {
    copied: 0,
    alreadyPresent: 0,
    flagsUpdated: 0,
    skipped: [],
    failed: [],
    folders: [],
    folderErrors: [],
    mapping: [],
    cancelled: false,
    elapsedMs: 0,
  };
  const sessions: ImapSession[] = [];
  try {
    const { source, target } = await connectPair(req.source, req.target);
    sessions.push(source, target);
    const [sourceFolders, targetFolders] = await Promise.all([source.listFolders(true), target.listFolders(false)]);
    const mapping =
      req.mapping ??
      planFolders(layoutOf(sourceFolders, source.personalNamespace), { ...layoutOf(targetFolders, target.personalNamespace), reservedNames: req.reservedTargetNames ?? [], specialNames: req.targetSpecialNames ?? {} }, req.rules ?? NO_RULES);
    result.mapping = mapping;
    emit({ type: 'mapping', mapping });
    await createMissingFolders(target, mapping, targetFolders);

    const statusByPath = new Map(sourceFolders.map((f) => [f.path, f.status]));
    const known = state.folders(pairId);
    const work: FolderMapping[] = [];
    for (const m of mapping) {
      if (m.target === null || !m.selectable) continue;
      const row = known.get(m.source);
      if (row && !req.verifyTarget && unchangedSince(row, statusByPath.get(m.source) ?? null, m.target, state, req.maxMessageSize ?? null)) {
        result.folders.push(emptySummary(m.source, m.target, row.seenMessages ?? 0));
        result.skipped.push(...skippedRefs(state, row.id, m.source));
        continue;
      }
      work.push(m);
    }

    // Folders are done one after another; inside a folder, appends go through `connections`
    // target connections at once (see copyAll), which balances well however the mail is spread.
    const laneCount = Math.max(1, req.connections ?? DEFAULT_CONNECTIONS);
    const refusedThisRun = new Map<string, MessageRef>();
    let pair: { source: ImapSession; target: ImapSession } = { source, target };
    let lanes: ImapSession[] = [];
    const closeAll = (): void => {
      for (const s of [pair.source, pair.target, ...lanes]) s.close();
      lanes = [];
    };
    const appendLanes = async (): Promise<ImapSession[]> => {
      lanes = lanes.filter((l) => l.isUsable);
      while (lanes.length < laneCount - 1) {
        const lane = await connectAccount(req.target, 'target');
        sessions.push(lane);
        lanes.push(lane);
      }
      return [pair.target, ...lanes];
    };
    for (const m of work) {
      if (signal.aborted) break;
      try {
        const res = await withReconnect(
          async (fresh) => {
            if (fresh || !pair.source.isUsable || !pair.target.isUsable) {
              closeAll();
              pair = await connectPair(req.source, req.target);
              sessions.push(pair.source, pair.target);
            }
            const ctx: CopyContext = {
              state,
              pairId,
              source: pair.source,
              target: pair.target,
              appendLanes,
              matchMode: req.matchMode ?? 'exact',
              maxMessageSize: req.maxMessageSize ?? null,
              signal,
              emit,
              batchBytes: BATCH_BYTES,
              refusedThisRun,
              storeFlaggedAfterAppend: req.storeFlaggedAfterAppend ?? false,
              verifyTarget: req.verifyTarget ?? false,
              ...(req.extraFlags ? { extraFlags: req.extraFlags } : {}),
            };
            return copyFolder(ctx, m);
          },
          { signal, folder: m.source, emit },
        );
        addFolder(result, res.summary, res.skipped, res.failed);
        if (res.cancelled) break;
      } catch (err) {
        if (err instanceof CutoverError && err.code === 'cancelled') break;
        if (err instanceof CutoverError && (err.code === 'auth-failed' || err.code === 'tls-untrusted')) throw err;
        result.folderErrors.push({ folder: m.source, error: errorData(err) });
      }
    }
    throwIfCancelled(signal);
  } catch (err) {
    if (err instanceof CutoverError && err.code === 'cancelled') result.cancelled = true;
    else throw err;
  } finally {
    await Promise.all(sessions.map((s) => s.logout()));
    db.close();
  }
  result.cancelled = result.cancelled || signal.aborted;
  result.elapsedMs = Date.now() - started;
  return result;
}


async function createMissingFolders(target: ImapSession, mapping: FolderMapping[], existing: FolderListing[]): Promise<void> {
  const have = new Set(existing.map((f) => f.path));
  const wanted = [...new Set(mapping.filter((m) => m.target !== null && m.selectable && !m.targetExists).map((m) => m.target!))];
  wanted.sort((a, b) => a.length - b.length);
  for (const path of wanted) {
    if (have.has(path)) continue;
    const delimiter = mapping.find((m) => m.target === path)?.targetDelimiter ?? '/';
    await target.createFolder(path.split(delimiter));
    have.add(path);
  }
}

/**
 * The fast path of a no-op rerun: the last pass over this folder was clean and STATUS shows the
 * same UIDNEXT, message count and HIGHESTMODSEQ (so no new message and no flag change).
 * Without CONDSTORE, flag changes cannot be seen from STATUS, so the folder is always looked at.
 */
function unchangedSince(
  row: FolderRow,
  status: FolderListing['status'],
  targetPath: string,
  state: SyncState,
  maxMessageSize: number | null,
): boolean {
  if (!status || !row.clean || row.targetPath !== targetPath) return false;
  if (status.highestModseq === null || row.seenModseq !== status.highestModseq) return false;
  if (row.sourceUidValidity !== status.uidValidity || row.seenUidNext !== status.uidNext || row.seenMessages !== status.messages) return false;
  if (state.countUnsettled(row.id) > 0) return false;
  // A raised size limit means some skipped messages may fit now.
  return !state.rowsInState(row.id, 'skipped').some((r) => maxMessageSize === null || r.size <= maxMessageSize);
}

function emptySummary(source: string, target: string, total: number): FolderSummary {
  return { source, target, copied: 0, alreadyPresent: 0, flagsUpdated: 0, total, keywordsNotKept: {} };
}

function addFolder(result: SyncSummary, summary: FolderSummary, skipped: MessageRef[], failed: MessageRef[]): void {
  result.folders.push(summary);
  result.copied += summary.copied;
  result.alreadyPresent += summary.alreadyPresent;
  result.flagsUpdated += summary.flagsUpdated;
  result.skipped.push(...skipped);
  result.failed.push(...failed);
}

function errorData(err: unknown): CutoverErrorData {
  if (err instanceof CutoverError) return err.toData();
  return { code: 'internal', message: (err as Error)?.message ?? String(err), retryable: false };
}
