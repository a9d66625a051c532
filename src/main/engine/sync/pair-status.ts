import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import type { LastRun } from '../../../shared/sync-types.js';
import { pairKeys } from '../mail/pair-keys.js';
import type { LeaseHolder, LeasePurpose, PairLease } from '../state/pair-lease.js';
import type { StateStore } from '../state/state-store.js';

/** What the state database knows about a pair, without connecting anywhere. */
export interface StoredPairStatus {
  /** Messages in the selected folders as last planned (or seen); 0 before any plan. */
  known: number;
  /** Of those, on the target. */
  done: number;
  pending: number;
  failed: number;
  skipped: number;
  folders: { source: string; target: string; known: number; done: number; failed: number; skipped: number }[];
  /** Messages Cutover itself appended, over every run. */
  copiedByCutover: number;
  lastRun: LastRun | null;
  /** Who holds the pair now, if anyone. */
  holder: LeaseHolder | null;
}

type Endpoint = Pick<ImapEndpoint, 'host' | 'port' | 'user'>;

export function storedPairStatus(state: StateStore, source: Endpoint, target: Endpoint): StoredPairStatus {
  const { pairs } = state;
  const { sourceKey, targetKey } = pairKeys(source, target);
  const pairId = pairs.find(sourceKey, targetKey);
  const empty: StoredPairStatus = { known: 0, done: 0, pending: 0, failed: 0, skipped: 0, folders: [], copiedByCutover: 0, lastRun: null, holder: null };
  if (pairId === null) return empty;
  // Only the folders the pair's mapping selects now count (a folder left out later does not).
  const mapping = pairs.mapping(pairId);
  const selected = mapping ? new Map(mapping.filter((m) => m.target !== null && m.selectable).map((m) => [m.source, m.target])) : null;
  const folders = pairs
    .folderCounts(pairId)
    .filter((f) => selected === null || selected.get(f.source) === f.target)
    .map((f) => {
      const known = f.known ?? f.done + f.pending + f.failed + f.skipped;
      return { source: f.source, target: f.target, known, done: Math.min(f.done, known), pending: f.pending, failed: f.failed, skipped: f.skipped };
    });
  const total = (pick: (f: (typeof folders)[number]) => number): number => folders.reduce((n, f) => n + pick(f), 0);
  return {
    known: total((f) => f.known),
    done: total((f) => f.done),
    pending: total((f) => f.pending),
    failed: total((f) => f.failed),
    skipped: total((f) => f.skipped),
    folders: folders.map(({ pending: _pending, ...f }) => f),
    copiedByCutover: pairs.copiesMade(pairId),
    lastRun: pairs.lastRun(pairId),
    holder: state.leaseHolder(pairId),
  };
}

/** Takes the pair's lease for this process (or throws `pair-busy` naming the holder); `onLost` if another process takes it over. */
export function holdPair(state: StateStore, source: Endpoint, target: Endpoint, purpose: LeasePurpose, onLost: () => void): PairLease {
  const { sourceKey, targetKey } = pairKeys(source, target);
  return state.acquireLease(state.pairs.ensure(sourceKey, targetKey), purpose, { onLost });
}
