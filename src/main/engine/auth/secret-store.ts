import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where a secret blob (the MSAL token cache) lives. The desktop app implements it with Electron
 * safeStorage; the CLI with a file only its user can read. The engine never knows which.
 */
export interface SecretStore {
  read(): Promise<string | null>;
  write(value: string): Promise<void>;
  remove(): Promise<void>;
}

/** A 0600 file in a 0700 folder, written atomically (temp file + rename) so a kill never truncates it. */
export class FileSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  async read(): Promise<string | null> {
    try {
      return readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async write(value: string): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, value, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }

  async remove(): Promise<void> {
    rmSync(this.file, { force: true });
  }
}
