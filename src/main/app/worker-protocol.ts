import type { ApiEvent } from '../../shared/app-api.js';
import type { RpcResult } from '../rpc/dispatch.js';

/** Messages between the Electron main process and the engine's utility process. */
export type MainToWorker =
  | { kind: 'call'; id: number; method: unknown; args: unknown }
  | { kind: 'reply'; id: number; value: string | null; error: string | null };

export type WorkerToMain =
  | { kind: 'result'; id: number; result: RpcResult }
  | { kind: 'event'; event: ApiEvent }
  /**
   * The engine asks main for what only main may do: safeStorage, opening a browser or a folder,
   * and finding a chosen file by its ref (`resolve-file` asks with `{ ref, purpose }` as JSON and
   * answers `{ path, name }` as JSON, or null when no file was chosen under that ref for that purpose).
   */
  | { kind: 'request'; id: number; what: 'secret-read' | 'secret-write' | 'secret-remove' | 'open-browser' | 'open-path' | 'resolve-file'; value: string | null };
