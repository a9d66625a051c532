import type { ImapSession } from '../imap/imap-session.js';
import { fingerprint, type MatchMode } from './fingerprint.js';

/**
 * The target folder's messages that no remembered source message owns yet, by fingerprint.
 * This is how a copy whose completion was never recorded (killed run) is recognised instead of
 * being sent twice, and how mail that was on the target before Cutover ran is left alone.
 */
export class TargetIndex {
  private constructor(private readonly unclaimed: Map<string, number[]>) {}

  static async load(target: ImapSession, fromUid: number, claimed: Set<number>, mode: MatchMode): Promise<TargetIndex> {
    const unclaimed = new Map<string, number[]>();
    for await (const m of target.fetchMeta(`${Math.max(1, fromUid)}:*`)) {
      // "N:*" also returns the last message when N is past the end (RFC 3501 ranges are unordered).
      if (m.uid < fromUid || claimed.has(m.uid)) continue;
      const fp = fingerprint(m, mode);
      const list = unclaimed.get(fp);
      if (list) list.push(m.uid);
      else unclaimed.set(fp, [m.uid]);
    }
    return new TargetIndex(unclaimed);
  }

  /** Takes one matching target message out of the pool (so two equal sources need two targets). */
  claim(fp: string): number | null {
    const list = this.unclaimed.get(fp);
    const uid = list?.shift();
    if (list && list.length === 0) this.unclaimed.delete(fp);
    return uid ?? null;
  }
}
