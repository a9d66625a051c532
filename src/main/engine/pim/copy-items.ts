import { CutoverError } from '../../../shared/errors.js';
import type { GraphBody, PimCopySummary, SourceRef } from '../../../shared/pim-types.js';
import type { BatchResponse, GraphClient } from '../graph/graph-client.js';
import type { PimState, PimKind } from '../state/pim-state.js';
import type { StateStore } from '../state/state-store.js';
import { MailSafeGraph, MEETING_LEFT_ALONE, MeetingLeftAlone } from './mail-safe-graph.js';
import { findContainer, findOwnedAnywhere, listOwned, type OwnedItem } from './owned-items.js';
import { CONTENT_KEY_PROPERTY, matchReexported } from './source-identity.js';

export { findContainer, listOwned, type OwnedItem } from './owned-items.js';

export interface CopyableItem {
  key: string;
  /** Hash of the normalized content (see source-identity.ts): finds an earlier copy under another key. */
  contentKey: string;
  hash: string;
  source: SourceRef;
  graph: GraphBody;
}

export interface ItemKindSpec<T extends CopyableItem> {
  kind: PimKind;
  /** Where containers of this kind are listed and created. */
  containers: '/me/contactFolders' | '/me/calendars';
  /** Collection of the container: '/me/contactFolders/{id}/contacts' or '/me/calendars/{id}/events'. */
  collection: (containerId: string) => string;
  item: (id: string) => string;
  /** Extended properties read back with each item Cutover created (besides its source identity). */
  extraProperties?: string[];
  /**
   * The POST body: the planned body plus what only the copy knows (an event's transactionId names
   * the target calendar). `nonce` is the intent's create nonce (null for the first create of the
   * item; see PimState.renewNonce and `duplicateCode`).
   */
  createBody: (item: T, containerId: string, nonce: string | null) => GraphBody;
  /** What PATCH sends when the source changed: creation-only fields removed, absent fields cleared. */
  patchBody: (item: T) => GraphBody;
  /** Work after the item exists (photo, attachments, cancelled/changed occurrences); returns problems. */
  afterWrite: (graph: MailSafeGraph, id: string, item: T, existing: OwnedItem | null) => Promise<string[]>;
  /** Graph's error code for a create refused because its idempotency key was used before. */
  duplicateCode?: string;
}

export interface CopyProgress {
  done: number;
  total: number;
}

/** Stored instead of the content hash when an item's after-work failed, so the next run does it again. */
const INCOMPLETE = '~incomplete';

export interface CopyRequest {
  graph: GraphClient;
  /** The process's state database (the service owns it): the items Cutover created are mirrored there. */
  state: StateStore;
  mailbox: string;
  folderName?: string | null;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number }) => void;
}

/**
 * One click: every planned item into one container, by default a new one named after the source
 * so nothing mixes with what the mailbox already has. Every request goes through the mail-safe guard.
 */
export async function copyIntoContainer<T extends CopyableItem>(
  req: CopyRequest,
  spec: ItemKindSpec<T>,
  defaultName: string,
  items: T[],
  report: Pick<PimCopySummary, 'skipped' | 'groups' | 'warnings'>,
): Promise<PimCopySummary> {
  const graph = new MailSafeGraph(req.graph);
  const folder = req.folderName ?? defaultName;
  const summary: PimCopySummary = { folder, created: 0, updated: 0, unchanged: 0, failed: [], ...report, skipped: [...report.skipped] };
  const containerId = await ensureContainer(graph, spec.containers, folder);
  await copyItems(graph, req.state.pim, req.mailbox, spec, containerId, items, summary, {
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
  });
  return summary;
}

interface CopyRun<T extends CopyableItem> {
  graph: MailSafeGraph;
  state: PimState;
  mailbox: string;
  spec: ItemKindSpec<T>;
  containerId: string;
  summary: PimCopySummary;
}

/**
 * Creates or updates items in one container, idempotently. Every created item carries its source
 * identity in an extended property, mirrored in SQLite; the intent is committed before each POST, and
 * on a rerun the container is listed by that property first, so an interrupted copy never creates
 * a duplicate and an unchanged item is not touched.
 */
export async function copyItems<T extends CopyableItem>(
  graph: MailSafeGraph,
  state: PimState,
  mailbox: string,
  spec: ItemKindSpec<T>,
  containerId: string,
  items: T[],
  summary: PimCopySummary,
  options: { signal?: AbortSignal; onProgress?: (p: CopyProgress) => void } = {},
): Promise<void> {
  const run: CopyRun<T> = { graph, state, mailbox, spec, containerId, summary };
  const onTarget = await listOwned(graph, spec.collection(containerId), [...(spec.extraProperties ?? []), CONTENT_KEY_PROPERTY]);
  const rows = state.rows(mailbox, spec.kind);
  adoptEarlierCopies(run, items, onTarget, rows);
  const toCreate: T[] = [];
  let done = 0;
  const progress = (): void => options.onProgress?.({ done, total: items.length });
  for (const item of items) {
    throwIfCancelled(options.signal);
    const existing = onTarget.get(item.key);
    const row = rows.get(item.key);
    if (!existing) {
      if (row?.state === 'done') {
        summary.skipped.push({ source: item.source, reason: 'deleted in Microsoft 365 after it was copied; not created again' });
        done++;
      } else toCreate.push(item);
      continue;
    }
    try {
      if (row?.state === 'pending' && row.contentHash === item.hash) {
        // Created by a run whose answer never came (a lost $batch answer, or killed right after the
        // POST): its after-work never ran. Repeating it is safe: attachments are stamped, cancelled
        // and changed occurrences are looked up first.
        await finish(run, existing.id, item, existing);
        summary.created++;
      } else if (row && row.contentHash === item.hash) {
        summary.unchanged++;
      } else {
        await graph.patch(spec.item(existing.id), spec.patchBody(item));
        await finish(run, existing.id, item, existing);
        summary.updated++;
      }
    } catch (err) {
      if (err instanceof MeetingLeftAlone) summary.skipped.push({ source: item.source, reason: `not updated: ${err.message}` });
      else summary.failed.push({ source: item.source, reason: reasonOf(err) });
    }
    done++;
    progress();
  }

  // $batch creates, split by the Graph client into calls of at most 20 requests and about 3 MB.
  const groupSize = 100;
  for (let i = 0; i < toCreate.length; i += groupSize) {
    throwIfCancelled(options.signal);
    const group = toCreate.slice(i, i + groupSize);
    // Order matters: the intents are committed before the requests that create the items.
    const nonces = state.recordIntents(mailbox, spec.kind, group.map((g) => ({ sourceKey: g.key, containerId, contentHash: g.hash })));
    const answers = await graph.batch(group.map((g, n) => ({ id: String(n), method: 'POST' as const, url: spec.collection(containerId), body: spec.createBody(g, containerId, nonces.get(g.key) ?? null) })));
    for (const [n, answer] of answers.entries()) {
      await settleCreate(run, group[n]!, answer, false);
      done++;
      if (done % 20 === 0) progress();
    }
    progress();
  }
}

/**
 * Items copied earlier under another key: by a Cutover that keyed items by the file's path (before
 * issue 10), or from an export where the item had another UID but the same content. Such a copy is
 * taken over under the new key (the loop then PATCHes it, which stamps the new key on it) instead of
 * a second copy being created next to it.
 */
function adoptEarlierCopies<T extends CopyableItem>(run: CopyRun<T>, items: T[], onTarget: Map<string, OwnedItem>, rows: Map<string, { state: string }>): void {
  const contentKeyProperty = CONTENT_KEY_PROPERTY.toLowerCase();
  const owned = [...onTarget].map(([key, item]) => ({ key, contentKey: item.properties.get(contentKeyProperty) ?? null, id: item.id }));
  for (const [key, earlier] of matchReexported(items, owned)) {
    const item = onTarget.get(earlier.key);
    if (!item) continue;
    onTarget.delete(earlier.key);
    onTarget.set(key, item);
    // The earlier key's row must not make a later run think that item was deleted by the user.
    run.state.forget(run.mailbox, run.spec.kind, earlier.key);
    rows.delete(earlier.key);
  }
}

/** Records a create's answer: done, left for the next run to check, refused, or a duplicate to resolve. */
async function settleCreate<T extends CopyableItem>(run: CopyRun<T>, item: T, answer: BatchResponse, renewed: boolean): Promise<void> {
  const { state, mailbox, spec, summary } = run;
  const id = (answer.body as { id?: unknown } | null)?.id;
  if (answer.status >= 200 && answer.status < 300 && typeof id === 'string') {
    summary.created++;
    await finish(run, id, item, null);
  } else if (spec.duplicateCode && graphCode(answer.body) === spec.duplicateCode && !renewed) {
    await resolveDuplicate(run, item);
  } else if (answer.status >= 500 || answer.status === 429) {
    // It may exist anyway: leave the intent; the next run looks before it sends again.
    summary.failed.push({ source: item.source, reason: `Microsoft Graph answered ${answer.status}; the next run checks whether it was created` });
  } else {
    state.forget(mailbox, spec.kind, item.key);
    summary.failed.push({ source: item.source, reason: `Microsoft Graph refused it (${answer.status}): ${graphMessage(answer.body)}` });
  }
}

/**
 * Graph refused the create because its key (an event's transactionId) was used before: by this item
 * itself (created earlier, perhaps since moved to another container, or by another computer) or by
 * one deleted since (an undo whose record is gone). Look for it by its source identity; where it
 * exists, that is the copy; where it does not, create it once with a new random nonce, kept with
 * the intent so a resend reuses it.
 */
async function resolveDuplicate<T extends CopyableItem>(run: CopyRun<T>, item: T): Promise<void> {
  const { graph, state, mailbox, spec, containerId, summary } = run;
  try {
    const found = await findOwnedAnywhere(graph, spec.containers, spec.collection, item.key, spec.extraProperties);
    if (found) {
      // The copy exists (where the user put it); bring it up to date rather than create another.
      state.markDone(mailbox, spec.kind, item.key, found.containerId, found.item.id, `${item.hash}${INCOMPLETE}`);
      await graph.patch(spec.item(found.item.id), spec.patchBody(item));
      await finish({ ...run, containerId: found.containerId }, found.item.id, item, found.item);
      summary.updated++;
      return;
    }
    // Order matters: the new nonce is committed before the POST that uses it.
    const nonce = state.renewNonce(mailbox, spec.kind, item.key);
    const created = await graph.post<{ id?: unknown }>(spec.collection(containerId), spec.createBody(item, containerId, nonce)).then(
      (body) => ({ id: 'retry', status: 201, body, headers: {} }),
      (err: unknown) => answerOf(err),
    );
    await settleCreate(run, item, created, true);
  } catch (err) {
    if (err instanceof MeetingLeftAlone) summary.skipped.push({ source: item.source, reason: `not updated: ${err.message}` });
    else summary.failed.push({ source: item.source, reason: reasonOf(err) });
  }
}

/** The after-work of a created or updated item; an incomplete one is done again by the next run. */
async function finish<T extends CopyableItem>(run: CopyRun<T>, id: string, item: T, existing: OwnedItem | null): Promise<void> {
  const { graph, state, mailbox, spec, containerId, summary } = run;
  // Order matters: the item's id is recorded, marked incomplete, before any request about it, so a
  // run killed during the after-work (or one whose answers are lost) leaves it to be done again.
  state.markDone(mailbox, spec.kind, item.key, containerId, id, `${item.hash}${INCOMPLETE}`);
  let problems: string[];
  try {
    problems = await spec.afterWrite(graph, id, item, existing);
  } catch (err) {
    problems = [reasonOf(err)];
  }
  for (const p of problems) summary.failed.push({ source: item.source, reason: p });
  state.markDone(mailbox, spec.kind, item.key, containerId, id, problems.length ? `${item.hash}${INCOMPLETE}` : item.hash);
}

/** A failed single request as a batch answer, so both paths are settled the same way. */
function answerOf(err: unknown): BatchResponse {
  const cause = err instanceof CutoverError ? err.cause : err;
  const c = cause as { statusCode?: unknown; code?: unknown; message?: unknown } | undefined;
  const status = typeof c?.statusCode === 'number' ? c.statusCode : 503;
  return { id: 'retry', status, headers: {}, body: { error: { code: typeof c?.code === 'string' ? c.code : '', message: err instanceof Error ? err.message : String(err) } } };
}

function graphCode(body: unknown): string {
  return (body as { error?: { code?: string } } | null)?.error?.code ?? '';
}

function graphMessage(body: unknown): string {
  const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
  return e ? `${e.code ?? ''} ${e.message ?? ''}`.trim() : 'no reason given';
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CutoverError({ code: 'cancelled', message: 'The copy was cancelled.', retryable: false });
}

/** Whether a batch answer is the guard's "left alone: it is a meeting now". */
export function isMeetingLeftAlone(answer: BatchResponse): boolean {
  return graphCode(answer.body) === MEETING_LEFT_ALONE;
}

/** Finds a container by name, creating it when missing. */
export async function ensureContainer(graph: MailSafeGraph, collection: '/me/contactFolders' | '/me/calendars', name: string): Promise<string> {
  const existing = await findContainer(graph, collection, name);
  if (existing) return existing;
  const field = collection === '/me/calendars' ? 'name' : 'displayName';
  const created = await graph.post<{ id: string }>(collection, { [field]: name });
  return created.id;
}
