import type { PimPlan, PimPreview, PimSource } from '../../../shared/app-api.js';
import { CutoverError } from '../../../shared/errors.js';
import type { OutlookFileInfo, PimCopySummary, PimUndoSummary, PlannedEvent, PlannedItem, SkippedItem, GraphBody } from '../../../shared/pim-types.js';
import { copyEvents, DEFAULT_CALENDAR } from '../calendar/copy-events.js';
import { planCalendar } from '../calendar/plan-calendar.js';
import { localTimeZone } from '../calendar/time-zones.js';
import { copyContacts, DEFAULT_CONTACTS_FOLDER } from '../contacts/copy-contacts.js';
import { planContacts } from '../contacts/plan-contacts.js';
import { readDavCollection } from '../dav/read-dav.js';
import { signedInMailbox } from '../m365/exchange-target.js';
import { mailboxTimeZone } from '../m365/mailbox-time-zone.js';
import { matchFolder, outlookFileInfo } from '../outlook/outlook-source.js';
import { isOutlookDataFile, type SourceFiles } from '../pim/read-source-files.js';
import { undoItems } from '../pim/undo-items.js';
import { readChosenFiles, resolveChosenFile } from './file-refs.js';
import { storedM365, type M365 } from './m365-calls.js';
import type { ServiceContext } from './service-context.js';

/**
 * Contacts and calendars as the service offers them: preview (a summary for the wizard), plan
 * (every item, for the command line), copy and undo. Loaded only when such a call comes (it brings
 * the vCard, iCalendar, CSV, Outlook-file and DAV readers).
 */
type Kind = 'contacts' | 'calendar';

export async function previewPim(ctx: ServiceContext, kind: Kind, source: PimSource, timeZone: string | null, signal?: AbortSignal): Promise<PimPreview> {
  await outlookFilesOf(ctx, kind, source);
  const { sources, skipped } = await pimSources(ctx, kind, source);
  const options = readOptions(ctx, source, signal);
  if (kind === 'contacts') {
    const plan = await planContacts(sources, options);
    return { items: plan.items.length, skipped: [...skipped, ...plan.skipped], groups: plan.groups.map((g) => ({ name: g.name, members: g.members })), warnings: plan.items.filter((i) => i.warnings.length).length, formats: plan.formats, ...samplesOf(plan.items, contactSample) };
  }
  const plan = await planCalendar(sources, localTimeZone(timeZone), options);
  return { items: plan.items.length, skipped: [...skipped, ...plan.skipped], groups: [], warnings: plan.items.filter((i) => i.warnings.length).length, formats: plan.formats, ...samplesOf(plan.items, eventSample) };
}

export async function planPim(ctx: ServiceContext, kind: Kind, source: PimSource, timeZone: string | null, signal?: AbortSignal): Promise<PimPlan> {
  const outlookFiles = await outlookFilesOf(ctx, kind, source);
  const { sources, skipped } = await pimSources(ctx, kind, source);
  const options = readOptions(ctx, source, signal);
  if (kind === 'contacts') {
    const plan = await planContacts(sources, options);
    const items = plan.items.map((i): PlannedItem<GraphBody> => ({ source: i.source, graph: i.graph, warnings: i.warnings }));
    return { items, skipped: [...skipped, ...plan.skipped], groups: plan.groups, formats: plan.formats, outlookFiles };
  }
  const plan = await planCalendar(sources, localTimeZone(timeZone), options);
  const items = plan.items.map((i): PlannedEvent => ({ source: i.source, graph: i.graph, warnings: i.warnings, cancelledOccurrences: i.cancelledOccurrences, modifiedOccurrences: i.modifiedOccurrences }));
  return { items, skipped: [...skipped, ...plan.skipped], groups: [], formats: plan.formats, outlookFiles };
}

export async function copyPim(ctx: ServiceContext, kind: Kind, source: PimSource, user: string, timeZone: string | null, folder: string | null, signal?: AbortSignal): Promise<PimCopySummary> {
  const m365 = signedIn(ctx);
  // Any address of the signed-in mailbox; the state knows it by the sign-in's user name.
  const mailbox = await signedInMailbox(m365.auth, m365.graph, user);
  // A data file that cannot be opened, or a folder it does not have, stops here with its reason.
  await outlookFilesOf(ctx, kind, source);
  const { sources, skipped } = await pimSources(ctx, kind, source);
  const request = {
    graph: m365.graph,
    state: ctx.state(),
    mailbox,
    folderName: folder,
    ...(signal ? { signal } : {}),
    onProgress: (p: { done: number; total: number }) => ctx.emit({ type: 'pim-progress', stage: 'copying', done: p.done, total: p.total }),
  };
  const options = readOptions(ctx, source, signal);
  if (kind === 'contacts') {
    const plan = await planContacts(sources, options);
    plan.skipped.unshift(...skipped);
    return copyContacts(plan, request);
  }
  // All-day events and floating times belong in the mailbox's zone unless the user named one.
  const zone = timeZone ? { zone: timeZone, warning: null } : await mailboxTimeZone(m365.graph, localTimeZone(null));
  const plan = await planCalendar(sources, zone.zone, options);
  plan.skipped.unshift(...skipped);
  return copyEvents(plan, request, zone.warning ? [zone.warning] : []);
}

export async function undoPim(ctx: ServiceContext, kind: Kind, user: string, folder: string | null): Promise<PimUndoSummary> {
  const m365 = signedIn(ctx);
  const mailbox = await signedInMailbox(m365.auth, m365.graph, user);
  const summary = await undoItems(m365.graph, ctx.state(), mailbox, kind === 'contacts' ? 'contact' : 'event', folder ?? (kind === 'contacts' ? DEFAULT_CONTACTS_FOLDER : DEFAULT_CALENDAR));
  ctx.log.write('pim-undone', { kind, deleted: summary.deleted, failed: summary.failed.length, leftAlone: summary.leftAlone.length });
  return summary;
}

/** An Outlook data file's format and folders (the wizard lets the person pick the folders). */
export async function outlookFile(ctx: ServiceContext, file: { ref: string; name: string }): Promise<OutlookFileInfo> {
  const found = await resolveChosenFile(file, 'outlook', ctx.options.fileRefs);
  return outlookFileInfo(found.path, file.name);
}

function signedIn(ctx: ServiceContext): M365 {
  const m365 = storedM365(ctx);
  if (!m365) throw new CutoverError({ code: 'not-signed-in', message: 'Not signed in to Microsoft 365.', retryable: false });
  return m365;
}

/**
 * The Outlook data files among the chosen files, with their folders of this kind. A data file that
 * cannot be opened (a password, damage) stops the call with its code; a folder asked for by name
 * that the files do not have is `outlook-folder-not-found`, with the folders there are.
 */
async function outlookFilesOf(ctx: ServiceContext, kind: Kind, source: PimSource): Promise<OutlookFileInfo[]> {
  if (source.kind !== 'files') return [];
  const files: OutlookFileInfo[] = [];
  for (const chosen of source.files) {
    const found = await resolveChosenFile(chosen, kind, ctx.options.fileRefs);
    let isData = false;
    try {
      isData = await isOutlookDataFile(found.path, chosen.name);
    } catch {
      continue; // reported by the planner with the file's name
    }
    if (isData) files.push(outlookFileInfo(found.path, chosen.name));
  }
  const mine = files.map((f) => ({ ...f, folders: f.folders.filter((x) => x.kind === kind) }));
  const folders = mine.flatMap((f) => f.folders);
  for (const wanted of source.folders ?? []) {
    if (matchFolder(folders, wanted).length) continue;
    const available = folders.map((f) => `"${f.path}"`).join(', ');
    const noun = kind === 'contacts' ? 'contacts' : 'calendar';
    throw new CutoverError({
      code: 'outlook-folder-not-found',
      message: `No ${noun} folder "${wanted}" in the data file. ${available ? `Its ${noun} folders: ${available}.` : `It has no ${noun} folder.`}`,
      retryable: false,
      facts: { wanted, kind, available },
    });
  }
  return mine;
}

/** Export files as given, or everything the CardDAV/CalDAV account sees. */
async function pimSources(ctx: ServiceContext, kind: Kind, source: PimSource): Promise<{ sources: SourceFiles; skipped: SkippedItem[] }> {
  if (source.kind === 'files') return readChosenFiles(source.files, ctx.options.fileRefs, kind);
  ctx.log.secret(source.password);
  ctx.emit({ type: 'pim-file', origin: source.url });
  const dav = await readDavCollection({ url: source.url, user: source.user, password: source.password, kind: kind === 'contacts' ? 'carddav' : 'caldav' });
  return { sources: dav.sources, skipped: dav.skipped };
}

/**
 * The planners' options: the chosen folders of an Outlook data file, and what is being read, told
 * to every listener (a large data file's items at most a few times a second).
 */
function readOptions(ctx: ServiceContext, source: PimSource, signal?: AbortSignal) {
  let last = 0;
  const onProgress = (p: { origin: string; done: number; total: number }): void => {
    const now = Date.now();
    if (now - last < 250 && p.done !== p.total) return;
    last = now;
    ctx.emit({ type: 'pim-progress', stage: 'reading', origin: p.origin, done: p.done, total: p.total });
  };
  return {
    ...(source.kind === 'files' && source.folders ? { outlookFolders: source.folders } : {}),
    ...(signal ? { signal } : {}),
    onFile: (origin: string) => ctx.emit({ type: 'pim-file', origin }),
    onProgress,
  };
}

/** How many items and notes a preview names, so the person recognises their data without a long list. */
const SAMPLES = 5;

function samplesOf(items: { graph: Record<string, unknown>; warnings: string[] }[], sample: (graph: Record<string, unknown>) => { title: string; detail: string | null }) {
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
