import type { MailboxConnection } from '../imap/mailbox-connection.js';
import { fingerprint, type MatchMode } from '../mail/fingerprint.js';

/** A message found on the target: its UID and the flags it has there. */
export interface FoundCopy {
  uid: number;
  flags: Set<string>;
}

/**
 * The target folder's messages that no remembered source message owns yet, by fingerprint.
 * This is how a copy whose completion was never recorded (killed run) is recognised instead of
 * being sent twice, and how mail that was on the target before Cutover ran is left alone.
 */
export class TargetIndex {
  private constructor(private readonly unclaimed: Map<string, FoundCopy[]>) {}

  /** Reads the open target folder from `fromUid` on, leaving out the UIDs the journal already owns. */
  static async load(target: MailboxConnection, fromUid: number, claimed: Set<number>, mode: MatchMode): Promise<TargetIndex> {
    const unclaimed = new Map<string, FoundCopy[]>();
    for await (const m of target.fetchMeta(`${Math.max(1, fromUid)}:*`)) {
      // "N:*" also returns the last message when N is past the end (RFC 3501 ranges are unordered).
      if (m.uid < fromUid || claimed.has(m.uid)) continue;
      const fp = fingerprint(m, mode);
      const list = unclaimed.get(fp);
      const found = { uid: m.uid, flags: m.flags };
      if (list) list.push(found);
      else unclaimed.set(fp, [found]);
    }
    return new TargetIndex(unclaimed);
  }

  /** Takes one matching target message out of the pool (so two equal sources need two targets). */
  claim(fp: string): FoundCopy | null {
    const list = this.unclaimed.get(fp);
    const found = list?.shift();
    if (list && list.length === 0) this.unclaimed.delete(fp);
    return found ?? null;
  }
}
