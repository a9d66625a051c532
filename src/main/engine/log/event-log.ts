import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SECRET_KEYS = /pass(word)?|secret|token|authorization|cookie|credential/i;
const MAX_BYTES = 5 * 1024 * 1024;

/**
 * A small JSON-lines log in the state folder ("Open log folder" in the app). It records what
 * happened (counts, folder names, error codes), never message contents, and scrubs secrets twice:
 * by key name, and by value for every secret the caller registered (passwords, tokens).
 */
export class EventLog {
  readonly dir: string;
  private readonly file: string;
  private readonly secrets = new Set<string>();
  private ready = false;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'logs');
    this.file = join(this.dir, 'cutover.log');
  }

  /** Values that must never appear in the log, whatever field they end up in. */
  secret(value: string | null | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  write(event: string, fields: Record<string, unknown> = {}): void {
    try {
      if (!this.ready) {
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.ready = true;
      }
      this.rotate();
      const line = JSON.stringify({ time: new Date().toISOString(), event, ...this.redact(fields) as object });
      appendFileSync(this.file, `${this.scrub(line)}\n`, { mode: 0o600 });
    } catch {
      // Logging must never break a migration.
    }
  }

  private redact(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.redact(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : this.redact(v)]));
    }
    return value;
  }

  private scrub(line: string): string {
    let out = line.replace(/Bearer\s+[\w.~+/-]+=*/gi, 'Bearer [redacted]').replace(/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]+/g, '[redacted-jwt]');
    for (const s of this.secrets) out = out.split(s).join('[redacted]').split(JSON.stringify(s).slice(1, -1)).join('[redacted]');
    return out;
  }

  private rotate(): void {
    try {
      if (statSync(this.file).size > MAX_BYTES) renameSync(this.file, `${this.file}.1`);
    } catch {
      // no file yet
    }
  }
}
