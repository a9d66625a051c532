import { CutoverService } from '../engine/service/cutover-service.js';
import { useNativeBinding, type FileRefs, type RegisteredFile, type SecretStore } from '../engine/service/for-hosts.js';
import { dnsFromEnvironment, m365FromEnvironment } from '../host-environment.js';
import { dispatch } from '../rpc/dispatch.js';
import type { MainToWorker, WorkerToMain } from './worker-protocol.js';

/**
 * The engine in Electron's utility process: long work (sync, compare, copies) never runs on the
 * main process that drives the window. Only main may use safeStorage and the shell, so those are
 * asked of it through messages.
 */
const port = process.parentPort;
const stateDir = process.argv[2] ?? '';
// Order matters: the Electron build of better-sqlite3 must be chosen before the first database opens.
useNativeBinding(process.argv[3] || null);
let nextRequest = 1;
const waiting = new Map<number, { resolve: (v: string | null) => void; reject: (e: Error) => void }>();

function send(message: WorkerToMain): void {
  port.postMessage(message);
}

function ask(what: Extract<WorkerToMain, { kind: 'request' }>['what'], value: string | null): Promise<string | null> {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    send({ kind: 'request', id, what, value });
  });
}

const secretStore: SecretStore = {
  read: () => ask('secret-read', null),
  write: async (value) => void (await ask('secret-write', value)),
  remove: async () => void (await ask('secret-remove', null)),
};

/** Chosen files are registered in main (its dialog); the engine asks main for the path of a ref chosen for a purpose. */
const fileRefs: FileRefs = {
  resolve: async (ref, purpose) => {
    const answer = await ask('resolve-file', JSON.stringify({ ref, purpose }));
    return answer === null ? null : (JSON.parse(answer) as RegisteredFile);
  },
};

/** A malformed CUTOVER_DNS_* is ignored here (the app has no command line to tell); the DNS check then uses the system's. */
function dnsOverrides() {
  try {
    return dnsFromEnvironment();
  } catch {
    return {};
  }
}

const service = new CutoverService({
  fileRefs,
  stateDir,
  host: 'electron',
  secretStore,
  // Electron hands the app's environment to its utility process: the same replacements as the CLI's.
  m365: m365FromEnvironment(),
  dns: dnsOverrides(),
  openBrowser: async (url) => void (await ask('open-browser', url)),
  openPath: (path) => ask('open-path', path),
});
service.onEvent((event) => send({ kind: 'event', event }));
// The state database is closed by its one owner when the utility process ends (every write is committed already).
process.on('exit', () => service.close());

port.on('message', (e: Electron.MessageEvent) => {
  const message = e.data as MainToWorker;
  if (message.kind === 'reply') {
    const w = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== null) w?.reject(new Error(message.error));
    else w?.resolve(message.value);
    return;
  }
  void dispatch(service, message.method, message.args).then((result) => send({ kind: 'result', id: message.id, result }));
});
