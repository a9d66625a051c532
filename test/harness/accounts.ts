import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImapAccount } from '../../src/main/engine/imap/imap-account.js';
import { StateStore } from '../../src/main/engine/state/state-store.js';
import { TEST_PASSWORD, type DovecotInfo } from './dovecot.js';

export function account(info: DovecotInfo, user: string, port?: number): ImapAccount {
  return {
    endpoint: { host: '127.0.0.1', port: port ?? info.imapsPort, user, tls: 'implicit' },
    credentials: async () => ({ password: TEST_PASSWORD }),
    caFile: info.caFile,
  };
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'cutover-state-'));
}

/** A fresh state database, as a host's service would open it (its folder is `state.dir`). */
export function tempState(): StateStore {
  return StateStore.open(tempStateDir());
}
