import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wizardStateSchema, type ApiEvent, type ConfirmedRemoval, type EngineApi, type M365Status, type MailAccountInput, type MailAccountRef, type PimPreview, type PimSource, type TargetInput, type TargetRef, type WizardState } from '../../../shared/app-api.js';
import type { OutlookFileInfo, PimCopySummary, SkippedItem } from '../../../shared/pim-types.js';
import type { ChecklistSection, DnsCheckOptions, DnsReport, SmtpCheckOptions, SmtpCheckResult } from '../../../shared/cutover-day-types.js';
import { compareCsv, compareHtml } from '../../../shared/compare-export.js';
import { CutoverError, isCutoverError } from '../../../shared/errors.js';
import type { ImapEndpoint } from '../../../shared/imap-endpoint.js';
import type { WatchRequest, WatchStarted, WatchStatus } from '../../../shared/watch-types.js';
import { isLoopbackHost } from '../../../shared/imap-endpoint.js';
import { compareMailboxes } from '../compare/compare-mailboxes.js';
import { suggestServers } from '../discovery/suggest-servers.js';
import { connectAccount, type ImapAccount } from '../imap/imap-account.js';
import { EventLog } from '../log/event-log.js';
import { EXCHANGE, exchangeAccount, exchangeImapEndpoint, exchangeSpecialFolderNames, mdnSentFlag, signedInMailbox } from '../m365/exchange-target.js';
import { mailboxTimeZone } from '../m365/mailbox-time-zone.js';
import type { ConsentRound, DeviceCodePrompt, M365Auth } from '../auth/m365-auth.js';
import type { SecretStore } from '../auth/secret-store.js';
import { copyEvents } from '../calendar/copy-events.js';
import { dnsCheck, smtpCheck } from '../cutover/cutover-day.js';
import type { DnsOverrides } from '../cutover/dns-server-address.js';
import { deviceChecklist } from '../cutover/device-checklist.js';
import { planCalendar } from '../calendar/plan-calendar.js';
import { localTimeZone } from '../calendar/time-zones.js';
import { copyContacts } from '../contacts/copy-contacts.js';
import { planContacts } from '../contacts/plan-contacts.js';
import type { SourceFiles } from '../pim/read-source-files.js';
import { readDavCollection } from '../dav/read-dav.js';
import type { GraphClient } from '../graph/graph-client.js';
import { knownClientId, openStoredM365, signInAndRemember, signInSettings } from '../m365/m365-session.js';
import { runPreflight } from '../preflight/run-preflight.js';
import { planExtraCopies, removeExtraCopies } from '../sync/extra-copies.js';
import { layoutOf, planFolders } from '../sync/folder-plan.js';
import { outlookFileInfo } from '../outlook/outlook-source.js';
import { readChosenFiles, resolveChosenFile, type FileRefs } from './file-refs.js';
import { SyncJobs } from './sync-jobs.js';
import { WatchJobs } from './watch-jobs.js';

export interface ServiceOptions {
  stateDir: string;
  host: 'electron' | 'web';
  /** Trust this CA in addition to the system's (private mail servers, and the tests). */
  caFile?: string;
  /** Where the Microsoft 365 token cache lives (safeStorage in the app, a 0600 file for the web host). */
  secretStore: SecretStore;
  /** Opens the sign-in page in the system browser (the app); the web host's page shows the link instead. */
  openBrowser?: (url: string) => Promise<void>;
  /** Opens a folder in the file manager (the app only). */
  openPath?: (path: string) => Promise<unknown>;
  /** Resolves the refs of chosen export files to local paths (the host made the refs). */
  fileRefs?: FileRefs;
  /** Replacements for this computer's DNS resolvers and the name-server port (the host reads them from its environment). */
  dns?: DnsOverrides;
  /** Test-only: the SMTP check may send its OAuth token to a server on 127.0.0.1. No shipped host sets it. */
  smtpOAuthToLoopbackForTests?: boolean;
}

/**
 * The engine behind every host: implements the shared API once; the Electron worker and the
 * loopback web host only carry its calls and events. Passwords live only in the arguments of the
 * call that needs them; the wizard state that is saved never contains one.
 */
export class CutoverService implements EngineApi {
  private readonly events = new EventEmitter();
  private readonly log: EventLog;
  private readonly syncJobs: SyncJobs;
  private readonly watchJobs: WatchJobs;
  /** How the last sign-in in this process was made: a later consent round is offered the same way. */
  private signInWith: 'browser' | 'device-code' = 'browser';

  constructor(private readonly options: ServiceOptions) {
    this.events.setMaxListeners(50);
    this.log = new EventLog(options.stateDir);
    this.syncJobs = new SyncJobs(options.stateDir, (event) => this.events.emit('event', event), this.log);
    this.watchJobs = new WatchJobs(options.stateDir, (event) => this.events.emit('event', event), this.log);
  }

  /** Where the log is, and whether the host could open it (the app opens the folder; a browser cannot). */
  async openLogFolder(): Promise<{ path: string; opened: boolean }> {
    if (!this.options.openPath) return { path: this.log.dir, opened: false };
    await this.options.openPath(this.log.dir);
    return { path: this.log.dir, opened: true };
  }

  async appInfo(): Promise<{ version: string; host: 'electron' | 'web' }> {
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
      const session = await connectAccount(this.imapAccount(account), role);
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
    const [s, d] = await Promise.all([connectAccount(this.imapAccount(source), 'source'), connectAccount(t.account, 'target')]);
    try {
      const [sf, tf] = await Promise.all([s.listFolders(false), d.listFolders(false)]);
      return planFolders(layoutOf(sf, s.personalNamespace), { ...layoutOf(tf, d.personalNamespace), ...t.layoutExtras }, { exclude: [], rename: {} });
    } finally {
      await Promise.all([s.logout(), d.logout()]);
    }
  }

  async preflight(source: MailAccountInput, target: TargetInput) {
    const t = await this.target(target);
    return runPreflight({ source: this.imapAccount(source), target: t.account, maxMessageSize: t.maxMessageSize, ...(t.graph ? { graph: t.graph, m365User: t.user } : {}) });
  }

  async startSync(source: MailAccountInput, target: TargetInput, rules: { exclude: string[]; rename: Record<string, string>; repair?: boolean }) {
    const t = await this.target(target);
    this.log.secret(source.password);
    if (target.kind === 'imap') this.log.secret(target.account.password);
    return this.syncJobs.start({
      source: this.imapAccount(source),
      target: t.account,
      rules: { exclude: rules.exclude, rename: rules.rename },
      repair: rules.repair ?? false,
      extras: { maxMessageSize: t.maxMessageSize, ...t.syncExtras },
      label: { source: `${source.user}@${source.host}:${source.port}`, target: target.kind === 'imap' ? `${target.account.user}@${target.account.host}` : `m365:${target.user}` },
    });
  }

  async cancelJob(jobId: string): Promise<void> {
    this.syncJobs.cancel(jobId);
  }

  async syncStatus(source: MailAccountRef, target: TargetRef) {
    return this.syncJobs.status(source, target.kind === 'imap' ? target.account : exchangeImapEndpoint(target.user));
  }

  async previewExtraCopies(source: MailAccountInput, target: TargetInput) {
    return planExtraCopies(await this.extraCopiesRequest(source, target));
  }

  async removeExtraCopies(source: MailAccountInput, target: TargetInput, confirmed: ConfirmedRemoval) {
    const result = await removeExtraCopies(await this.extraCopiesRequest(source, target), confirmed);
    this.log.write('extra-copies-removed', { removed: result.removed, folders: result.folders.map((f) => ({ folder: f.source, removed: f.removed })) });
    return result;
  }

  async compare(source: MailAccountInput, target: TargetInput) {
    const t = await this.target(target);
    const report = await compareMailboxes({ source: this.imapAccount(source), target: t.account, stateDir: this.options.stateDir, ...this.exchangeNames(t) });
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
    const account = (await this.m365()?.auth.signedIn()) ?? null;
    return { signedIn: account !== null, username: account?.username ?? null, name: account?.name ?? null, hasClientId: knownClientId(this.options.stateDir) !== null };
  }

  async m365SignIn(options: { deviceCode: boolean; clientId: string | null; tenant: string | null }): Promise<M365Status> {
    const settings = signInSettings(
      this.options.stateDir,
      { clientId: options.clientId || null, tenant: options.tenant || null },
      'No app registration (client ID) is known for the Microsoft 365 sign-in.',
    );
    const account = await signInAndRemember(
      this.options.stateDir,
      this.options.secretStore,
      settings,
      options.deviceCode ? { deviceCode: true, show: (p) => this.showDeviceCode(p) } : { deviceCode: false, openBrowser: (url) => this.openSignInPage(url, 'Sign in to Microsoft 365 in your browser.') },
    );
    this.signInWith = options.deviceCode ? 'device-code' : 'browser';
    this.log.write('m365-signed-in', { username: account.username, deviceCode: options.deviceCode });
    return { signedIn: true, username: account.username, name: account.name };
  }

  async m365SignOut(): Promise<void> {
    await this.m365()?.auth.signOut();
  }

  async previewPim(kind: 'contacts' | 'calendar', source: PimSource, timeZone: string | null): Promise<PimPreview> {
    const { sources, skipped } = await this.pimSources(kind, source);
    const options = pimReadOptions(source, (p) => void this.events.emit('event', { type: 'pim-progress', done: p.done, total: p.total } satisfies ApiEvent));
    if (kind === 'contacts') {
      const plan = await planContacts(sources, options);
      return { items: plan.items.length, skipped: [...skipped, ...plan.skipped], groups: plan.groups.map((g) => ({ name: g.name, members: g.members })), warnings: plan.items.filter((i) => i.warnings.length).length, formats: plan.formats, ...pimSamples(plan.items, contactSample) };
    }
    const plan = await planCalendar(sources, localTimeZone(timeZone), options);
    return { items: plan.items.length, skipped: [...skipped, ...plan.skipped], groups: [], warnings: plan.items.filter((i) => i.warnings.length).length, formats: plan.formats, ...pimSamples(plan.items, eventSample) };
  }

  async copyPim(kind: 'contacts' | 'calendar', source: PimSource, user: string, timeZone: string | null): Promise<PimCopySummary> {
    const m365 = this.m365();
    if (!m365) throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365.', retryable: false });
    // Any address of the signed-in mailbox; the state knows it by the sign-in's user name.
    const mailbox = await signedInMailbox(m365.auth, m365.graph, user);
    const { sources } = await this.pimSources(kind, source);
    const request = {
      graph: m365.graph,
      stateDir: this.options.stateDir,
      mailbox,
      onProgress: (p: { done: number; total: number }) => void this.events.emit('event', { type: 'pim-progress', done: p.done, total: p.total } satisfies ApiEvent),
    };
    const options = pimReadOptions(source);
    if (kind === 'contacts') return copyContacts(await planContacts(sources, options), request);
    // All-day events and floating times belong in the mailbox's zone unless the user named one.
    const zone = timeZone ? { zone: timeZone, warning: null } : await mailboxTimeZone(m365.graph, localTimeZone(null));
    if ('detail' in zone && zone.detail) this.log.write('mailbox-time-zone-unreadable', { detail: zone.detail });
    return copyEvents(await planCalendar(sources, zone.zone, options), request, zone.warning ? [zone.warning] : []);
  }

  /** An Outlook data file's format and folders (the wizard lets the person pick the folders). */
  async outlookFile(file: { ref: string; name: string }): Promise<OutlookFileInfo> {
    const found = await resolveChosenFile(file, 'outlook', this.options.fileRefs);
    return outlookFileInfo(found.path, file.name);
  }

  async checkDns(domain: string, options: DnsCheckOptions): Promise<DnsReport> {
    const report = await dnsCheck(domain, options, this.m365(), { consent: this.consentRound(), ...(this.options.dns ? { dns: this.options.dns } : {}) });
    this.log.write('dns-checked', { domain: report.domain, state: report.state, switched: report.switched, answered: report.answered, findings: report.findings.map((f) => f.code) });
    return report;
  }

  async checkSmtp(options: SmtpCheckOptions): Promise<SmtpCheckResult> {
    if (options.auth.kind === 'password') this.log.secret(options.auth.password);
    const result = await smtpCheck(options, this.m365(), {
      consent: this.consentRound(),
      ...(this.options.caFile ? { caFile: this.options.caFile } : {}),
      ...(this.options.smtpOAuthToLoopbackForTests ? { oauthToLoopbackForTests: true } : {}),
    });
    this.log.write('smtp-checked', { user: options.user, host: `${options.host}:${options.port}`, method: result.method, ok: result.ok, stage: result.stage, reply: result.reply ? `${result.reply.code} ${result.reply.enhanced ?? ''}`.trim() : null });
    return result;
  }

  async deviceChecklist(address: string | null): Promise<ChecklistSection[]> {
    return deviceChecklist(address);
  }

  /** Keep in step (issue 14): the watch of the pair, run by WatchJobs with this service's accounts, DNS and compare. */
  async startWatch(request: WatchRequest): Promise<WatchStarted> {
    const { source, target } = request;
    const t = await this.target(target);
    this.log.secret(source.password);
    if (target.kind === 'imap') this.log.secret(target.account.password);
    const sourceAccount = this.imapAccount(source);
    const dns = request.dns ?? null;
    return this.watchJobs.start(
      {
        source: sourceAccount,
        target: t.account,
        sync: { maxMessageSize: t.maxMessageSize, ...t.syncExtras },
        everyMs: (request.everySeconds ?? 300) * 1000,
        dns: dns ? { everyMs: (request.everySeconds ?? 300) * 1000, check: () => this.checkDns(dns.domain, { expectMx: dns.expectMx, resolvers: [] }) } : null,
        compare: async () => ({ missing: (await compareMailboxes({ source: sourceAccount, target: t.account, stateDir: this.options.stateDir, ...this.exchangeNames(t) })).missingTotal }),
      },
      { source: `${source.user}@${source.host}:${source.port}`, target: target.kind === 'imap' ? `${target.account.user}@${target.account.host}` : `m365:${target.user}`, domain: dns?.domain ?? null },
    );
  }

  async stopWatch(jobId: string): Promise<void> {
    this.watchJobs.stop(jobId);
  }

  async watchStatus(source: MailAccountRef, target: TargetRef): Promise<WatchStatus> {
    return this.watchJobs.status(source, target.kind === 'imap' ? target.account : exchangeImapEndpoint(target.user));
  }

  async recordSwitch(source: MailAccountRef, target: TargetRef, at: string | null): Promise<WatchStatus> {
    return this.watchJobs.recordSwitch(source, target.kind === 'imap' ? target.account : exchangeImapEndpoint(target.user), at === null ? Date.now() : Date.parse(at));
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  /** A permission missing after sign-in is asked for the way the user signed in; the page is told through 'm365-sign-in' events. */
  private consentRound(): ConsentRound {
    return this.signInWith === 'device-code' ? { kind: 'device-code', show: (p) => this.showDeviceCode(p) } : { kind: 'browser', openBrowser: (url, reason) => this.openSignInPage(url, reason) };
  }

  private showDeviceCode(p: DeviceCodePrompt): void {
    this.events.emit('event', { type: 'm365-sign-in', url: p.verificationUri, userCode: p.userCode, message: p.reason ? `${p.reason} ${p.message}` : p.message } satisfies ApiEvent);
  }

  private async openSignInPage(url: string, message: string): Promise<void> {
    this.events.emit('event', { type: 'm365-sign-in', url, userCode: null, message } satisfies ApiEvent);
    await this.options.openBrowser?.(url);
  }

  /** Export files as given, or everything the CardDAV/CalDAV account sees. */
  private async pimSources(kind: 'contacts' | 'calendar', source: PimSource): Promise<{ sources: SourceFiles; skipped: SkippedItem[] }> {
    if (source.kind === 'files') return readChosenFiles(source.files, this.options.fileRefs, kind);
    this.log.secret(source.password);
    return readDavCollection({ url: source.url, user: source.user, password: source.password, kind: kind === 'contacts' ? 'carddav' : 'caldav' });
  }

  private async extraCopiesRequest(source: MailAccountInput, target: TargetInput) {
    const t = await this.target(target);
    return { source: this.imapAccount(source), target: t.account, stateDir: this.options.stateDir, ...this.exchangeNames(t) };
  }

  /** How an Exchange target is matched and named (nothing for another IMAP server). */
  private exchangeNames(t: Awaited<ReturnType<CutoverService['target']>>) {
    return t.graph ? { matchMode: 'reencoding' as const, reservedTargetNames: t.syncExtras.reservedTargetNames ?? [], targetSpecialNames: t.syncExtras.targetSpecialNames ?? {} } : {};
  }

  private m365(): { auth: M365Auth; graph: GraphClient } | null {
    return openStoredM365(this.options.stateDir, this.options.secretStore);
  }

  private wizardFile(): string {
    return join(this.options.stateDir, 'wizard.json');
  }

  private imapAccount(input: MailAccountInput): ImapAccount {
    if (input.tls === 'none' && !isLoopbackHost(input.host)) {
      throw new CutoverError({ code: 'plaintext-refused', message: `An unencrypted connection to ${input.host} would send the password in clear text; choose SSL/TLS or STARTTLS.`, retryable: false });
    }
    const endpoint: ImapEndpoint = { host: input.host, port: input.port, user: input.user, tls: input.tls };
    return { endpoint, credentials: async () => ({ password: input.password }), ...(this.options.caFile ? { caFile: this.options.caFile } : {}) };
  }

  private async target(input: TargetInput) {
    if (input.kind === 'imap') {
      return { account: this.imapAccount(input.account), graph: null, user: input.account.user, maxMessageSize: null, layoutExtras: {}, syncExtras: {} as Partial<ExchangeSyncExtras> };
    }
    const m365 = this.m365();
    if (!m365) throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365.', retryable: false });
    const account = await exchangeAccount(m365.auth, m365.graph, input.user, this.options.caFile);
    const specialNames = await exchangeSpecialFolderNames(m365.graph);
    const reservedNames = [...EXCHANGE.reservedFolderNames];
    return {
      account,
      graph: m365.graph,
      user: account.endpoint.user,
      maxMessageSize: EXCHANGE.defaultMaxMessageSize,
      layoutExtras: { reservedNames, specialNames },
      syncExtras: { matchMode: 'reencoding', reservedTargetNames: reservedNames, targetSpecialNames: specialNames, storeFlaggedAfterAppend: true, extraFlags: mdnSentFlag, connections: EXCHANGE.maxConnections } as Partial<ExchangeSyncExtras>,
    };
  }
}

interface ExchangeSyncExtras {
  matchMode: 'reencoding';
  reservedTargetNames: string[];
  targetSpecialNames: Partial<Record<'sent' | 'drafts' | 'trash' | 'junk' | 'archive', string>>;
  storeFlaggedAfterAppend: boolean;
  extraFlags: (raw: Buffer) => string[];
  connections: number;
}

/** The chosen folders of an Outlook data file, and item progress while a large one is read. */
function pimReadOptions(source: PimSource, onProgress?: (p: { done: number; total: number }) => void): { outlookFolders?: string[]; onProgress?: (p: { origin: string; done: number; total: number }) => void } {
  let last = 0;
  // At most a few events a second, however many items a large data file has.
  const throttled = (p: { done: number; total: number }): void => {
    const now = Date.now();
    if (now - last < 250 && p.done !== p.total) return;
    last = now;
    onProgress?.({ done: p.done, total: p.total });
  };
  return { ...(source.kind === 'files' && source.folders ? { outlookFolders: source.folders } : {}), ...(onProgress ? { onProgress: throttled } : {}) };
}

/** How many items and notes a preview names, so the person recognises their data without a long list. */
const SAMPLES = 5;

function pimSamples(items: { graph: Record<string, unknown>; warnings: string[] }[], sample: (graph: Record<string, unknown>) => { title: string; detail: string | null }) {
  return {
    samples: items.slice(0, SAMPLES).map((i) => sample(i.graph)),
    warningSamples: items.filter((i) => i.warnings.length > 0).slice(0, SAMPLES).map((i) => ({ title: sample(i.graph).title, note: i.warnings.join('; ') })),
  };
}

function contactSample(graph: Record<string, unknown>): { title: string; detail: string | null } {
  const emails = graph.emailAddresses as { address?: string }[] | undefined;
  return { title: String(graph.displayName ?? ''), detail: emails?.[0]?.address ?? null };
}

function eventSample(graph: Record<string, unknown>): { title: string; detail: string | null } {
  const start = graph.start as { dateTime?: string } | undefined;
  const when = start?.dateTime ? start.dateTime.slice(0, graph.isAllDay ? 10 : 16).replace('T', ' ') : null;
  return { title: String(graph.subject ?? ''), detail: when };
}

function dataOf(err: unknown) {
  return isCutoverError(err) ? err.toData() : { code: 'internal' as const, message: (err as Error)?.message ?? String(err), retryable: false };
}
