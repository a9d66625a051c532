import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wizardStateSchema, type ApiEvent, type ConfirmedRemoval, type EngineApi, type M365Status, type MailAccountInput, type MailAccountRef, type PimSource, type SyncChoices, type TargetInput, type TargetRef, type WizardState } from '../../../shared/app-api.js';
import type { CompareReport } from '../../../shared/compare-types.js';
import type { DnsCheckOptions, SmtpCheckOptions } from '../../../shared/cutover-day-types.js';
import { compareCsv, compareHtml } from '../../../shared/compare-export.js';
import { CutoverError, isCutoverError } from '../../../shared/errors.js';
import type { MappingRules } from '../../../shared/folder-mapping.js';
import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import type { WatchRequest, WatchStarted, WatchStatus } from '../../../shared/watch-types.js';
import { isLoopbackHost } from '../../../shared/imap-endpoint.js';
import { DEFAULT_COPY_CONNECTIONS } from '../../../shared/sync-types.js';
import { compareMailboxes } from '../compare/compare-mailboxes.js';
import { suggestServers } from '../discovery/suggest-servers.js';
import type { GraphClient } from '../graph/graph-client.js';
import { connectReader, connectReaders, type ImapAccount } from '../imap/imap-account.js';
import { EventLog } from '../log/event-log.js';
import { EXCHANGE, exchangeAccount, exchangeAppendFlags, exchangeImapEndpoint, exchangeSpecialFolderNames, mdnSentFlag } from '../m365/exchange-target.js';
import { planExtraCopies, removeExtraCopies } from '../sync/extra-copies.js';
import { planFolders } from '../mail/folder-plan.js';
import { layoutOf, type TargetSpecialNames } from '../mail/mailbox-layout.js';
import { StateStore } from '../state/state-store.js';
import type { SyncRequest } from '../sync/run-sync.js';
import type { ServiceContext } from './service-context.js';
import type { CallOptions, ServiceOptions } from './service-options.js';
import { SyncJobs } from './sync-jobs.js';
import { WatchJobs } from './watch-jobs.js';

export type { CallOptions, ServiceOptions } from './service-options.js';

/** A target as the calls need it: the IMAP account, and for Microsoft 365 its Graph client and names. */
interface ResolvedTarget {
  account: ImapAccount;
  exchange: { graph: GraphClient; user: string; specialNames: TargetSpecialNames } | null;
}

/**
 * The engine behind every host: implements the shared API once; the Electron worker and the
 * loopback web host carry its calls and events, the CLI calls it in its own process. Passwords live
 * only in the arguments of the call that needs them; the wizard state that is saved never contains
 * one. Microsoft 365, contacts and calendars and the cutover-day checks are loaded when first used
 * (`*-calls.ts`), so a copy between two IMAP servers never loads MSAL, the Graph SDK or the readers.
 * A trailing `CallOptions` (a signal) is for in-process hosts only; it never crosses IPC.
 */
export class CutoverService implements EngineApi {
  private readonly events = new EventEmitter();
  private readonly log: EventLog;
  private readonly syncJobs: SyncJobs;
  private readonly watchJobs: WatchJobs;
  private readonly ctx: ServiceContext;
  private store: StateStore | null = null;

  constructor(private readonly options: ServiceOptions) {
    this.events.setMaxListeners(50);
    this.log = new EventLog(options.stateDir);
    const emit = (event: ApiEvent): void => void this.events.emit('event', event);
    this.ctx = { options, log: this.log, emit, signInWith: options.consentWith ?? 'browser', state: () => this.state() };
    this.syncJobs = new SyncJobs(() => this.state(), emit, this.log);
    this.watchJobs = new WatchJobs(() => this.state(), emit, this.log);
  }

  /** Closes the state database (a host calls this when it shuts down). */
  close(): void {
    this.store?.close();
    this.store = null;
  }

  /** Where the log is, and whether the host could open it (the app opens the folder; a browser cannot). */
  async openLogFolder(): Promise<{ path: string; opened: boolean }> {
    if (!this.options.openPath) return { path: this.log.dir, opened: false };
    await this.options.openPath(this.log.dir);
    return { path: this.log.dir, opened: true };
  }

  async appInfo(): Promise<{ version: string; host: 'electron' | 'web' | 'cli' }> {
    return { version: '0.1.0', host: this.options.host };
  }

  async getWizardState(): Promise<WizardState> {
    try {
      return wizardStateSchema.parse(JSON.parse(readFileSync(this.wizardFile(), 'utf8')));
    } catch {
      return wizardStateSchema.parse({ step: 'old-mailbox' });
    }
  }

  async saveWizardState(state: WizardState): Promise<void> {
    mkdirSync(this.options.stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(this.wizardFile(), JSON.stringify(wizardStateSchema.parse(state)), { mode: 0o600 });
  }

  suggestServers(email: string) {
    return suggestServers(email);
  }

  async testConnection(account: MailAccountInput, role: 'source' | 'target') {
    this.log.secret(account.password);
    try {
      const session = await connectReader(this.imapAccount(account), role);
      try {
        return { ok: true, folders: (await session.listFolders(false)).length, error: null };
      } finally {
        await session.logout();
      }
    } catch (err) {
      const error = dataOf(err);
      this.log.write('connection-test-failed', { role, account: `${account.user}@${account.host}:${account.port}`, code: error.code });
      return { ok: false, folders: 0, error };
    }
  }

  async planFolders(source: MailAccountInput, target: TargetInput) {
    const t = await this.target(target);
    const { source: s, target: d } = await connectReaders(this.imapAccount(source), t.account);
    try {
      const [sf, tf] = await Promise.all([s.listFolders(false), d.listFolders(false)]);
      const extras = t.exchange ? { reservedNames: [...EXCHANGE.reservedFolderNames], specialNames: t.exchange.specialNames } : {};
      return planFolders(layoutOf(sf, s.personalNamespace), { ...layoutOf(tf, d.personalNamespace), ...extras }, { exclude: [], rename: {} });
    } finally {
      await Promise.all([s.logout(), d.logout()]);
    }
  }

  async preflight(source: MailAccountInput, target: TargetInput, options?: { maxMessageSize: number | null } | null) {
    const maxMessageSize = messageSizeLimit(options?.maxMessageSize, target.kind === 'm365');
    const t = await this.target(target);
    // Loaded here: the Microsoft 365 checks bring the Graph SDK.
    const { runPreflight } = await import('../preflight/run-preflight.js');
    return runPreflight({ source: this.imapAccount(source), target: t.account, maxMessageSize, ...(t.exchange ? { graph: t.exchange.graph, m365User: t.exchange.user } : {}) });
  }

  async startSync(source: MailAccountInput, target: TargetInput, choices: SyncChoices = {}) {
    // Checked before anything connects: a limit Exchange can never take is the person's to change.
    const maxMessageSize = messageSizeLimit(choices.maxMessageSize, target.kind === 'm365');
    const t = await this.target(target);
    this.log.secret(source.password);
    if (target.kind === 'imap') this.log.secret(target.account.password);
    const rules = choices.exclude && choices.rename ? { exclude: choices.exclude, rename: choices.rename } : undefined;
    return this.syncJobs.start({
      source: this.imapAccount(source),
      target: t.account,
      ...(rules ? { rules } : {}),
      repair: choices.repair ?? false,
      extras: { maxMessageSize, ...copySettings(t, choices), ...(this.options.crash ? { crash: this.options.crash } : {}) },
      label: { source: `${source.user}@${source.host}:${source.port}`, target: target.kind === 'imap' ? `${target.account.user}@${target.account.host}` : `m365:${target.user}` },
    });
  }

  async cancelJob(jobId: string): Promise<void> {
    this.syncJobs.cancel(jobId);
  }

  async syncStatus(source: MailAccountRef, target: TargetRef) {
    return this.syncJobs.status(source, target.kind === 'imap' ? target.account : exchangeImapEndpoint(target.user, this.options.m365?.imap));
  }

  async previewExtraCopies(source: MailAccountInput, target: TargetInput) {
    return planExtraCopies(await this.extraCopiesRequest(source, target));
  }

  async removeExtraCopies(source: MailAccountInput, target: TargetInput, confirmed: ConfirmedRemoval) {
    const result = await removeExtraCopies(await this.extraCopiesRequest(source, target), confirmed);
    this.log.write('extra-copies-removed', { removed: result.removed, folders: result.folders.map((f) => ({ folder: f.source, removed: f.removed })) });
    return result;
  }

  async compare(source: MailAccountInput, target: TargetInput, rules?: MappingRules | null, call: CallOptions = {}): Promise<CompareReport> {
    const t = await this.target(target);
    const report = await compareMailboxes({
      source: this.imapAccount(source),
      target: t.account,
      state: this.state(),
      ...(rules ? { rules } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
      ...exchangeNames(t),
    });
    // Every comparison is kept as a printable page and a CSV, so the proof outlives the session.
    const dir = join(this.options.stateDir, 'reports');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const html = join(dir, `comparison-${stamp}.html`);
    const csv = join(dir, `comparison-${stamp}.csv`);
    writeFileSync(html, compareHtml(report, new Date()), { mode: 0o600 });
    writeFileSync(csv, compareCsv(report), { mode: 0o600 });
    this.log.write('compared', { missing: report.missingTotal, duplicates: report.duplicateTotal, folders: report.folders.length, report: html });
    return { ...report, savedTo: { html, csv } };
  }

  async m365Status(): Promise<M365Status> {
    return (await import('./m365-calls.js')).m365Status(this.ctx);
  }

  async m365SignIn(options: { deviceCode: boolean; clientId: string | null; tenant: string | null }, call: CallOptions = {}): Promise<M365Status> {
    return (await import('./m365-calls.js')).m365SignIn(this.ctx, options, call.signal);
  }

  async m365SignOut(): Promise<void> {
    return (await import('./m365-calls.js')).m365SignOut(this.ctx);
  }

  async previewPim(kind: 'contacts' | 'calendar', source: PimSource, timeZone: string | null) {
    return (await import('./pim-calls.js')).previewPim(this.ctx, kind, source, timeZone);
  }

  async planPim(kind: 'contacts' | 'calendar', source: PimSource, timeZone: string | null, call: CallOptions = {}) {
    return (await import('./pim-calls.js')).planPim(this.ctx, kind, source, timeZone, call.signal);
  }

  async copyPim(kind: 'contacts' | 'calendar', source: PimSource, user: string, timeZone: string | null, folder?: string | null, call: CallOptions = {}) {
    return (await import('./pim-calls.js')).copyPim(this.ctx, kind, source, user, timeZone, folder ?? null, call.signal);
  }

  async undoPim(kind: 'contacts' | 'calendar', user: string, folder: string | null) {
    return (await import('./pim-calls.js')).undoPim(this.ctx, kind, user, folder);
  }

  /** An Outlook data file's format and folders (the wizard lets the person pick the folders). */
  async outlookFile(file: { ref: string; name: string }) {
    return (await import('./pim-calls.js')).outlookFile(this.ctx, file);
  }

  async checkDns(domain: string, options: DnsCheckOptions) {
    return (await import('./cutover-day-calls.js')).checkDns(this.ctx, domain, options);
  }

  async checkSmtp(options: SmtpCheckOptions, call: CallOptions = {}) {
    return (await import('./cutover-day-calls.js')).checkSmtp(this.ctx, options, call.signal);
  }

  async deviceChecklist(address: string | null) {
    return (await import('./cutover-day-calls.js')).checklist(address);
  }

  /** Keep in step (issue 14): the watch of the pair, run by WatchJobs with this service's accounts, DNS and compare. */
  async startWatch(request: WatchRequest): Promise<WatchStarted> {
    const { source, target } = request;
    // Checked before anything connects, as for a copy.
    const maxMessageSize = messageSizeLimit(request.maxMessageSize, target.kind === 'm365');
    const t = await this.target(target);
    this.log.secret(source.password);
    if (target.kind === 'imap') this.log.secret(target.account.password);
    const sourceAccount = this.imapAccount(source);
    const dns = request.dns ?? null;
    const everyMs = (request.everySeconds ?? 300) * 1000;
    const { dnsCheck } = await import('../cutover/cutover-day.js');
    return this.watchJobs.start(
      {
        source: sourceAccount,
        target: t.account,
        sync: { maxMessageSize, ...copySettings(t, {}) },
        everyMs,
        // A watch runs for days unattended: its DNS checks never ask for a permission (without a given MX, Microsoft's host names tell).
        dns: dns ? { everyMs, check: () => dnsCheck(dns.domain, { expectMx: dns.expectMx, resolvers: dns.resolvers ?? [] }, null, this.options.dns ? { dns: this.options.dns } : {}) } : null,
        compare: async () => ({ missing: (await compareMailboxes({ source: sourceAccount, target: t.account, state: this.state(), ...exchangeNames(t) })).missingTotal }),
      },
      { source: `${source.user}@${source.host}:${source.port}`, target: target.kind === 'imap' ? `${target.account.user}@${target.account.host}` : `m365:${target.user}`, domain: dns?.domain ?? null },
    );
  }

  async stopWatch(jobId: string): Promise<void> {
    this.watchJobs.stop(jobId);
  }

  async watchStatus(source: MailAccountRef, target: TargetRef): Promise<WatchStatus> {
    return this.watchJobs.status(source, target.kind === 'imap' ? target.account : exchangeImapEndpoint(target.user, this.options.m365?.imap));
  }

  async recordSwitch(source: MailAccountRef, target: TargetRef, at: string | null): Promise<WatchStatus> {
    return this.watchJobs.recordSwitch(source, target.kind === 'imap' ? target.account : exchangeImapEndpoint(target.user, this.options.m365?.imap), at === null ? Date.now() : Date.parse(at));
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private async extraCopiesRequest(source: MailAccountInput, target: TargetInput) {
    const t = await this.target(target);
    return { source: this.imapAccount(source), target: t.account, state: this.state(), ...exchangeNames(t) };
  }

  /** The state database, opened once for this service and shared by every job (see state/state-store.ts). */
  private state(): StateStore {
    if (!this.store?.isOpen) this.store = StateStore.open(this.options.stateDir);
    return this.store;
  }

  private wizardFile(): string {
    return join(this.options.stateDir, 'wizard.json');
  }

  private imapAccount(input: MailAccountInput): ImapAccount {
    if (input.tls === 'none' && !isLoopbackHost(input.host)) {
      throw new CutoverError({ code: 'plaintext-refused', message: `An unencrypted connection to ${input.host} would send the password in clear text.`, retryable: false, facts: { host: input.host } });
    }
    const endpoint: ImapEndpoint = { host: input.host, port: input.port, user: input.user, tls: input.tls };
    return { endpoint, credentials: async () => ({ password: input.password }), ...(this.options.caFile ? { caFile: this.options.caFile } : {}) };
  }

  private async target(input: TargetInput): Promise<ResolvedTarget> {
    if (input.kind === 'imap') return { account: this.imapAccount(input.account), exchange: null };
    const { storedM365 } = await import('./m365-calls.js');
    const m365 = storedM365(this.ctx);
    if (!m365) throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365.', retryable: false });
    const imap = this.options.m365?.imap;
    const account = await exchangeAccount(m365.auth, m365.graph, input.user, { ...(this.options.caFile ? { caFile: this.options.caFile } : {}), ...(imap ? { imap } : {}) });
    // From here on the mailbox goes by the sign-in's user name, whichever of its addresses was given.
    return { account, exchange: { graph: m365.graph, user: account.endpoint.user, specialNames: await exchangeSpecialFolderNames(m365.graph) } };
  }
}

/**
 * The largest message a copy takes: what the person chose, else the target's default (Exchange:
 * 35 MB); a limit above what Exchange ever accepts is refused with the facts.
 */
export function messageSizeLimit(given: number | null | undefined, exchange: boolean): number | null {
  if (!exchange) return given ?? null;
  const ceiling = EXCHANGE.maxMessageSizeCeiling;
  if (given != null && given > ceiling) {
    throw new CutoverError({ code: 'size-limit-too-large', message: `A message size limit of ${given} bytes is more than the ${ceiling} bytes (150 MB) Exchange Online accepts at most.`, retryable: false, facts: { given, ceiling } });
  }
  return given ?? EXCHANGE.defaultMaxMessageSize;
}

/** How the copy runs for this target: connections, and for Exchange its names, flags and read receipts. */
function copySettings(t: ResolvedTarget, choices: SyncChoices): Partial<SyncRequest> {
  if (!t.exchange) return { connections: choices.connections ?? DEFAULT_COPY_CONNECTIONS };
  return {
    ...exchangeNames(t),
    // Exchange throttles many parallel sessions per mailbox: never more than its limit.
    connections: Math.min(choices.connections ?? EXCHANGE.maxConnections, EXCHANGE.maxConnections),
    // Exchange does not show a flag set by APPEND to other clients: appended without, then STOREd.
    appendFlags: exchangeAppendFlags,
    ...(choices.markReceiptsSent === false ? {} : { extraFlags: mdnSentFlag }),
  };
}

/** How an Exchange target is matched and named (nothing for another IMAP server). */
function exchangeNames(t: ResolvedTarget) {
  return t.exchange ? { matchMode: 'reencoding' as const, reservedTargetNames: [...EXCHANGE.reservedFolderNames], targetSpecialNames: t.exchange.specialNames } : {};
}

function dataOf(err: unknown) {
  return isCutoverError(err) ? err.toData() : { code: 'internal' as const, message: (err as Error)?.message ?? String(err), retryable: false };
}
