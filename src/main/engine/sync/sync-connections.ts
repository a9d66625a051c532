import { connectPair, connectWriter, type ImapAccount } from '../imap/imap-account.js';
import type { MailboxConnection } from '../imap/mailbox-connection.js';
import type { SourceReader } from '../imap/source-reader.js';
import type { TargetWriter } from '../imap/target-writer.js';
import type { PassConnections } from './copy-run.js';

/**
 * The connections of one run: the source reader, the target writer, and extra target connections
 * ("lanes") opened when the copy asks for them (see lane-tuner.ts). After a failure, a folder pass gets a
 * fresh pair (and fresh lanes); every connection ever opened is logged out at the end.
 */
export class SyncConnections {
  private readonly opened: MailboxConnection[] = [];
  private lanes: TargetWriter[] = [];

  private constructor(
    private readonly accounts: { source: ImapAccount; target: ImapAccount },
    private pair: { source: SourceReader; target: TargetWriter },
  ) {
    this.opened.push(pair.source, pair.target);
  }

  static async open(source: ImapAccount, target: ImapAccount): Promise<SyncConnections> {
    return new SyncConnections({ source, target }, await connectPair(source, target));
  }

  get source(): SourceReader {
    return this.pair.source;
  }

  get target(): TargetWriter {
    return this.pair.target;
  }

  /** The connections for one attempt of a folder pass; `fresh` after a failure, or when one was lost. */
  async forPass(fresh: boolean): Promise<PassConnections> {
    if (fresh || !this.pair.source.isUsable || !this.pair.target.isUsable) {
      for (const c of [this.pair.source, this.pair.target, ...this.lanes]) c.close();
      this.lanes = [];
      this.pair = await connectPair(this.accounts.source, this.accounts.target);
      this.opened.push(this.pair.source, this.pair.target);
    }
    return { source: this.pair.source, target: this.pair.target, lane: (index) => this.lane(index) };
  }

  async logoutAll(): Promise<void> {
    await Promise.all(this.opened.map((c) => c.logout()));
  }

  /** Lane `index` ≥ 1: an extra target connection, opened the first time it is asked for. */
  private async lane(index: number): Promise<TargetWriter> {
    const open = this.lanes[index - 1];
    if (open?.isUsable) return open;
    open?.close();
    const lane = await connectWriter(this.accounts.target);
    this.opened.push(lane);
    this.lanes[index - 1] = lane;
    return lane;
  }
}
