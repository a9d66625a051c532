import { z } from 'zod';
import { chosenFilesSchema, fileNameSchema, fileRefSchema, type ChosenFile, type FilePurpose } from './chosen-files.js';
import type { CompareReport, ExtraCopiesPlan, ExtraCopiesResult } from './compare-types.js';
import type { ChecklistSection, DnsCheckOptions, DnsReport, SmtpCheckOptions, SmtpCheckResult } from './cutover-day-types.js';
import type { CutoverErrorData } from './errors.js';
import type { FolderMapping, MappingRules } from './folder-mapping.js';
import type { ContactGroupReport, OutlookFileInfo, PimCopySummary, PimUndoSummary, PlannedEvent, PlannedItem, SkippedItem, SourceFormat, GraphBody } from './pim-types.js';
import type { PreflightReport } from './preflight-types.js';
import type { PairStatus, SyncEvent, SyncSummary } from './sync-types.js';
import type { WatchEvent, WatchRequest, WatchStarted, WatchStatus } from './watch-types.js';

/**
 * The one API the renderer talks to. The Electron preload and the loopback web host both expose
 * exactly this object; the renderer cannot tell which one is behind it. Every call's arguments are
 * validated with the schemas below where they cross into the main side.
 */

/** The guided cutover after the copy (issue 14): keep in step (the watch), the domain's MX, devices that send mail, Outlook and phones. */
export const CUTOVER_DAY_STEPS = ['keep-in-step', 'switch-domain', 'sending-devices', 'outlook-phones'] as const;

export const WIZARD_STEPS = ['old-mailbox', 'microsoft-365', 'check', 'folders', 'copy-mail', 'contacts-calendar', 'compare', 'finish', ...CUTOVER_DAY_STEPS] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

// Letters of any script are allowed (bücher.example): the engine converts the name to its ASCII
// (punycode) form wherever it is used.
const hostSchema = z.string().trim().min(1, 'the server name is empty').max(253).regex(/^[\p{L}\p{M}\p{N}.-]+$|^\[[0-9a-fA-F:]+\]$/u, 'the server name has characters a host name cannot have');

export const mailAccountSchema = z.object({
  host: hostSchema,
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1, 'the user name is empty').max(320),
  tls: z.enum(['implicit', 'starttls', 'none']),
  /** Only ever kept in memory on the main side, never written anywhere. */
  password: z.string().min(1, 'the password is empty').max(1024),
});
export type MailAccountInput = z.infer<typeof mailAccountSchema>;

export const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('imap'), account: mailAccountSchema }),
  z.object({ kind: z.literal('m365'), user: z.string().email() }),
]);
export type TargetInput = z.infer<typeof targetSchema>;

/** A mailbox named without its password: enough to ask about a pair, never to connect. */
export const mailAccountRefSchema = mailAccountSchema.omit({ password: true });
export type MailAccountRef = z.infer<typeof mailAccountRefSchema>;

export const targetRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('imap'), account: mailAccountRefSchema }),
  z.object({ kind: z.literal('m365'), user: z.string().min(1).max(320) }),
]);
export type TargetRef = z.infer<typeof targetRefSchema>;

/** The removals a person confirmed after seeing the preview (ExtraCopiesPlan.folders, without the listing). */
export const confirmedRemovalSchema = z
  .array(z.object({ source: z.string().max(1000), target: z.string().max(1000), uidValidity: z.number().int().min(0), uids: z.array(z.number().int().min(1)).max(100_000) }))
  .max(10_000);
export type ConfirmedRemoval = z.infer<typeof confirmedRemovalSchema>;

const folderRulesShape = {
  /** Source folders to leave out, as the old server shows them with "/" between levels ("Archive/*" for everything below). */
  exclude: z.array(z.string().max(1000)).max(10_000),
  /** Source folder → new name (written with "/" between levels). */
  rename: z.record(z.string(), z.string().max(1000)),
};
export const folderRulesSchema = z.object(folderRulesShape);

/**
 * How a copy runs. Everything is optional: the folder rules saved with the pair, 4 connections
 * (Microsoft 365: 3, its most), no size limit (Microsoft 365: 35 MB, at most 150 MB) and, for
 * Microsoft 365, $MDNSent on messages that ask for a read receipt.
 */
export const syncChoicesSchema = z
  .object({
    /** Folder rules; both or neither. Given, they are checked and saved with the pair; absent, the saved ones apply. */
    exclude: folderRulesShape.exclude.optional(),
    rename: folderRulesShape.rename.optional(),
    /** Also copy again what was copied before but is no longer on the target. */
    repair: z.boolean().optional(),
    /** Parallel connection pairs (source + target). */
    connections: z.number().int().min(1).max(16).nullable().optional(),
    /** Microsoft 365: append messages that ask for a read receipt with $MDNSent, so Outlook does not send years-old receipts. */
    markReceiptsSent: z.boolean().optional(),
    /** Largest message to copy, in bytes; larger ones are reported, not attempted. */
    maxMessageSize: z.number().int().min(1).nullable().optional(),
  })
  .refine((c) => (c.exclude === undefined) === (c.rename === undefined), 'give both exclude and rename, or neither');
export type SyncChoices = z.infer<typeof syncChoicesSchema>;

export const wizardStateSchema = z.object({
  step: z.enum(WIZARD_STEPS),
  email: z.string().max(320).default(''),
  /** Server settings without the password (it is never stored). */
  source: mailAccountSchema.omit({ password: true }).nullable().default(null),
  target: z.discriminatedUnion('kind', [z.object({ kind: z.literal('imap'), account: mailAccountSchema.omit({ password: true }) }), z.object({ kind: z.literal('m365'), user: z.string() })]).nullable().default(null),
  excluded: z.array(z.string()).default([]),
  renamed: z.record(z.string(), z.string()).default({}),
  lastSync: z.object({ copied: z.number(), failed: z.number(), at: z.string() }).nullable().default(null),
  lastCompareMissing: z.number().nullable().default(null),
  /** Extra copies the last comparison found (a copy is complete only without them). */
  lastCompareDuplicates: z.number().nullable().default(null),
  lastReportFile: z.string().max(4096).nullable().default(null),
  /** Cutover day: ids of the Outlook/phones checklist items the user ticked. */
  checklistDone: z.array(z.string().max(64)).max(200).default([]),
  /** Cutover day: the last DNS check's verdict (the stepper shows it after a reload; the step checks again). */
  lastDns: z.object({ domain: z.string().max(253), state: z.enum(['old', 'mixed', 'switched']), switched: z.number().int().min(0), answered: z.number().int().min(0), blocking: z.number().int().min(0), at: z.string().max(40) }).nullable().default(null),
  /** Cutover day: the last SMTP sign-in test (never its password). */
  lastSmtp: z.object({ user: z.string().max(320), ok: z.boolean(), at: z.string().max(40) }).nullable().default(null),
  /** What the user typed in the wizard's fields, as typed (even when not valid yet), so no navigation loses it. Never a password. */
  drafts: z.record(z.string().max(64), z.string().max(2048)).refine((d) => Object.keys(d).length <= 100, 'too many fields').default({}),
  /** Steps the user finished with their main button (the stepper shows them as done). */
  completed: z.array(z.enum(WIZARD_STEPS)).max(WIZARD_STEPS.length).default([]),
  /** The folders step's "Advanced" choices for the copy (null: Cutover's default for the target). */
  copyChoices: z
    .object({ connections: z.number().int().min(1).max(16).nullable(), markReceiptsSent: z.boolean(), maxMessageSize: z.number().int().min(1).nullable() })
    .default({ connections: null, markReceiptsSent: true, maxMessageSize: null }),
});
export type WizardState = z.infer<typeof wizardStateSchema>;

export interface ServerSuggestion {
  host: string;
  port: number;
  tls: 'implicit' | 'starttls';
  /** Where it came from: "autoconfig", "ispdb", "srv", "guess". */
  source: string;
}

export interface ConnectionResult {
  ok: boolean;
  folders: number;
  error: CutoverErrorData | null;
}

export interface JobInfo {
  id: string;
  /** This pair was being copied already: the caller now follows that copy instead of starting one. */
  attached: boolean;
}

export type ApiEvent =
  | { type: 'sync'; jobId: string; event: SyncEvent }
  | { type: 'sync-finished'; jobId: string; summary: SyncSummary | null; error: CutoverErrorData | null }
  /** Sign-in needs the user: open this address (browser flow) or enter this code (device code flow). */
  | { type: 'm365-sign-in'; url: string; userCode: string | null; message: string }
  /** A contacts or calendar source (a file, a DAV collection) is being read. */
  | { type: 'pim-file'; origin: string }
  /** Contacts or events read from an Outlook data file (`origin`) or copied to Microsoft 365. */
  | { type: 'pim-progress'; done: number; total: number; stage: 'reading' | 'copying'; origin?: string }
  /** Microsoft Graph asked Cutover to slow down; the call goes on after the wait. */
  | { type: 'm365-throttled'; waitSeconds: number }
  /** Keep in step: one event of the watch `jobId` (see watch-types.ts). */
  | { type: 'watch-event'; jobId: string; event: WatchEvent };

export interface M365Status {
  signedIn: boolean;
  username: string | null;
  name: string | null;
  /** Whether an app registration (client ID) is known: built in, from the environment or from an earlier sign-in. */
  hasClientId?: boolean;
  /** The signed-in account's organisation (tenant ID). */
  tenantId?: string | null;
}

/** Chosen export files, by reference (see chosen-files.ts: the host stores them, the engine resolves them). */
export const pimFilesSchema = chosenFilesSchema;
export type PimFiles = z.infer<typeof pimFilesSchema>;

/** Where contacts or a calendar come from: exported files, or the old host's CardDAV/CalDAV server. */
export const pimSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('files'),
    files: pimFilesSchema,
    /** For an Outlook data file (.pst/.ost): the folder ids to read (from `outlookFile`); absent or empty: Outlook's own contacts/calendar folders. */
    folders: z.array(z.string().max(300)).max(1000).optional(),
  }),
  z.object({ kind: z.literal('dav'), url: z.string().url().max(2048).regex(/^https?:\/\//i, 'the address must start with https:// (or http:// on this computer)'), user: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
]);
export type PimSource = z.infer<typeof pimSourceSchema>;

/** A contacts folder or calendar in Microsoft 365, by its name. */
const pimFolderSchema = z.string().trim().min(1, 'the folder name is empty').max(255);

export interface PimPreview {
  items: number;
  skipped: { source: { file: string; uid: string }; reason: string }[];
  groups: { name: string; members: string[] }[];
  warnings: number;
  /** A few of the items found, so the person recognises their data before copying (contacts: name and address; events: subject and start). */
  samples?: { title: string; detail: string | null }[];
  /** A few of the notes about what did not fit, with the item they belong to. */
  warningSamples?: { title: string; note: string }[];
  /** What each file was recognised as ("Outlook CSV (German)", "Google Contacts CSV", "Unicode PST (Outlook 2003 and later)"). */
  formats?: SourceFormat[];
}

/** Everything a plan found, item by item: the exact Graph bodies that would be sent (the command line's `plan`). */
export interface PimPlan {
  items: (PlannedItem<GraphBody> | PlannedEvent)[];
  skipped: SkippedItem[];
  /** Contact groups Graph cannot create, with their members. */
  groups: ContactGroupReport[];
  formats: SourceFormat[];
  /** The Outlook data files among the sources, with their folders of this kind. */
  outlookFiles: OutlookFileInfo[];
}

export interface CutoverApi {
  appInfo(): Promise<{ version: string; host: 'electron' | 'web' | 'cli' }>;
  getWizardState(): Promise<WizardState>;
  saveWizardState(state: WizardState): Promise<void>;
  suggestServers(email: string): Promise<ServerSuggestion[]>;
  testConnection(account: MailAccountInput, role: 'source' | 'target'): Promise<ConnectionResult>;
  planFolders(source: MailAccountInput, target: TargetInput): Promise<FolderMapping[]>;
  /** `maxMessageSize`: the limit the copy will use (absent: Cutover's default for the target). */
  preflight(source: MailAccountInput, target: TargetInput, options?: { maxMessageSize: number | null } | null): Promise<PreflightReport>;
  /**
   * Starts copying, or attaches to the copy of this pair already running here. `repair`: also copy
   * again what was copied before but is no longer on the target. Another process copying the pair:
   * error `pair-busy` with its pid and start time.
   */
  startSync(source: MailAccountInput, target: TargetInput, choices: SyncChoices): Promise<JobInfo>;
  cancelJob(jobId: string): Promise<void>;
  /** The pair's copy: the running job (to attach to) or what the state database knows. Needs no password. */
  syncStatus(source: MailAccountRef, target: TargetRef): Promise<PairStatus>;
  /**
   * Compares through the folder mapping the pair's copy used; new `rules` are checked and saved with
   * the pair first. The report is kept as a printable page and a CSV in the state folder (`savedTo`).
   */
  compare(source: MailAccountInput, target: TargetInput, rules?: MappingRules | null): Promise<CompareReport>;
  /** The extra copies Cutover made that removing would take away (nothing is changed). */
  previewExtraCopies(source: MailAccountInput, target: TargetInput): Promise<ExtraCopiesPlan>;
  /** Removes what the confirmed preview listed, and nothing else. */
  removeExtraCopies(source: MailAccountInput, target: TargetInput, confirmed: ConfirmedRemoval): Promise<ExtraCopiesResult>;
  m365Status(): Promise<M365Status>;
  /** Signs in to Microsoft 365; the page is told where to go through an 'm365-sign-in' event. */
  m365SignIn(options: { deviceCode: boolean; clientId: string | null; tenant: string | null }): Promise<M365Status>;
  m365SignOut(): Promise<void>;
  /** Reads .vcf / .ics file contents and says what would be created (no network). */
  previewPim(kind: 'contacts' | 'calendar', source: PimSource, timeZone: string | null): Promise<PimPreview>;
  /** Copies into `folder` (a contacts folder or calendar by name, made when missing; null: Cutover's own). */
  copyPim(kind: 'contacts' | 'calendar', source: PimSource, user: string, timeZone: string | null, folder?: string | null): Promise<PimCopySummary>;
  /** Every item a source would become, as the exact Graph bodies (no network). */
  planPim(kind: 'contacts' | 'calendar', source: PimSource, timeZone: string | null): Promise<PimPlan>;
  /** Removes what Cutover created in `folder` (null: Cutover's own); events with attendees are left alone. */
  undoPim(kind: 'contacts' | 'calendar', user: string, folder: string | null): Promise<PimUndoSummary>;
  /** An Outlook data file's format and its contacts and calendar folders, for the person to pick from (no network). */
  outlookFile(file: { ref: string; name: string }): Promise<OutlookFileInfo>;
  /** The log folder; the app opens it in the file manager, a browser can only show where it is. */
  openLogFolder(): Promise<{ path: string; opened: boolean }>;
  /** Cutover day: where the domain's MX, SPF and autodiscover point, as each DNS server sees it now. */
  checkDns(domain: string, options: DnsCheckOptions): Promise<DnsReport>;
  /** Cutover day: can this mailbox send through SMTP AUTH (EHLO, STARTTLS, AUTH, QUIT; never a message)? */
  checkSmtp(options: SmtpCheckOptions): Promise<SmtpCheckResult>;
  /** Cutover day: adding the new account to Outlook and phones, removing the old one (ticks live in the wizard state). */
  deviceChecklist(address: string | null): Promise<ChecklistSection[]>;
  /**
   * Keep in step: watches the old mailbox (IDLE on INBOX plus a pass over every folder) and copies
   * what arrives, until stopped. A pair already watched here is attached to; another process holding
   * the pair: error `pair-busy` with its pid and start time.
   */
  startWatch(request: WatchRequest): Promise<WatchStarted>;
  stopWatch(jobId: string): Promise<void>;
  /** The pair's watch: running here, elsewhere, or what the state database remembers. Needs no password. */
  watchStatus(source: MailAccountRef, target: TargetRef): Promise<WatchStatus>;
  /** Records when the MX switch happened (ISO 8601; null: now), for a watch given no domain to check. */
  recordSwitch(source: MailAccountRef, target: TargetRef, at: string | null): Promise<WatchStatus>;
  /** Subscribes to progress events; returns the function that unsubscribes. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /**
   * Lets the user pick export files and hands them to the host: the browser uploads them to the
   * web host, the app registers the paths chosen in its dialog. Resolves [] when the user cancels.
   * Served by the host itself, never by the engine.
   */
  chooseFiles(purpose: FilePurpose): Promise<ChosenFile[]>;
}

const domainNameSchema = z.string().trim().min(1, 'the domain is empty').max(253).regex(/^[A-Za-z0-9.-]+$/, 'the domain has characters a domain name cannot have');

/** Cutover day calls (kept together so the list of calls above stays easy to merge). */
const CUTOVER_DAY_ARGUMENTS = {
  checkDns: z.tuple([
    domainNameSchema,
    z.object({ expectMx: domainNameSchema.nullable(), resolvers: z.array(z.string().max(60).regex(/^[0-9A-Fa-f:.[\]]+$/, 'a DNS server is an IP address, optionally with :PORT')).max(10) }),
  ]),
  checkSmtp: z.tuple([
    z.object({
      user: z.string().email().max(320),
      host: hostSchema,
      port: z.number().int().min(1).max(65535),
      auth: z.discriminatedUnion('kind', [z.object({ kind: z.literal('oauth') }), z.object({ kind: z.literal('password'), password: z.string().min(1, 'the password is empty').max(1024) })]),
    }),
  ]),
  deviceChecklist: z.tuple([z.string().max(320).nullable()]),
} as const;

/** Keep in step calls (kept together so the list of calls below stays easy to merge). */
const CUTOVER_WATCH_ARGUMENTS = {
  startWatch: z.tuple([
    z.object({
      source: mailAccountSchema,
      target: targetSchema,
      everySeconds: z.number().int().min(10, 'a pass every 10 seconds at most often').max(86_400, 'a pass at least once a day').optional(),
      dns: z.object({ domain: domainNameSchema, expectMx: domainNameSchema.nullable(), resolvers: z.array(z.string().max(64)).max(10).optional() }).nullable().optional(),
      maxMessageSize: z.number().int().positive().nullable().optional(),
    }),
  ]),
  stopWatch: z.tuple([z.string().max(100)]),
  watchStatus: z.tuple([mailAccountRefSchema, targetRefSchema]),
  recordSwitch: z.tuple([mailAccountRefSchema, targetRefSchema, z.string().datetime({ offset: true }).nullable()]),
} as const;

/** The part of the API the engine service implements (everything the hosts relay to it). */
export type EngineApi = Omit<CutoverApi, 'chooseFiles'>;

/** Argument schemas of every call, checked on the main side before anything reaches the engine. */
export const API_ARGUMENTS = {
  appInfo: z.tuple([]),
  getWizardState: z.tuple([]),
  saveWizardState: z.tuple([wizardStateSchema]),
  suggestServers: z.tuple([z.string().max(320)]),
  testConnection: z.tuple([mailAccountSchema, z.enum(['source', 'target'])]),
  planFolders: z.tuple([mailAccountSchema, targetSchema]),
  preflight: z.tuple([mailAccountSchema, targetSchema, z.object({ maxMessageSize: z.number().int().min(1).nullable() }).nullable().optional()]),
  startSync: z.tuple([mailAccountSchema, targetSchema, syncChoicesSchema]),
  cancelJob: z.tuple([z.string().max(100)]),
  syncStatus: z.tuple([mailAccountRefSchema, targetRefSchema]),
  compare: z.tuple([mailAccountSchema, targetSchema, folderRulesSchema.nullable().optional()]),
  previewExtraCopies: z.tuple([mailAccountSchema, targetSchema]),
  removeExtraCopies: z.tuple([mailAccountSchema, targetSchema, confirmedRemovalSchema]),
  m365Status: z.tuple([]),
  m365SignIn: z.tuple([z.object({ deviceCode: z.boolean(), clientId: z.string().max(100).nullable(), tenant: z.string().max(253).nullable() })]),
  m365SignOut: z.tuple([]),
  openLogFolder: z.tuple([]),
  previewPim: z.tuple([z.enum(['contacts', 'calendar']), pimSourceSchema, z.string().max(100).nullable()]),
  copyPim: z.tuple([z.enum(['contacts', 'calendar']), pimSourceSchema, z.string().email(), z.string().max(100).nullable(), pimFolderSchema.nullable().optional()]),
  planPim: z.tuple([z.enum(['contacts', 'calendar']), pimSourceSchema, z.string().max(100).nullable()]),
  undoPim: z.tuple([z.enum(['contacts', 'calendar']), z.string().email(), pimFolderSchema.nullable()]),
  outlookFile: z.tuple([z.object({ ref: fileRefSchema, name: fileNameSchema })]),
  ...CUTOVER_DAY_ARGUMENTS,
  ...CUTOVER_WATCH_ARGUMENTS,
} as const;

export type ApiMethod = keyof typeof API_ARGUMENTS;
export const API_METHODS = Object.keys(API_ARGUMENTS) as ApiMethod[];

/** Human words for a validation failure, naming the argument ("At 0.port: …"). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `At ${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
}

declare global {
  interface Window {
    cutover?: CutoverApi;
  }
}
