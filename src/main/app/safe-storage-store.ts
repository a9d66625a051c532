import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { safeStorage } from 'electron';
import { CutoverError } from '../../shared/errors.js';
import type { SecretStore } from '../engine/service/for-hosts.js';

/**
 * The desktop app's SecretStore: the MSAL token cache encrypted with Electron safeStorage (Keychain,
 * DPAPI, libsecret/kwallet). On Linux without a secret service Electron falls back to a hard-coded
 * key ("basic_text"); that is no encryption, so we refuse it instead of pretending.
 */
export class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  static assertReal(): void {
    const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
    if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
      throw new CutoverError({
        code: 'internal',
        message: 'This computer has no password store (keyring) that Cutover could use to protect your Microsoft 365 sign-in. Install and unlock one (GNOME Keyring or KWallet) and start Cutover again.',
        retryable: false,
      });
    }
  }

  async read(): Promise<string | null> {
    let blob: Buffer;
    try {
      blob = readFileSync(this.file);
    } catch {
      return null;
    }
    try {
      return safeStorage.decryptString(blob);
    } catch {
      // Keychain reset or a copied profile: treated as signed out.
      return null;
    }
  }

  async write(value: string): Promise<void> {
    SafeStorageSecretStore.assertReal();
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, safeStorage.encryptString(value), { mode: 0o600 });
    renameSync(temp, this.file);
  }

  async remove(): Promise<void> {
    rmSync(this.file, { force: true });
  }
}
