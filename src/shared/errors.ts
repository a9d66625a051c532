/**
 * Errors cross every boundary (engine → CLI, engine → UI) as plain data with a stable code.
 * Wording for people lives at the edges; the engine only picks the code and a factual message.
 */
export const ERROR_CODES = [
  'usage',
  'auth-failed',
  'tls-failed',
  'tls-untrusted',
  'host-unreachable',
  'connection-lost',
  'timeout',
  'plaintext-refused',
  'server-refused',
  'mailbox-not-found',
  'message-refused',
  'message-too-large',
  'throttled',
  'state-corrupt',
  'cancelled',
  'not-signed-in',
  'sign-in-required',
  'consent-required',
  'admin-consent-required',
  'wrong-tenant',
  'conditional-access',
  'user-cancelled',
  'no-mailbox',
  'no-license',
  'imap-disabled',
  'account-mismatch',
  'graph-error',
  // Connecting: what the server's certificate or first bytes say (issue 9).
  'tls-name-mismatch',
  'tls-expired',
  'plaintext-on-tls-port',
  'tls-on-plaintext-port',
  'not-imap',
  'response-too-large',
  // Chosen files (contacts and calendar exports) travel by reference (issue 9).
  'file-too-large',
  'file-unavailable',
  /** Another process is copying (or repairing, or cleaning up) the same mailbox pair; facts: pid, since, purpose. */
  'pair-busy',
  // Outlook data files (.pst/.ost, issue 16): a password in Outlook, or a file no library reads.
  'outlook-file-protected',
  'outlook-file-unreadable',
  // The SMTP check sends a Microsoft 365 token only to Exchange Online's endpoint (issue 14).
  'oauth-host-refused',
  /** A folder of an Outlook data file was asked for by name and is not there; facts: wanted, kind, available ('"A", "B"'). */
  'outlook-folder-not-found',
  /** A message size limit above what the target can ever take; facts: given, ceiling (bytes). */
  'size-limit-too-large',
  /** No app registration (client ID) to sign in to Microsoft 365 with: none given, none built in, none used before. */
  'no-app-registration',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface CutoverErrorData {
  code: ErrorCode;
  message: string;
  /** True when trying the same thing again later may succeed (network, throttling). */
  retryable: boolean;
  detail?: string;
  /** When the server said how long to wait (throttling). */
  retryAfterSeconds?: number;
  /** Plain facts behind the error (numbers, names, times) for the edges to word it. */
  facts?: Record<string, string | number | boolean | null>;
}

export class CutoverError extends Error implements CutoverErrorData {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly detail?: string;
  readonly retryAfterSeconds?: number;
  readonly facts?: Record<string, string | number | boolean | null>;

  constructor(data: CutoverErrorData, options?: { cause?: unknown }) {
    super(data.message, options);
    this.name = 'CutoverError';
    this.code = data.code;
    this.retryable = data.retryable;
    if (data.detail !== undefined) this.detail = data.detail;
    if (data.retryAfterSeconds !== undefined) this.retryAfterSeconds = data.retryAfterSeconds;
    if (data.facts !== undefined) this.facts = data.facts;
  }

  toData(): CutoverErrorData {
    const data: CutoverErrorData = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.detail !== undefined) data.detail = this.detail;
    if (this.retryAfterSeconds !== undefined) data.retryAfterSeconds = this.retryAfterSeconds;
    if (this.facts !== undefined) data.facts = this.facts;
    return data;
  }
}

export function isCutoverError(value: unknown): value is CutoverError {
  return value instanceof CutoverError;
}
