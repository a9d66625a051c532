import type { MessageRef, SyncEvent } from '../../../shared/sync-types.js';
import type { SourceReader } from '../imap/source-reader.js';
import type { TargetWriter } from '../imap/target-writer.js';
import type { MatchMode } from '../mail/fingerprint.js';
import type { SyncState } from '../state/sync-state.js';
import type { AppendFlagPolicy } from './append-flags.js';
import type { CrashHook } from './crash-points.js';
import type { LaneTuner } from './lane-tuner.js';
import type { BlockPool } from './message-blocks.js';
import type { OverallMeter } from './progress-meter.js';

/** How this target is copied to, the same for every folder of a run. */
export interface CopySettings {
  matchMode: MatchMode;
  /** Messages larger than this are left out (skipped) and listed; null: no limit. */
  maxMessageSize: number | null;
  /** Upper bound of message bytes fetched per round trip; bounds memory per connection. */
  batchBytes: number;
  /**
   * Upper bound of message bytes held between FETCH and APPEND by all lanes together (see
   * byte-budget.ts); a single message larger than this still goes, alone.
   */
  memoryBytes: number;
  /** Repair: check that messages copied before are still on the target, and copy again the ones that are not. */
  verifyTarget: boolean;
  /** Which flags go with the APPEND and which are set by STORE after it (Exchange: \Flagged); null: all with the APPEND. */
  appendFlags: AppendFlagPolicy | null;
  /** Extra flags for one message on top of the source's (e.g. $MDNSent for Exchange), from its start through its header. */
  extraFlags: ((head: Buffer) => string[]) | null;
}

/**
 * What one run shares across its folders and across reconnect attempts of a folder: the journal,
 * the settings, where events go, and what it has done so far.
 */
export interface CopyRun {
  journal: SyncState;
  pairId: number;
  settings: CopySettings;
  signal: AbortSignal;
  emit: (event: SyncEvent) => void;
  /** All folders together (null when the caller does not follow overall progress). */
  overall: OverallMeter | null;
  /** Named crash points, for tests only (see crash-points.ts). */
  crash: CrashHook | null;
  /**
   * Messages the target refused during this run, by "folder\0uid". Shared by every attempt of the
   * run so that a reconnect (e.g. after Exchange's BYE following a burst of refusals) does not send
   * them again and again; the next run retries them.
   */
  refused: Map<string, MessageRef>;
  /**
   * Messages copied per source folder during this run, across reconnect attempts, so a pass that
   * is run again after a dropped connection still reports what the first attempt copied as copied.
   */
  copied: Map<string, number>;
  /** How many lanes append at once, measured as the run goes (null: one lane). */
  lanes: LaneTuner | null;
  /** The memory message bytes are held in between FETCH and APPEND, reused by every batch (message-blocks.ts). */
  blocks: BlockPool;
}

/** The connections one attempt of a folder pass works through. */
export interface PassConnections {
  source: SourceReader;
  target: TargetWriter;
  /** The target connection for lane `index` ≥ 1 (lane 0 is `target`), opened when first asked for. */
  lane: (index: number) => Promise<TargetWriter>;
}
