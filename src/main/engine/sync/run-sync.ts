import { CutoverError, type CutoverErrorData } from '../../../shared/errors.js';
import type { FolderMapping, MappingRules } from '../../../shared/folder-mapping.js';
import type { FolderSummary, LastRun, MessageRef, SyncEvent, SyncSummary } from '../../../shared/sync-types.js';
import { connectAccount, connectPair, type ImapAccount } from '../imap/imap-account.js';
import type { FolderListing, ImapSession } from '../imap/imap-session.js';
import { openDatabase } from '../state/open-database.js';
import { PairLease } from '../state/pair-lease.js';
import { PairState } from '../state/pair-state.js';
import { SyncState, type FolderRow } from '../state/sync-state.js';
import { copyFolder, skippedRefs, throwIfCancelled, type CopyContext } from './copy-folder.js';
import { planCopy } from './copy-plan.js';
import { pairKeys } from './pair-keys.js';
import type { CrashHook } from './crash-points.js';
import type { MatchMode } from './fingerprint.js';
import { rulesForPair } from './folder-rules.js';
import { layoutOf, planFolders } from './folder-plan.js';
import { OverallMeter } from './progress-meter.js';
import { withReconnect } from './reconnect.js';

export type { ImapAccount };

export interface SyncRequest {
  source: ImapAccount;
  target: ImapAccount;
  stateDir: string;
  maxMessageSize?: number | null;
  connections?: number;
  /**
   * Folder rules (leave out, rename), source folders named as the old server shows them with "/"
   * between levels. Given: checked, saved with the pair and used. Absent: the pair's saved rules.
   */
  rules?: MappingRules;
  matchMode?: MatchMode;
  reservedTargetNames?: string[];
  extraFlags?: (raw: Buffer) => string[];
  storeFlaggedAfterAppend?: boolean;
  /** Repair mode: re-check every folder and copy again what vanished from the target. */
  verifyTarget?: boolean;
  /** Names of the target's special folders learnt elsewhere (Exchange: from Graph, localized). */
  targetSpecialNames?: Partial<Record<'sent' | 'drafts' | 'trash' | 'junk' | 'archive', string>>;
  /**
   * The pair's lease, when the caller took it already (the app takes it before answering, so a busy
   * pair is reported at once). Otherwise the run takes it, and fails with `pair-busy` when another
   * process holds it.
   */
  lease?: PairLease;
  /** Named crash points for tests (see crash-points.ts); never set in production. */
  crash?: CrashHook;
  signal?: AbortSignal;
  onEvent?: (event: SyncEvent) => void;
}

/** Parallel connection pairs when the caller does not say: measured, see README "Benchmark". */
export const DEFAULT_CONNECTIONS = 4;
const BATCH_BYTES = 2 * 1024 * 1024;

export async function runSync(req: SyncRequest): Promise<SyncSummary> {
  const started = Date.now();
  const emit = req.onEvent ?? (() => undefined);
  const db = openDatabase(req.stateDir);
  const pairs = new PairState(db);
  const { sourceKey, targetKey } = pairKeys(req.source.endpoint, req.target.endpoint);
  const pairId = pairs.ensure(sourceKey, targetKey);
  const lost = new AbortController();
  let lease: PairLease;
  try {
    lease = req.lease ?? PairLease.acquire(db, pairId, req.verifyTarget ? 'repair' : 'sync', { onLost: () => lost.abort() });
  } catch (err) {
    db.close();
    throw err;
  }
  const signal = req.signal ? AbortSignal.any([req.signal, lost.signal]) : lost.signal;
  const state = new SyncState(db, { pairId, token: lease.token });
  const result: SyncSummary = {
    copied: 0,
    alreadyPresent: 0,
    flagsUpdated: 0,
    skipped: [],
    failed: [],
    folders: [],
    folderErrors: [],
    mapping: [],
    plan: null,
    cancelled: false,
    elapsedMs: 0,
  };
  const lastRun: LastRun = { startedAt: new Date(started).toISOString(), finishedAt: null, repair: req.verifyTarget ?? false, copied: 0, failed: 0, cancelled: false };
  pairs.saveLastRun(pairId, lastRun);
  const sessions: ImapSession[] = [];
  try {
    const { source, target } = await connectPair(req.source, req.target);
    sessions.push(source, target);
    const [sourceFolders, targetFolders] = await Promise.all([source.listFolders(true), target.listFolders(false)]);
    const rules = rulesForPair(pairs, pairId, req.rules, sourceFolders);
    const mapping = planFolders(layoutOf(sourceFolders, source.personalNamespace), { ...layoutOf(targetFolders, target.personalNamespace), reservedNames: req.reservedTargetNames ?? [], specialNames: req.targetSpecialNames ?? {} }, rules);
    result.mapping = mapping;
    pairs.saveMapping(pairId, mapping);
    await createMissingFolders(target, mapping, targetFolders);

    // The plan: every selected folder counted before the first APPEND.
    const planned = await planCopy({
      source,
      state,
      pairId,
      mapping,
      statusByPath: new Map(sourceFolders.map((f) => [f.path, f.status])),
      verifyTarget: req.verifyTarget ?? false,
      maxMessageSize: req.maxMessageSize ?? null,
    });
    result.plan = planned.plan;
    emit({ type: 'plan', plan: planned.plan });
    const overall = new OverallMeter(planned.plan);
    emit({ type: 'overall', progress: overall.snapshot() });
    for (const { mapping: m, row } of planned.unchanged) {
      const skipped = skippedRefs(state, row.id, m.source);
      result.folders.push(unchangedSummary(m.source, m.target, row, skipped.length));
      result.alreadyPresent += row.seenDone ?? 0;
      result.skipped.push(...skipped);
      overall.folderFinished(0, skipped.length);
    }
    const work = planned.work;

    // Folders are done one after another; inside a folder, appends go through `connections`
    // target connections at once (see copyAll), which balances well however the mail is spread.
    const laneCount = Math.max(1, req.connections ?? DEFAULT_CONNECTIONS);
    const refusedThisRun = new Map<string, MessageRef>();
    const copiedThisRun = new Map<string, number>();
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
              copiedThisRun,
              overall,
              crash: req.crash ?? null,
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
        if (err instanceof CutoverError && (err.code === 'auth-failed' || err.code === 'tls-untrusted' || err.code === 'pair-busy')) throw err;
        result.folderErrors.push({ folder: m.source, error: errorData(err) });
      }
    }
    if (lost.signal.aborted) throw lostError();
    throwIfCancelled(signal);
    emit({ type: 'overall', progress: overall.snapshot(true) });
  } catch (err) {
    if (lost.signal.aborted) throw lostError();
    if (err instanceof CutoverError && err.code === 'cancelled') result.cancelled = true;
    else throw err;
  } finally {
    await Promise.all(sessions.map((s) => s.logout()));
    Object.assign(lastRun, { finishedAt: new Date().toISOString(), copied: result.copied, failed: result.failed.length, cancelled: result.cancelled || signal.aborted });
    if (db.open) {
      pairs.saveLastRun(pairId, lastRun);
      if (!req.lease) lease.release();
      db.close();
    }
  }
  result.cancelled = result.cancelled || signal.aborted;
  result.elapsedMs = Date.now() - started;
  return result;
}

function lostError(): CutoverError {
  return new CutoverError({ code: 'pair-busy', message: 'Another process took over this mailbox pair; this copy stopped.', retryable: false, facts: { lost: true } });
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

function unchangedSummary(source: string, target: string, row: FolderRow, skipped: number): FolderSummary {
  return { source, target, copied: 0, alreadyPresent: row.seenDone ?? 0, flagsUpdated: 0, failed: 0, skipped, total: row.seenMessages ?? 0, keywordsNotKept: {} };
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
