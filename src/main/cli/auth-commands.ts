import type { ApiEvent, M365Status } from '../../shared/app-api.js';
import type { CutoverService } from '../engine/service/cutover-service.js';
import type { LoginArgs } from './cli-args.js';
import type { CliIo } from './cli-io.js';

/**
 * `cutover login`: the browser flow prints the address (the service's openBrowser, see
 * cli-service.ts) and opens it; the device code flow prints what to open and the code.
 */
export async function login(args: LoginArgs, service: CutoverService, io: CliIo, signal: AbortSignal): Promise<number> {
  const off = service.onEvent((e: ApiEvent) => {
    if (e.type === 'm365-sign-in' && e.userCode !== null) io.stderr.write(`${e.message}\n`);
  });
  try {
    const status = await service.m365SignIn({ deviceCode: args.deviceCode, clientId: args.clientId, tenant: args.tenant }, { signal });
    io.stdout.write(args.json ? `${JSON.stringify(shown(status))}\n` : `Signed in to Microsoft 365 as ${status.username}.\n`);
    return 0;
  } finally {
    off();
  }
}

export async function whoami(service: CutoverService, json: boolean, io: CliIo): Promise<number> {
  const status = await service.m365Status();
  if (!status.signedIn) {
    io.stdout.write(json ? `${JSON.stringify({ signedIn: false })}\n` : 'Not signed in to Microsoft 365 (run "cutover login").\n');
    return 1;
  }
  io.stdout.write(json ? `${JSON.stringify(shown(status))}\n` : `Signed in to Microsoft 365 as ${status.username}${status.name ? ` (${status.name})` : ''}.\n`);
  return 0;
}

export async function logout(service: CutoverService, json: boolean, io: CliIo): Promise<number> {
  await service.m365SignOut();
  io.stdout.write(json ? `${JSON.stringify({ signedIn: false })}\n` : 'Signed out; the stored Microsoft 365 tokens are deleted.\n');
  return 0;
}

/** The documented JSON: {"signedIn":true,"username","name","tenantId"}. */
function shown(status: M365Status): Record<string, unknown> {
  return { signedIn: true, username: status.username, name: status.name, tenantId: status.tenantId ?? null };
}
