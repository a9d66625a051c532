import { CutoverError } from '../../../shared/errors.js';
import type { GraphBody, PimCopySummary, SourceRef } from '../../../shared/pim-types.js';
import type { GraphClient } from '../graph/graph-client.js';
import { openDatabase } from '../state/open-database.js';
import { PimState, type PimKind } from '../state/pim-state.js';
import { MailSafeGraph } from './mail-safe-graph.js';
import { SOURCE_ID_PROPERTY } from './source-identity.js';

export interface CopyableItem {
  key: string;
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
  /** What PATCH sends when the source changed (creation-only fields removed). */
  patchBody: (item: T) => GraphBody;
  /** Work after the item exists (photo, attachments, cancelled/changed occurrences); returns problems. */
  afterWrite: (graph: MailSafeGraph, id: string, item: T) => Promise<string[]>;
}

export interface CopyProgress {
  done: number;
  total: number;
}

const BATCH = 20;

export interface CopyRequest {
  graph: GraphClient;
  stateDir: string;
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
  report: Pick<PimCopySummary, 'skipped' | 'groups'>,
): Promise<PimCopySummary> {
  const graph = new MailSafeGraph(req.graph);
  const folder = req.folderName ?? defaultName;
  const summary: PimCopySummary = { folder, created: 0, updated: 0, unchanged: 0, failed: [], ...report, skipped: [...report.skipped] };
  const db = openDatabase(req.stateDir);
  try {
    const containerId = await ensureContainer(graph, spec.containers, folder);
    await copyItems(graph, new PimState(db), req.mailbox, spec, containerId, items, summary, {
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
  } finally {
    db.close();
  }
  return summary;
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
  const onTarget = await listOwned(graph, spec.collection(containerId));
  const rows = state.rows(mailbox, spec.kind);
  const toCreate: T[] = [];
  let done = 0;
  const progress = (): void => options.onProgress?.({ done, total: items.length });
  for (const item of items) {
    if (options.signal?.aborted) throw new CutoverError({ code: 'cancelled', message: 'The copy was cancelled.', retryable: false });
    const remoteId = onTarget.get(item.key);
    const row = rows.get(item.key);
    if (!remoteId) {
      if (row?.state === 'done') {
        summary.skipped.push({ source: item.source, reason: 'deleted in Microsoft 365 after it was copied; not created again' });
        done++;
      } else toCreate.push(item);
      continue;
    }
    try {
      if (row && row.contentHash === item.hash) {
        // Copied before (or by a run that was interrupted right after the POST): nothing to send.
        if (row.state === 'pending') {
          state.markDone(mailbox, spec.kind, item.key, containerId, remoteId, item.hash);
          summary.created++;
        } else summary.unchanged++;
      } else {
        await graph.patch(spec.item(remoteId), spec.patchBody(item));
        const problems = await spec.afterWrite(graph, remoteId, item);
        for (const p of problems) summary.failed.push({ source: item.source, reason: p });
        state.markDone(mailbox, spec.kind, item.key, containerId, remoteId, item.hash);
        summary.updated++;
      }
    } catch (err) {
      summary.failed.push({ source: item.source, reason: reasonOf(err) });
    }
    done++;
    progress();
  }

  for (let i = 0; i < toCreate.length; i += BATCH) {
    if (options.signal?.aborted) throw new CutoverError({ code: 'cancelled', message: 'The copy was cancelled.', retryable: false });
    const group = toCreate.slice(i, i + BATCH);
    // Order matters: the intents are committed before the requests that create the items.
    state.recordIntents(mailbox, spec.kind, group.map((g) => ({ sourceKey: g.key, containerId, contentHash: g.hash })));
    const answers = await graph.batch(group.map((g, n) => ({ id: String(n), method: 'POST' as const, url: spec.collection(containerId), body: g.graph })));
    for (const [n, answer] of answers.entries()) {
      const item = group[n]!;
      const id = (answer.body as { id?: unknown } | null)?.id;
      if (answer.status >= 200 && answer.status < 300 && typeof id === 'string') {
        state.markDone(mailbox, spec.kind, item.key, containerId, id, item.hash);
        summary.created++;
        try {
          for (const p of await spec.afterWrite(graph, id, item)) summary.failed.push({ source: item.source, reason: p });
        } catch (err) {
          summary.failed.push({ source: item.source, reason: reasonOf(err) });
        }
      } else if (answer.status >= 500 || answer.status === 429) {
        // It may exist anyway: leave the intent; the next run looks before it sends again.
        summary.failed.push({ source: item.source, reason: `Microsoft Graph answered ${answer.status}; the next run checks whether it was created` });
      } else {
        state.forget(mailbox, spec.kind, item.key);
        summary.failed.push({ source: item.source, reason: `Microsoft Graph refused it (${answer.status}): ${graphMessage(answer.body)}` });
      }
      done++;
    }
    progress();
  }
}

/** Items in a container that carry Cutover's source-identity property: source key → Graph id. */
export async function listOwned(graph: MailSafeGraph, collection: string): Promise<Map<string, string>> {
  const filter = encodeURIComponent(`id eq '${SOURCE_ID_PROPERTY}'`);
  const items = await graph.getAll<{ id: string; singleValueExtendedProperties?: { id: string; value: string }[] }>(
    `${collection}?$select=id&$top=100&$expand=singleValueExtendedProperties($filter=${filter})`,
  );
  const out = new Map<string, string>();
  for (const i of items) {
    const key = i.singleValueExtendedProperties?.find((p) => p.id.toLowerCase() === SOURCE_ID_PROPERTY.toLowerCase())?.value;
    if (key) out.set(key, i.id);
  }
  return out;
}

function graphMessage(body: unknown): string {
  const e = (body as { error?: { code?: string; message?: string } } | null)?.error;
  return e ? `${e.code ?? ''} ${e.message ?? ''}`.trim() : 'no reason given';
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Finds a container by name, creating it when missing. */
export async function ensureContainer(graph: MailSafeGraph, collection: '/me/contactFolders' | '/me/calendars', name: string): Promise<string> {
  const existing = await findContainer(graph, collection, name);
  if (existing) return existing;
  const field = collection === '/me/calendars' ? 'name' : 'displayName';
  const created = await graph.post<{ id: string }>(collection, { [field]: name });
  return created.id;
}

export async function findContainer(graph: MailSafeGraph, collection: '/me/contactFolders' | '/me/calendars', name: string): Promise<string | null> {
  const field = collection === '/me/calendars' ? 'name' : 'displayName';
  const filter = encodeURIComponent(`${field} eq '${name.replace(/'/g, "''")}'`);
  const found = await graph.getAll<{ id: string; name?: string; displayName?: string }>(`${collection}?$filter=${filter}`);
  return found.find((f) => (f.name ?? f.displayName) === name)?.id ?? null;
}
