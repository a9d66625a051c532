import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../src/main/engine/auth/secret-store.js';
import { CutoverService } from '../../src/main/engine/service/cutover-service.js';
import { dispatch } from '../../src/main/rpc/dispatch.js';
import { FILE_LIMITS } from '../../src/shared/chosen-files.js';
import { tempStateDir } from '../harness/accounts.js';
import { freePort } from '../harness/dovecot.js';
import { hostileServer } from '../harness/hostile-servers.js';
import { RawSocket } from '../harness/raw-socket.js';
import { TcpProxy } from '../harness/tcp-proxy.js';
import { startWebHostProcess, webHostRefusal, type WebHostProcess } from '../harness/web-host-process.js';

let host: WebHostProcess;
beforeAll(async () => {
  host = await startWebHostProcess(['--state-dir', tempStateDir()]);
}, 60_000);
afterAll(async () => host.stop());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with full control over Host, Origin and the body (no browser rules). */
function http(path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer; address?: string; port?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: options.address ?? '127.0.0.1', port: options.port ?? host.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const rpcUrl = (token = host.token, port = host.port): string => `ws://127.0.0.1:${port}/rpc?token=${token}`;

describe('the loopback web host', () => {
  it('serves the app only with its secret, carries the secret in the page’s own URLs and never in a cookie', async () => {
    const page = await http(`/?token=${host.token}`, { headers: { Host: `127.0.0.1:${host.port}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.body).toContain(`src="./main.js?token=${host.token}"`);
    expect(page.body).toContain(`href="./styles.css?token=${host.token}"`);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect((await http(`/main.js?token=${host.token}`)).status).toBe(200);
    expect((await http('/main.js')).status).toBe(403);
    expect((await http('/main.js', { headers: { Cookie: `cutover_token=${host.token}` } })).status).toBe(403);
    expect((await http('/?token=wrong')).status).toBe(403);
    expect((await http(`/?token=${host.token}`, { headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    // DNS rebinding: a foreign name that resolves to 127.0.0.1 is refused by its Host header.
    expect((await http(`/?token=${host.token}`, { headers: { Host: `evil.example:${host.port}` } })).status).toBe(403);
    expect((await http(`/../../../etc/passwd?token=${host.token}`)).status).not.toBe(200);
  });

  it('answers a visit without the secret with a page that says how to open the app', async () => {
    for (const path of ['/', '/?token=from-an-earlier-launch']) {
      const visit = await http(path);
      expect(visit.status).toBe(403);
      expect(visit.headers['content-type']).toMatch(/text\/html/);
      expect(visit.body).toMatch(/ends with <code>\?token=<\/code>/);
      expect(visit.body).not.toMatch(/Loading|<script/);
    }
  });

  it('accepts its own address as 127.0.0.1, localhost and [::1] on its own port, and nothing else', async () => {
    for (const origin of [`http://127.0.0.1:${host.port}`, `http://localhost:${host.port}`, `http://[::1]:${host.port}`]) {
      const socket = await RawSocket.open(rpcUrl(), { Origin: origin, Host: new URL(origin).host });
      expect(await socket.ask(JSON.stringify({ id: 1, method: 'appInfo', args: [] }))).toEqual({ id: 1, result: { version: '0.1.0', host: 'web' } });
      socket.ws.close();
    }
    for (const origin of [`http://127.0.0.1:${host.port + 1}`, 'http://localhost', `https://127.0.0.1:${host.port}`, 'null']) {
      await expect(RawSocket.open(rpcUrl(), { Origin: origin }), origin).rejects.toThrow('HTTP 403');
    }
    await expect(RawSocket.open(rpcUrl('bad'), { Origin: host.origin })).rejects.toThrow('HTTP 403');
    await expect(RawSocket.open(`ws://127.0.0.1:${host.port}/rpc`, { Origin: host.origin })).rejects.toThrow('HTTP 403');
    // The [::1] listener itself, where this machine has IPv6 loopback.
    const v6 = await http(`/?token=${host.token}`, { address: '::1', headers: { Host: `[::1]:${host.port}` } }).catch(() => null);
    if (v6) expect(v6.status).toBe(200);
  });

  it('answers every malformed, hostile or oversized frame with an error and keeps serving', async () => {
    const socket = await RawSocket.open(rpcUrl(), { Origin: host.origin });
    const hostile: [string | Buffer, RegExp, boolean?][] = [
      ['null', /not an API call/],
      ['42', /not an API call/],
      ['"appInfo"', /not an API call/],
      ['[]', /not an API call/],
      ['{}', /not an API call/],
      ['{"id":3}', /not an API call/],
      ['{"id":4,"method":"appInfo","args":"nope"}', /not an API call/],
      ['{"id":5,"method":{"toString":1},"args":[]}', /not an API call/],
      ['{"id":6,"method":"constructor","args":[]}', /Unknown call "constructor"/],
      ['{"id":7,"method":"__proto__","args":[]}', /Unknown call/],
      ['{"id":8,"method":"testConnection","args":[null,null]}', /Invalid arguments for testConnection/],
      ['{not json', /not JSON/],
      [Buffer.from('{"id":9,"method":"appInfo","args":[]}'), /Binary messages/, true],
      [JSON.stringify({ id: 10, method: 'saveWizardState', args: ['x'.repeat(2 * 1024 * 1024)] }), /at most 1048576 are accepted/],
    ];
    for (const [frame, expected, binary] of hostile) {
      const answer = await socket.ask(frame, binary);
      expect(answer.error?.message, String(frame).slice(0, 60)).toMatch(expected);
      expect(answer.error?.code).toMatch(/usage/);
    }
    // A call with a usable id gets its own id back, so the page can settle exactly that call, even
    // from a frame refused for its size, its type or its syntax (the id is read from its start).
    expect((await socket.ask('{"id":4,"method":"appInfo","args":"nope"}')).id).toBe(4);
    expect((await socket.ask(JSON.stringify({ id: 13, method: 'saveWizardState', args: ['x'.repeat(2 * 1024 * 1024)] }))).id).toBe(13);
    expect((await socket.ask(Buffer.from('{"id":14,"method":"appInfo","args":[]}'), true)).id).toBe(14);
    expect((await socket.ask('{"id":15,"method":"appInfo","args":[}')).id).toBe(15);
    expect((await socket.ask('{"id":"page-16","method":"appInfo","args":[}')).id).toBe('page-16');
    expect((await socket.ask('{not json')).id).toBeNull();
    expect(await socket.ask(JSON.stringify({ id: 11, method: 'appInfo', args: [] }))).toEqual({ id: 11, result: { version: '0.1.0', host: 'web' } });

    // A frame too big to buffer closes that socket (1009), a text frame that is not UTF-8 too
    // (1007, as RFC 6455 requires); only that socket, never the host.
    const huge = await RawSocket.open(rpcUrl(), { Origin: host.origin });
    huge.ws.send(Buffer.alloc(16 * 1024 * 1024, 0x20));
    expect(await huge.closed).toBe(1009);
    const notText = await RawSocket.open(rpcUrl(), { Origin: host.origin });
    notText.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await notText.closed).toBe(1007);
    expect(await socket.ask(JSON.stringify({ id: 12, method: 'appInfo', args: [] }))).toEqual({ id: 12, result: { version: '0.1.0', host: 'web' } });
    socket.ws.close();
    expect(host.child.exitCode).toBeNull();
    expect(host.stderr()).not.toMatch(/Unhandled|TypeError/);
  }, 60_000);

  it('refuses calls beyond 32 running at once from one page instead of queueing them without bound', async () => {
    // A server that accepts and never says a word keeps each testConnection running.
    const silent = await hostileServer(() => undefined);
    const socket = await RawSocket.open(rpcUrl(), { Origin: host.origin });
    try {
      const account = { host: '127.0.0.1', port: silent.port, user: 'u', tls: 'none', password: 'p' };
      for (let id = 1; id <= 33; id++) socket.ws.send(JSON.stringify({ id, method: 'testConnection', args: [account, 'source'] }));
      expect(await socket.next()).toEqual({ id: 33, error: { code: 'usage', message: 'More than 32 calls are already running.', retryable: false } });
    } finally {
      socket.ws.close();
      await silent.stop();
    }
  });

  it('takes chosen files only as a size-limited upload with the secret, and the engine reads them by reference', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:one@test\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240105T100000Z\r\nDTEND:20240105T110000Z\r\nSUMMARY:Planning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const body = Buffer.from(ics);
    const post = (query: string, headers: Record<string, string>, data?: Buffer) => http(`/upload?${query}`, { method: 'POST', headers: { Origin: host.origin, ...headers }, ...(data ? { body: data } : {}) });
    const withToken = { 'X-Cutover-Token': host.token };

    expect((await post('purpose=calendar&name=a.ics', { 'Content-Length': String(body.length) }, body)).status).toBe(403);
    expect((await post('purpose=calendar&name=a.ics', { ...withToken, Origin: 'http://evil.example', 'Content-Length': String(body.length) }, body)).status).toBe(403);
    expect((await post('purpose=nothing&name=a.ics', { ...withToken, 'Content-Length': String(body.length) }, body)).status).toBe(400);
    const chunked = await post('purpose=calendar&name=a.ics', { ...withToken, 'Transfer-Encoding': 'chunked' }, body);
    expect(chunked.status).toBe(411);
    // Refused from its announced size alone, before a byte of it is read.
    const tooBig = await post('purpose=calendar&name=big.ics', { ...withToken, 'Content-Length': String(FILE_LIMITS.maxFileBytes + 1) });
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body).error).toMatchObject({ code: 'file-too-large', message: expect.stringMatching(/"big\.ics" is 50 MB; a file may be at most 50 MB/) });

    const stored = await post(`purpose=calendar&name=${encodeURIComponent('Büro Kalender.ics')}`, { ...withToken, 'Content-Length': String(body.length) }, body);
    expect(stored.status).toBe(200);
    const file = JSON.parse(stored.body).file as { ref: string; name: string; size: number };
    expect(file).toMatchObject({ name: 'Büro Kalender.ics', size: body.length });

    const socket = await RawSocket.open(rpcUrl(), { Origin: host.origin });
    const preview = await socket.ask(JSON.stringify({ id: 1, method: 'previewPim', args: ['calendar', { kind: 'files', files: [{ ref: file.ref, name: file.name }] }, 'Europe/Berlin'] }));
    expect(preview.result).toMatchObject({ items: 1, skipped: [] });
    const unknown = await socket.ask(JSON.stringify({ id: 2, method: 'previewPim', args: ['calendar', { kind: 'files', files: [{ ref: 'A'.repeat(24), name: 'gone.ics' }] }, null] }));
    expect(unknown.error).toMatchObject({ code: 'file-unavailable', message: expect.stringMatching(/"gone\.ics" is no longer available/) });
    // A file uploaded for the calendar is not read as contacts.
    const crossed = await socket.ask(JSON.stringify({ id: 4, method: 'previewPim', args: ['contacts', { kind: 'files', files: [{ ref: file.ref, name: file.name }] }, null] }));
    expect(crossed.error).toMatchObject({ code: 'file-unavailable', message: expect.stringMatching(/"Büro Kalender\.ics" is no longer available \(no file chosen for contacts/) });
    // The page can never name a path, only a ref the host made.
    const path = await socket.ask(JSON.stringify({ id: 3, method: 'previewPim', args: ['calendar', { kind: 'files', files: [{ ref: '/etc/passwd', name: 'x' }] }, null] }));
    expect(path.error).toMatchObject({ code: 'usage', message: expect.stringMatching(/not a file reference/) });
    socket.ws.close();
  });

  it('works through an SSH-style tunnel on another local port when started with --public-origin', async () => {
    const tunnelPort = await freePort();
    const tunnelled = await startWebHostProcess(['--state-dir', tempStateDir(), '--public-origin', `http://localhost:${tunnelPort}`]);
    const tunnel = await TcpProxy.start(tunnelled.port, tunnelPort);
    try {
      await expect.poll(() => tunnelled.stdout()).toContain(`Through the tunnel: http://localhost:${tunnelPort}/?token=${tunnelled.token}`);
      const page = await http(`/?token=${tunnelled.token}`, { port: tunnelPort, headers: { Host: `localhost:${tunnelPort}` } });
      expect(page.status).toBe(200);
      const socket = await RawSocket.open(`ws://127.0.0.1:${tunnelPort}/rpc?token=${tunnelled.token}`, { Origin: `http://localhost:${tunnelPort}`, Host: `localhost:${tunnelPort}` });
      expect(await socket.ask(JSON.stringify({ id: 1, method: 'appInfo', args: [] }))).toMatchObject({ id: 1, result: { host: 'web' } });
      socket.ws.close();
      // Without the option, a tunnel with another local port is refused: its Origin is not the host's own.
      const plain = await TcpProxy.start(host.port);
      try {
        const origin = `http://localhost:${plain.port}`;
        await expect(RawSocket.open(`ws://127.0.0.1:${plain.port}/rpc?token=${host.token}`, { Origin: origin, Host: `localhost:${plain.port}` })).rejects.toThrow('HTTP 403');
        const refused = await http(`/?token=${host.token}`, { port: plain.port, headers: { Host: `localhost:${plain.port}` } });
        expect(refused.status).toBe(403);
        expect(refused.body).toContain('start Cutover with <code>--public-origin http://localhost:LOCAL-PORT</code>');
      } finally {
        await plain.stop();
      }
    } finally {
      await tunnel.stop();
      await tunnelled.stop();
    }
  }, 60_000);

  it('removes its temporary folder on SIGTERM and SIGINT, and a killed launch’s folder at the next start', async () => {
    const folderOf = (pid: number | undefined): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith(`cutover-web-${pid}-`));
    const killed = await startWebHostProcess(['--state-dir', tempStateDir()]);
    const left = folderOf(killed.child.pid);
    expect(left).toHaveLength(1);
    await killed.stop('SIGKILL');
    expect(existsSync(join(tmpdir(), left[0]!))).toBe(true);
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const next = await startWebHostProcess(['--state-dir', tempStateDir()]);
      expect(existsSync(join(tmpdir(), left[0]!)), 'the killed launch’s folder').toBe(false);
      expect(folderOf(next.child.pid)).toHaveLength(1);
      await next.stop(signal);
      expect({ code: next.child.exitCode, signal: next.child.signalCode }).toEqual({ code: 0, signal: null });
      expect(folderOf(next.child.pid)).toEqual([]);
    }
  }, 120_000);

  it('refuses a CA file without a certificate and a malformed --public-origin', async () => {
    const notCa = join(tempStateDir(), 'ca.pem');
    writeFileSync(notCa, 'this is not a certificate\n');
    const ca = await webHostRefusal(['--ca', notCa]);
    expect(ca.code).toBe(2);
    expect(ca.stderr).toMatch(/certificate authority file ".*ca\.pem" holds no certificate/);
    const origin = await webHostRefusal(['--public-origin', 'localhost:8080/path']);
    expect(origin.code).toBe(2);
    expect(origin.stderr).toMatch(/--public-origin must be an address like http:\/\/localhost:8080/);
  }, 60_000);
});

describe('the IPC boundary', () => {
  it('rejects unknown calls and malformed arguments before they reach the engine, naming the problem', async () => {
    const stateDir = tempStateDir();
    const service = new CutoverService({ stateDir, host: 'electron', secretStore: new FileSecretStore(join(stateDir, 'tokens.json')) });
    expect(await dispatch(service, 'deleteEverything', [])).toMatchObject({ ok: false, error: { code: 'usage', message: expect.stringMatching(/Unknown call/) } });
    expect(await dispatch(service, { toString: 1 }, [])).toMatchObject({ ok: false, error: { code: 'usage', message: 'Unknown call of type object.' } });
    expect(await dispatch(service, 'testConnection', 'not-an-array')).toMatchObject({ ok: false, error: { code: 'usage' } });
    const r = await dispatch(service, 'startSync', [{ host: 'h', port: 993, user: 'u', tls: 'implicit', password: '' }, { kind: 'imap' }, { exclude: [], rename: {} }]);
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringMatching(/At 0\.password: the password is empty/) } });
    expect(await dispatch(service, 'saveWizardState', [{ step: 'nowhere' }])).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect(await dispatch(service, 'appInfo', [])).toEqual({ ok: true, value: { version: '0.1.0', host: 'electron' } });
    // Files by reference only: the old JSON-content shape is refused, and without a resolver no ref is known.
    expect(await dispatch(service, 'previewPim', ['contacts', { kind: 'files', files: [{ name: 'a.vcf', content: 'BEGIN:VCARD' }] }, null])).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect(await dispatch(service, 'previewPim', ['contacts', { kind: 'files', files: [{ ref: 'B'.repeat(24), name: 'a.vcf' }] }, null])).toMatchObject({ ok: false, error: { code: 'file-unavailable' } });
  });
});
