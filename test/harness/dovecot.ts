import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a running test Dovecot can be reached; passed from the global setup to every test file. */
export interface DovecotInfo {
  dir: string;
  imapPort: number;
  imapsPort: number;
  caFile: string;
  passwdFile: string;
  homeRoot: string;
  uid: number;
  gid: number;
}

export interface RunningDovecot extends DovecotInfo {
  stop(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * Starts a private Dovecot: 127.0.0.1 only, free ports, its own self-signed CA, passwd-file users,
 * Maildir. Runs in the foreground (-F) as our child so it dies with the test run.
 */
export interface OAuthIntrospection {
  /** https://client:secret@host:port/path of the OpenID provider's introspection endpoint. */
  url: string;
  caFile: string;
}

/** Creates the test's folder with a throwaway CA and server certificate (for Dovecot and the OpenID provider). */
export function prepareTestDir(): { dir: string; caFile: string; certFile: string; keyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-dovecot-'));
  chmodSync(dir, 0o755);
  const caFile = makeCertificates(dir);
  return { dir, caFile, certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key') };
}

export async function startDovecot(prepared = prepareTestDir(), oauth?: OAuthIntrospection): Promise<RunningDovecot> {
  const { dir, caFile } = prepared;
  const [imapPort, imapsPort] = [await freePort(), await freePort()];
  const { uid, gid } = mailUser();
  const homeRoot = join(dir, 'home');
  mkdirSync(homeRoot);
  chownSync(homeRoot, uid, gid);
  const passwdFile = join(dir, 'passwd');
  writeUserPool({ passwdFile, homeRoot });
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(conf, config(dir, imapPort, imapsPort, passwdFile, oauth));
  if (oauth) {
    // Dovecot's oauth2 passdb validates XOAUTH2 bearer tokens by asking the provider (RFC 7662).
    writeFileSync(
      join(dir, 'oauth2.conf'),
      `introspection_mode = post\nintrospection_url = ${oauth.url}\nusername_attribute = sub\nactive_attribute = active\nactive_value = true\ntls_ca_cert_file = ${oauth.caFile}\nforce_introspection = yes\n`,
    );
  }
  const child = spawn('/usr/sbin/dovecot', ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitForPort(imapsPort, child, () => stderr);
  await waitForPort(imapPort, child, () => stderr);
  return {
    dir,
    imapPort,
    imapsPort,
    caFile,
    passwdFile,
    homeRoot,
    uid,
    gid,
    stop: () => stopChild(child, dir),
  };
}

export interface UserOptions {
  /** Hierarchy delimiter: '.' (Maildir++, the default) or '/' (LAYOUT=fs). */
  delimiter?: '.' | '/';
  /** The mailbox refuses messages over 20 kB (Dovecot quota plugin), to provoke a refusal. */
  small?: boolean;
  /** The mailbox refuses messages over 5 MB: a realistic limit that keeps ordinary large mail. */
  limit5mb?: boolean;
  /** A work-account-like name (userN@contoso.test) that signs in with XOAUTH2 tokens. */
  m365?: boolean;
  /** Like m365, but IMAP sign-in is refused, as when an admin disabled IMAP for the mailbox. */
  imapDisabled?: boolean;
}

type UserKind = 'dot' | 'slash' | 'small' | 'm365' | 'noimap' | 'limit5mb';
const POOL: Record<UserKind, number> = { dot: 400, slash: 40, small: 40, m365: 60, noimap: 10, limit5mb: 20 };

/**
 * Dovecot notices a changed passwd-file by its mtime (one-second resolution), so users added
 * while it runs may stay unknown for a second. All users are therefore written before it starts,
 * and each test claims fresh ones atomically (mkdir) so parallel test files never share a mailbox.
 */
function writeUserPool(info: { passwdFile: string; homeRoot: string }): void {
  const lines: string[] = [];
  for (const kind of Object.keys(POOL) as UserKind[]) {
    for (let i = 0; i < POOL[kind]; i++) {
      // Microsoft 365 stand-in users sign in with OAuth and look like work accounts.
      const name = userName(kind, i);
      const extra: string[] = [];
      if (kind === 'slash') extra.push('userdb_namespace/inbox/separator=/', 'userdb_mail=maildir:~/Maildir:LAYOUT=fs');
      if (kind === 'small') extra.push('userdb_quota_max_mail_size=20k');
      if (kind === 'limit5mb') extra.push('userdb_quota_max_mail_size=5M');
      lines.push(`${name}:{PLAIN}${TEST_PASSWORD}::::${join(info.homeRoot, name)}::${extra.join(' ')}`);
    }
  }
  writeFileSync(info.passwdFile, `${lines.join('\n')}\n`);
  writeFileSync(`${info.passwdFile}.denied`, `${Array.from({ length: POOL.noimap }, (_, i) => userName('noimap', i)).join('\n')}\n`);
}

function userName(kind: UserKind, i: number): string {
  if (kind === 'm365') return `user${i}@contoso.test`;
  if (kind === 'noimap') return `noimap${i}@contoso.test`;
  return `${kind}${i}`;
}

/** Claims an unused user with an empty mailbox. `_label` only documents the test's intent. */
export function addUser(info: DovecotInfo, _label: string, options: UserOptions = {}): string {
  const kind: UserKind = options.imapDisabled ? 'noimap' : options.m365 ? 'm365' : options.small ? 'small' : options.limit5mb ? 'limit5mb' : options.delimiter === '/' ? 'slash' : 'dot';
  const claims = join(info.dir, 'claims');
  mkdirSync(claims, { recursive: true });
  for (let i = 0; i < POOL[kind]; i++) {
    try {
      mkdirSync(join(claims, `${kind}${i}`));
      return userName(kind, i);
    } catch {
      // taken by another test
    }
  }
  throw new Error(`the test Dovecot has no unused ${kind} user left; raise POOL in test/harness/dovecot.ts`);
}

function config(dir: string, imapPort: number, imapsPort: number, passwdFile: string, oauth?: OAuthIntrospection): string {
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = cutover-test-${imapsPort}
listen = 127.0.0.1
protocols = imap
log_path = ${dir}/dovecot.log
ssl = yes
ssl_cert = <${dir}/server.pem
ssl_key = <${dir}/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login${oauth ? ' xoauth2 oauthbearer' : ''}
auth_failure_delay = 0
first_valid_uid = 1
mail_uid = dovecot
mail_gid = dovecot
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
mail_location = maildir:~/Maildir
mail_fsync = optimized
mail_plugins = $mail_plugins quota
mail_max_userip_connections = 100
imap_max_line_length = 2M
namespace inbox {
  inbox = yes
  separator = .
  mailbox "Sent Items" {
    special_use = \\Sent
  }
  mailbox "Deleted Items" {
    special_use = \\Trash
  }
  mailbox "Junk Email" {
    special_use = \\Junk
  }
  mailbox "Drafts" {
    special_use = \\Drafts
  }
  mailbox "Archive" {
    special_use = \\Archive
  }
}
plugin {
  quota = maildir:User quota
  quota_rule = *:storage=0
  quota_max_mail_size = 0
}
passdb {
  driver = passwd-file
  args = username_format=%u ${passwdFile}.denied
  deny = yes
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${passwdFile}
  mechanisms = plain login
}
${oauth ? `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${dir}/oauth2.conf
}` : ''}
userdb {
  driver = passwd-file
  args = username_format=%u ${passwdFile}
  default_fields = uid=dovecot gid=dovecot
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${imapsPort}
    ssl = yes
  }
  process_min_avail = 2
}
service anvil {
  chroot =
}
`;
}

/** A throwaway CA and a server certificate for localhost/127.0.0.1 signed by it. */
function makeCertificates(dir: string): string {
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Cutover Test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext']);
  return join(dir, 'ca.pem');
}

function mailUser(): { uid: number; gid: number } {
  const line = execFileSync('getent', ['passwd', 'dovecot'], { encoding: 'utf8' }).trim();
  const parts = line.split(':');
  return { uid: Number(parts[2]), gid: Number(parts[3]) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dovecot exited early (${child.exitCode}): ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = netConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dovecot did not listen on ${port}: ${stderr()}`);
}

async function stopChild(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
}
