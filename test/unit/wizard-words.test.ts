import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { GRAPH_SCOPES, IMAP_SCOPE } from '../../src/main/engine/auth/m365-settings.js';
import { runPreflight } from '../../src/main/engine/preflight/run-preflight.js';
import { decodeBridgeError, encodeBridgeError } from '../../src/shared/bridge-error.js';
import type { PreflightReport } from '../../src/shared/preflight-types.js';
import { ADMIN_GRAPH_PERMISSIONS, ADMIN_IMAP_PERMISSION, adminConsentLink, adminMessage } from '../../src/renderer/words/admin-message.js';
import { FINDING_WORDS, wordsForFinding } from '../../src/renderer/words/findings.js';
import { account } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { REPO_ROOT } from '../harness/run-cli.js';

const empty: PreflightReport = { findings: [], source: null, target: null, maxMessageSize: null };

describe('the app’s words for the check', () => {
  it('has words for every finding the engine’s check can produce', () => {
    const source = readFileSync(join(REPO_ROOT, 'src/main/engine/preflight/run-preflight.ts'), 'utf8');
    const ids = new Set([...source.matchAll(/\bid: '([a-z-]+)'/g), ...source.matchAll(/blocking\('([a-z-]+)'/g)].map((m) => m[1]!));
    expect(ids.size).toBeGreaterThan(5);
    for (const id of ids) expect(Object.keys(FINDING_WORDS), `no words for the finding "${id}"`).toContain(id);
  });

  it('words a failed check from its code and offers the admin the exact command', () => {
    const w = wordsForFinding({ id: 'target-imap', level: 'blocking', code: 'imap-disabled', message: 'engine text' }, { ...empty, target: { user: 'anna@contoso.com', folders: 0, messages: null } }, 'm365');
    expect(w.title).toMatch(/IMAP\) is switched off/);
    expect(w.adminCommand).toBe('Set-CASMailbox -Identity anna@contoso.com -ImapEnabled $true');
  });
});

describe('the message for the Microsoft 365 admin', () => {
  it('asks for exactly the permissions the sign-in requests, with the redirect URI and the consent link for the tenant', () => {
    expect(ADMIN_GRAPH_PERMISSIONS.filter((p) => p !== 'offline_access').sort()).toEqual([...GRAPH_SCOPES].sort());
    expect(ADMIN_IMAP_PERMISSION).toBe(IMAP_SCOPE);
    const text = adminMessage({ address: 'anna@contoso.com', tenant: 'contoso.com' });
    for (const p of [...GRAPH_SCOPES, 'offline_access', 'IMAP.AccessAsUser.All', 'http://localhost', 'Set-CASMailbox -Identity anna@contoso.com']) expect(text).toContain(p);
    const link = new URL(adminConsentLink('contoso.com', '11111111-2222-3333-4444-555555555555'));
    expect(link.pathname).toBe('/contoso.com/v2.0/adminconsent');
    expect(link.searchParams.get('client_id')).toBe('11111111-2222-3333-4444-555555555555');
    expect(link.searchParams.get('redirect_uri')).toBe('http://localhost');
    expect(link.searchParams.get('scope')?.split(' ')).toContain(IMAP_SCOPE);
  });
});

describe('errors through Electron’s contextBridge', () => {
  it('keep their code and facts inside the message, and anything else is not mistaken for one', () => {
    const data = { code: 'auth-failed' as const, message: 'refused', retryable: false, detail: 'NO [AUTHENTICATIONFAILED]' };
    expect(decodeBridgeError(`Error invoking remote method: Error: ${encodeBridgeError(data)}`)).toEqual(data);
    expect(decodeBridgeError('cutover-error:{"code":"not-a-code","message":"x","retryable":false}')).toBeNull();
    expect(decodeBridgeError('cutover-error:{broken')).toBeNull();
    expect(decodeBridgeError('plain failure')).toBeNull();
  });
});

describe('the check with the same mailbox on both sides', () => {
  it('is blocking, also when the host is written differently', async () => {
    const dovecot = inject('dovecot');
    const user = addUser(dovecot, 'same');
    const source = account(dovecot, user);
    const target = { ...account(dovecot, user), endpoint: { ...source.endpoint, host: 'LOCALHOST', user: user.toUpperCase() } };
    const report = await runPreflight({ source, target, maxMessageSize: null });
    expect(report.findings.find((f) => f.id === 'same-mailbox')?.level).toBe('blocking');
    const other = await runPreflight({ source, target: account(dovecot, addUser(dovecot, 'other')), maxMessageSize: null });
    expect(other.findings.map((f) => f.id)).not.toContain('same-mailbox');
  }, 60_000);
});
