import type { MailSafeGraph } from './mail-safe-graph.js';
import { SOURCE_ID_PROPERTY } from './source-identity.js';

/** An item Cutover created, with the extended properties read back with it (ids lower-cased). */
export interface OwnedItem {
  id: string;
  properties: Map<string, string>;
}

type Listed = { id: string; singleValueExtendedProperties?: { id: string; value: string }[] };

function expandFor(extra: string[]): string {
  const filter = [SOURCE_ID_PROPERTY, ...extra].map((p) => `id eq '${p}'`).join(' or ');
  return `$expand=singleValueExtendedProperties($filter=${encodeURIComponent(filter)})`;
}

function owned(i: Listed): { key: string; item: OwnedItem } | null {
  const properties = new Map((i.singleValueExtendedProperties ?? []).map((p) => [p.id.toLowerCase(), p.value]));
  const key = properties.get(SOURCE_ID_PROPERTY.toLowerCase());
  return key ? { key, item: { id: i.id, properties } } : null;
}

/** Items in a container that carry Cutover's source-identity property: source key → the item. */
export async function listOwned(graph: MailSafeGraph, collection: string, extraProperties: string[] = []): Promise<Map<string, OwnedItem>> {
  const items = await graph.getAll<Listed>(`${collection}?$select=id&$top=100&${expandFor(extraProperties)}`);
  const out = new Map<string, OwnedItem>();
  for (const i of items) {
    const o = owned(i);
    if (o) out.set(o.key, o.item);
  }
  return out;
}

/**
 * The item carrying this source identity in any container of the mailbox (a user may have moved it),
 * found with Graph's documented filter on a string extended property
 * (https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get).
 */
export async function findOwnedAnywhere(
  graph: MailSafeGraph,
  containers: '/me/contactFolders' | '/me/calendars',
  collection: (containerId: string) => string,
  key: string,
  extraProperties: string[] = [],
): Promise<{ containerId: string; item: OwnedItem } | null> {
  const filter = encodeURIComponent(`singleValueExtendedProperties/any(ep: ep/id eq '${SOURCE_ID_PROPERTY}' and ep/value eq '${key.replace(/'/g, "''")}')`);
  for (const c of await graph.getAll<{ id: string }>(`${containers}?$select=id&$top=100`)) {
    const found = await graph.getAll<Listed>(`${collection(c.id)}?$filter=${filter}&$select=id&${expandFor(extraProperties)}`);
    for (const i of found) {
      const o = owned(i);
      if (o && o.key === key) return { containerId: c.id, item: o.item };
    }
  }
  return null;
}

export async function findContainer(graph: MailSafeGraph, collection: '/me/contactFolders' | '/me/calendars', name: string): Promise<string | null> {
  const field = collection === '/me/calendars' ? 'name' : 'displayName';
  const filter = encodeURIComponent(`${field} eq '${name.replace(/'/g, "''")}'`);
  const found = await graph.getAll<{ id: string; name?: string; displayName?: string }>(`${collection}?$filter=${filter}`);
  return found.find((f) => (f.name ?? f.displayName) === name)?.id ?? null;
}
