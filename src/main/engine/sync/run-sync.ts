import { CutoverError, type CutoverErrorData } from '../../../shared/errors.js';
import type { FolderMapping, MappingRules } from '../../../shared/folder-mapping.js';
import { NO_RULES } from '../../../shared/folder-mapping.js';
import { describeEndpoint } from '../../../shared/imap-endpoint.js';
import type { FolderSummary, MessageRef, SyncEvent, SyncSummary } from '../../../shared/sync-types.js';
import { connectPair, type ImapAccount } from '../imap/imap-account.js';
import type { FolderListing, ImapSession } from '../imap/imap-session.js';
import { openDatabase } from '../state/open-database.js';
import { SyncState, type FolderRow } from '../state/sync-state.js';
import { copyFolder, skippedRefsFor, throwIfCancelled, type CopyContext } from './copy-folder.js';
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
  signal?: AbortSignal;
  onEvent?: (event: SyncEvent) => void;
}

/** Parallel connection pairs when the caller does not say: measured, see README "Benchmark". */
export const DEFAULT_CONNECTIONS = 4;
const BATCH_BYTES = 8 * 1024 * 1024;

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
      planFolders(layoutOf(sourceFolders, source.personalNamespace), { ...layoutOf(targetFolders, target.personalNamespace), reservedNames: req.reservedTargetNames ?? [] }, req.rules ?? NO_RULES);
    result.mapping = mapping;
    emit({ type: 'mapping', mapping });
    await createMissingFolders(target, mapping, targetFolders);

    const statusByPath = new Map(sourceFolders.map((f) => [f.path, f.status]));
    const known = state.folders(pairId);
    const work: FolderMapping[] = [];
    for (const m of mapping) {
      if (m.target === null || !m.selectable) continue;
      const row = known.get(m.source);
      if (row && unchangedSince(row, statusByPath.get(m.source) ?? null, m.target, state, req.maxMessageSize ?? null)) {
        result.folders.push(emptySummary(m.source, m.target, row.seenMessages ?? 0));
        result.skipped.push(...skippedRefsFor(state, row.id, m.source));
        continue;
      }
      work.push(m);
    }

    // Folders with the same target go to the same worker, one after the other, so two workers never
    // claim the same target messages at once.
    const queue = groupByTarget(work);
    const workers = Math.max(1, Math.min(req.connections ?? DEFAULT_CONNECTIONS, queue.length));
    const runWorker = async (index: number): Promise<void> => {
      let pair: { source: ImapSession; target: ImapSession } | null = index === 0 ? { source, target } : null;
      const reconnect = async (): Promise<{ source: ImapSession; target: ImapSession }> => {
        if (pair) {
          pair.source.close();
          pair.target.close();
        }
        const { source: s, target: t } = await connectPair(req.source, req.target);
        sessions.push(s, t);
        pair = { source: s, target: t };
        return pair;
      };
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const m of group) {
          if (signal.aborted) return;
          try {
            const res = await withReconnect(
              async (fresh) => {
                const p = fresh || !pair || !pair.source.isUsable || !pair.target.isUsable ? await reconnect() : pair;
                const ctx: CopyContext = {
                  state,
                  pairId,
                  source: p.source,
                  target: p.target,
                  matchMode: req.matchMode ?? 'exact',
                  maxMessageSize: req.maxMessageSize ?? null,
                  signal,
                  emit,
                  batchBytes: BATCH_BYTES,
                  ...(req.extraFlags ? { extraFlags: req.extraFlags } : {}),
                };
                return copyFolder(ctx, m);
              },
              { signal, folder: m.source, emit },
            );
            addFolder(result, res.summary, res.skipped, res.failed);
          } catch (err) {
            if (err instanceof CutoverError && err.code === 'cancelled') return;
            if (err instanceof CutoverError && (err.code === 'auth-failed' || err.code === 'tls-untrusted')) throw err;
            result.folderErrors.push({ folder: m.source, error: errorData(err) });
          }
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, (_, i) => runWorker(i)));
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

function groupByTarget(work: FolderMapping[]): FolderMapping[][] {
  const groups = new Map<string, FolderMapping[]>();
  for (const m of work) {
    const key = m.target!.toLowerCase();
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()];
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
