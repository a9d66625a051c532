import type { ErrorCode } from './errors.js';

export type FindingLevel = 'ok' | 'warning' | 'blocking';

export interface Finding {
  /** Stable identifier, e.g. "target-license"; the UI keys its help texts on it. */
  id: string;
  level: FindingLevel;
  /** One sentence saying what was found. */
  message: string;
  /** What to do about it (a command for the admin, a setting to change), when anything. */
  action?: string;
  /** For a failed check, the error's code: the app words the finding from it, never from `message`. */
  code?: ErrorCode;
}

export interface PreflightFolder {
  path: string;
  messages: number;
  bytes: number;
}

export interface OversizedMessage {
  folder: string;
  uid: number;
  subject: string;
  date: string | null;
  size: number;
}

export interface PreflightReport {
  findings: Finding[];
  source: { folders: PreflightFolder[]; totalMessages: number; totalBytes: number; oversized: OversizedMessage[] } | null;
  target: { user: string | null; folders: number; messages: number | null } | null;
  maxMessageSize: number | null;
}
