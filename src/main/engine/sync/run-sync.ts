import { CutoverError, type CutoverErrorData } from '../../../shared/errors.js';
import type { FolderMapping, MappingRules } from '../../../shared/folder-mapping.js';
import { DEFAULT_COPY_CONNECTIONS, type FolderSummary, type LastRun, type MessageRef, type SyncEvent, type SyncSummary } from '../../../shared/sync-types.js';
import type { ImapAccount } from '../imap/imap-account.js';
import type { FolderListing } from '../imap/imap-types.js';
import type { TargetWriter } from '../imap/target-writer.js';
import type { MatchMode } from '../mail/fingerprint.js';
import { planFolders } from '../mail/folder-plan.js';
import { rulesForPair } from '../mail/folder-rules.js';
import { layoutOf, type TargetSpecialNames } from '../mail/mailbox-layout.js';
import { pairKeys } from '../mail/pair-keys.js';
import type { PairLease } from '../state/pair-lease.js';
import type { FolderRow } from '../state/sync-state.js';
import type { StateStore } from '../state/state-store.js';
import type { AppendFlagPolicy } from './append-flags.js';
import { isCancelled, throwIfCancelled } from './copy-shared.js';
import type { CopyRun } from './copy-run.js';
import { planCopy } from './copy-plan.js';
import type { CrashHook } from './crash-points.js';
import { skippedRefs } from './folder-journal.js';
import { FolderPass } from './folder-pass.js';
import { BLOCK_BYTES, BlockPool } from './message-blocks.js';
import { LaneTuner } from './lane-tuner.js';
import { OverallMeter } from './progress-meter.js';
import { withReconnect } from './reconnect.js';
import { SyncConnections } from './sync-connections.js';

export type { ImapAccount };

export interface SyncRequest {
  source: ImapAccount;
  target: ImapAccount;
  /** The process's state database (the host's service owns it; the run never opens or closes it). */
  state: StateStore;
  maxMessageSize?: number | null;
  connections?: number;
  /**
   * Folder rules (leave out, rename), source folders named as the old server shows them with "/"
   * between levels. Given: checked, saved with the pair and used. Absent: the pair's saved rules.
   */
  rules?: MappingRules;
  matchMode?: MatchMode;
  reservedTargetNames?: string[];
  /** Extra flags for one message on top of the source's (Exchange: $MDNSent, see m365/exchange-target.ts). */
  extraFlags?: (head: Buffer) => string[];
  /** Which flags go with the APPEND and which by STORE after it (Exchange: exchangeAppendFlags). */
  appendFlags?: AppendFlagPolicy;
  /** Repair mode: re-check every folder and copy again what vanished from the target. */
  verifyTarget?: boolean;
  /** Names of the target's special folders learnt elsewhere (Exchange: from Graph, localized). */
  targetSpecialNames?: TargetSpecialNames;
  /**
   * The pair's lease, when the caller took it already (the app takes it before answering, so a busy
   * pair is reported at once). Otherwise the run takes it, and fails with `pair-busy` when another
   * process holds it.
   */
  lease?: PairLease;
  /** Message bytes held at once between FETCH and APPEND (default MEMORY_BYTES); tests set it small. */
  memoryBytes?: number;
  /**
   * Lanes a copy starts with (default: `connections`; it drops lanes that do not pay, see
   * lane-tuner.ts). Tests set it: 1 keeps a copy on the pair's one target connection.
   */
  startLanes?: number;
  /** Named crash points for tests (see crash-points.ts); never set in production. */
  crash?: CrashHook;
  signal?: AbortSignal;
  onEvent?: (event: SyncEvent) => void;
}

const BATCH_BYTES = 2 * 1024 * 1024;
/** Message bytes held between FETCH and APPEND by all lanes together (byte-budget.ts). */
export const MEMORY_BYTES = 16 * 1024 * 1024;

export async function runSync(req: SyncRequest): Promise<SyncSummary> {
  const started = Date.now();
  const emit = req.onEvent ?? (() => undefined);
  const store = req.state;
  const { pairs } = store;
  const { sourceKey, targetKey } = pairKeys(req.source.endpoint, req.target.endpoint);
  const pairId = pairs.ensure(sourceKey, targetKey);
  const lost = new AbortController();
  const lease = req.lease ?? store.acquireLease(pairId, req.verifyTarget ? 'repair' : 'sync', { onLost: () => lost.abort() });
  const signal = req.signal ? AbortSignal.any([req.signal, lost.signal]) : lost.signal;
  const journal = store.journal({ pairId, token: lease.token });
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
  let connections: SyncConnections | null = null;
  try {
    connections = await SyncConnections.open(req.source, req.target);
    const { source, target } = connections;
    const [sourceFolders, targetFolders] = await Promise.all([source.listFolders(true), target.listFolders(false)]);
    const rules = rulesForPair(pairs, pairId, req.rules, sourceFolders);
    const mapping = planFolders(
      layoutOf(sourceFolders, source.personalNamespace),
      { ...layoutOf(targetFolders, target.personalNamespace), reservedNames: req.reservedTargetNames ?? [], specialNames: req.targetSpecialNames ?? {} },
      rules,
    );
    result.mapping = mapping;
    pairs.saveMapping(pairId, mapping);
    await createMissingFolders(target, mapping, targetFolders);

    // The plan: every selected folder counted before the first APPEND.
    const planned = await planCopy({
      source,
      state: journal,
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
      const skipped = skippedRefs(journal, row.id, m.source);
      result.folders.push(unchangedSummary(m.source, m.target, row, skipped.length));
      result.alreadyPresent += row.seenDone ?? 0;
      result.skipped.push(...skipped);
      overall.folderFinished(0, skipped.length);
    }

    // Folders are done one after another; inside a folder, appends go through up to `connections`
    // target connections at once, as many as measurably pay (store-batches.ts, lane-tuner.ts),
    // which balances well however the mail is spread.
    const run: CopyRun = {
      journal,
      pairId,
      settings: {
        matchMode: req.matchMode ?? 'exact',
        maxMessageSize: req.maxMessageSize ?? null,
        batchBytes: BATCH_BYTES,
        memoryBytes: req.memoryBytes ?? MEMORY_BYTES,
        verifyTarget: req.verifyTarget ?? false,
        appendFlags: req.appendFlags ?? null,
        extraFlags: req.extraFlags ?? null,
      },
      signal,
      emit,
      overall,
      crash: req.crash ?? null,
      refused: new Map(),
      copied: new Map(),
      lanes: new LaneTuner(req.connections ?? DEFAULT_COPY_CONNECTIONS, undefined, req.startLanes),
      // Keeps what the byte budget lets all lanes hold at once, and a block per batch on top (their last, part-filled blocks).
      blocks: new BlockPool((req.memoryBytes ?? MEMORY_BYTES) + 8 * BLOCK_BYTES),
    };
    const open = connections;
    for (const m of planned.work) {
      if (signal.aborted) break;
      try {
        const res = await withReconnect(async (fresh) => new FolderPass(run, await open.forPass(fresh), m.source, m.target, m.sizes).copy(), { signal, folder: m.source, emit });
        addFolder(result, res.summary, res.skipped, res.failed);
        if (res.cancelled) break;
      } catch (err) {
        if (isCancelled(err)) break;
        if (err instanceof CutoverError && (err.code === 'auth-failed' || err.code === 'tls-untrusted' || err.code === 'pair-busy')) throw err;
        result.folderErrors.push({ folder: m.source, error: errorData(err) });
      }
    }
    if (lost.signal.aborted) throw lostError();
    throwIfCancelled(signal);
    emit({ type: 'overall', progress: overall.snapshot(true) });
  } catch (err) {
    if (lost.signal.aborted) throw lostError();
    if (isCancelled(err)) result.cancelled = true;
    else throw err;
  } finally {
    await connections?.logoutAll();
    Object.assign(lastRun, { finishedAt: new Date().toISOString(), copied: result.copied, failed: result.failed.length, cancelled: result.cancelled || signal.aborted });
    if (store.isOpen) {
      pairs.saveLastRun(pairId, lastRun);
      if (!req.lease) lease.release();
    }
  }
  result.cancelled = result.cancelled || signal.aborted;
  result.elapsedMs = Date.now() - started;
  return result;
}

function lostError(): CutoverError {
  return new CutoverError({ code: 'pair-busy', message: 'Another process took over this mailbox pair; this copy stopped.', retryable: false, facts: { lost: true } });
}


async function createMissingFolders(target: TargetWriter, mapping: FolderMapping[], existing: FolderListing[]): Promise<void> {
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
