import { CutoverError } from '../../shared/errors.js';
import { describeEndpoint } from '../../shared/imap-endpoint.js';
import type { M365Auth } from '../engine/auth/m365-auth.js';
import type { GraphClient } from '../engine/graph/graph-client.js';
import type { ImapAccount } from '../engine/imap/imap-account.js';
import { EXCHANGE, exchangeAccount } from '../engine/m365/exchange-target.js';
import type { TargetArg } from './cli-args.js';
import { graphFor, storedAuth } from './m365-session.js';
import { passwordFor } from './password-prompt.js';

export interface ResolvedTarget {
  account: ImapAccount;
  exchange: { auth: M365Auth; graph: GraphClient; user: string } | null;
}

export async function resolveTarget(target: TargetArg, stateDir: string, caFile: string | null, onThrottled?: (s: number) => void): Promise<ResolvedTarget> {
  if (target.kind === 'imap') {
    const password = await passwordFor('target', describeEndpoint(target.endpoint));
    return { account: { endpoint: target.endpoint, credentials: async () => ({ password }), ...(caFile ? { caFile } : {}) }, exchange: null };
  }
  const auth = storedAuth(stateDir);
  const account = await exchangeAccount(auth, target.user, caFile ?? undefined);
  return { account, exchange: { auth, graph: graphFor(auth, onThrottled), user: target.user } };
}

/** The message size limit: what the user said, else Exchange's default for Microsoft 365. */
export function effectiveMaxSize(given: number | null, exchange: boolean): number | null {
  if (!exchange) return given;
  if (given !== null && given > EXCHANGE.maxMessageSizeCeiling) {
    throw new CutoverError({ code: 'usage', message: `--max-message-size cannot exceed 150 MB (${EXCHANGE.maxMessageSizeCeiling} bytes) for Microsoft 365: Exchange refuses anything larger.`, retryable: false });
  }
  return given ?? EXCHANGE.defaultMaxMessageSize;
}
