import { request } from 'node:http';
import { join } from 'node:path';
import { FileSecretStore } from '../../src/main/engine/auth/secret-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dispatch } from '../../src/main/rpc/dispatch.js';
import { CutoverService } from '../../src/main/engine/service/cutover-service.js';
import { tempStateDir } from '../harness/accounts.js';
import { startWebHostProcess, type WebHostProcess } from '../harness/web-host-process.js';

let host: WebHostProcess;
beforeAll(async () => {
  host = await startWebHostProcess(['--state-dir', tempStateDir()]);
}, 60_000);
afterAll(async () => host.stop());

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${host.origin}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function rpc(url: string, headers: Record<string, string>, message: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify(message)));
    ws.on('message', (data) => {
      resolve(JSON.parse(String(data)));
      ws.close();
    });
  });
}

describe('the loopback web host', () => {
  it('prints its address, serves the app with the secret, and refuses requests without it or from another Origin', async () => {
    const token = new URL(host.url).searchParams.get('token')!;
    const ok = await get(`/?token=${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<div id="root">');
    expect((await get('/')).status).toBe(403);
    expect((await get('/main.js')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get(`/?token=${token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/main.js', { Cookie: `cutover_token=${token}` })).status).toBe(200);
    expect((await get('/', { Cookie: 'cutover_token=nope' })).body).not.toContain('root');
  });

  it('answers API calls over WebSocket only with the secret and its own Origin', async () => {
    const token = new URL(host.url).searchParams.get('token')!;
    const ws = `ws://127.0.0.1:${new URL(host.url).port}/rpc`;
    await expect(rpc(`${ws}?token=bad`, { Origin: host.origin }, { id: 1, method: 'appInfo', args: [] })).rejects.toThrow('HTTP 403');
    await expect(rpc(`${ws}?token=${token}`, { Origin: 'http://127.0.0.1:1' }, { id: 1, method: 'appInfo', args: [] })).rejects.toThrow('HTTP 403');
    expect(await rpc(`${ws}?token=${token}`, { Origin: host.origin }, { id: 7, method: 'appInfo', args: [] })).toEqual({ id: 7, result: { version: '0.1.0', host: 'web' } });
    const bad = (await rpc(`${ws}?token=${token}`, { Origin: host.origin }, { id: 8, method: 'testConnection', args: [{ host: 'x', port: 99999, user: 'u', tls: 'implicit', password: 'p' }, 'source'] })) as { error: { code: string; message: string } };
    expect(bad.error.code).toBe('usage');
    expect(bad.error.message).toMatch(/At 0\.port/);
  });

  it('exits cleanly on SIGTERM', async () => {
    const other = await startWebHostProcess(['--state-dir', tempStateDir()]);
    await other.stop();
    expect({ code: other.child.exitCode, signal: other.child.signalCode }).toEqual({ code: 0, signal: null });
  }, 60_000);
});

describe('the IPC boundary', () => {
  it('rejects unknown calls and malformed arguments before they reach the engine, naming the problem', async () => {
    const stateDir = tempStateDir();
    const service = new CutoverService({ stateDir, host: 'electron', secretStore: new FileSecretStore(join(stateDir, 'tokens.json')) });
    expect(await dispatch(service, 'deleteEverything', [])).toMatchObject({ ok: false, error: { code: 'usage', message: expect.stringMatching(/Unknown call/) } });
    expect(await dispatch(service, 'testConnection', 'not-an-array')).toMatchObject({ ok: false, error: { code: 'usage' } });
    const r = await dispatch(service, 'startSync', [{ host: 'h', port: 993, user: 'u', tls: 'implicit', password: '' }, { kind: 'imap' }, { exclude: [], rename: {} }]);
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringMatching(/At 0\.password: the password is empty/) } });
    expect(await dispatch(service, 'saveWizardState', [{ step: 'nowhere' }])).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect(await dispatch(service, 'appInfo', [])).toEqual({ ok: true, value: { version: '0.1.0', host: 'electron' } });
  });
});
