import type { ApiEvent } from '../../../shared/app-api.js';
import type { EventLog } from '../log/event-log.js';
import type { StateStore } from '../state/state-store.js';
import type { ServiceOptions } from './service-options.js';

/** What the service's parts share: the host's options, the event log and the way out to every listener. */
export interface ServiceContext {
  options: ServiceOptions;
  log: EventLog;
  emit: (event: ApiEvent) => void;
  /** How the last sign-in in this process was made: a later consent round is offered the same way. */
  signInWith: 'browser' | 'device-code';
  /** The process's one state database (opened on first use). */
  state: () => StateStore;
}
