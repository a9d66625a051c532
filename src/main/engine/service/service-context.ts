import type { ApiEvent } from '../../../shared/app-api.js';
import type { EventLog } from '../log/event-log.js';
import type { ServiceOptions } from './service-options.js';

/** What the service's parts share: the host's options, the event log and the way out to every listener. */
export interface ServiceContext {
  options: ServiceOptions;
  log: EventLog;
  emit: (event: ApiEvent) => void;
}
