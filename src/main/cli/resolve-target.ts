import { CutoverError } from '../../shared/errors.js';
import { describeEndpoint, type ImapEndpoint } from '../../shared/imap-endpoint.js';
import type { M365Auth } from '../engine/auth/m365-auth.js';
import type { GraphClient } from '../engine/graph/graph-client.js';
import type { ImapAccount } from '../engine/imap/imap-account.js';
import { EXCHANGE, exchangeAccount } from '../engine/m365/exchange-target.js';
import type { TargetArg } from './cli-args.js';
import { storedM365 } from './m365-session.js';
import { passwordFor } from './password-prompt.js';

export interface ResolvedTarget {
  account: ImapAccount;
  exchange: { auth: M365Auth; graph: GraphClient; user: string } | null;
}

/** An IMAP account with a password asked once up front (environment or prompt), reused for every reconnect. */
export async function passwordAccount(endpoint: ImapEndpoint, role: 'source' | 'target', caFile: string | null): Promise<ImapAccount> {
  const password = await passwordFor(role, describeEndpoint(endpoint));
  return { endpoint, credentials: async () => ({ password }), ...(caFile ? { caFile } : {}) };
}

export async function resolveTarget(target: TargetArg, stateDir: string, caFile: string | null, onThrottled?: (s: number) => void): Promise<ResolvedTarget> {
  if (target.kind === 'imap') return { account: await passwordAccount(target.endpoint, 'target', caFile), exchange: null };
  const { auth, graph } = storedM365(stateDir, onThrottled);
  const account = await exchangeAccount(auth, graph, target.user, caFile ?? undefined);
  // From here on the mailbox goes by the sign-in's user name, whichever of its addresses was given.
  return { account, exchange: { auth, graph, user: account.endpoint.user } };
}

/** The message size limit: what the user said, else Exchange's default for Microsoft 365. */
export function effectiveMaxSize(given: number | null, exchange: boolean): number | null {
  if (!exchange) return given;
  if (given !== null && given > EXCHANGE.maxMessageSizeCeiling) {
    throw new CutoverError({ code: 'usage', message: `--max-message-size cannot exceed 150 MB (${EXCHANGE.maxMessageSizeCeiling} bytes) for Microsoft 365: Exchange refuses anything larger.`, retryable: false });
  }
  return given ?? EXCHANGE.defaultMaxMessageSize;
}
