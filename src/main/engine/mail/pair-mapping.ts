import type { FolderMapping, MappingRules } from '../../../shared/folder-mapping.js';
import type { FolderListing } from '../imap/imap-types.js';
import type { PairState } from '../state/pair-state.js';
import { rulesForPair } from './folder-rules.js';
import { planFolders } from './folder-plan.js';
import { layoutOf, type MailboxLayout } from './mailbox-layout.js';

export interface PairMappingInput {
  /** The pair in the state database, when Cutover knows it. */
  pair: { pairs: PairState; pairId: number } | null;
  /** Rules given now (saved with the pair); absent: the pair's saved rules. */
  rules?: MappingRules;
  source: { folders: FolderListing[]; namespace: { prefix: string; delimiter: string } };
  target: { folders: FolderListing[]; namespace: { prefix: string; delimiter: string } };
  targetExtras: Pick<MailboxLayout, 'reservedNames' | 'specialNames'>;
}

/**
 * The folder mapping of a pair as the copy used it: without new rules, each source folder the last
 * copy mapped goes where that copy put it (a renamed folder is compared under its new name, a
 * left-out one stays left out); folders it never saw are mapped by the saved rules.
 */
export function mappingForPair(input: PairMappingInput): FolderMapping[] {
  const rules = input.pair ? rulesForPair(input.pair.pairs, input.pair.pairId, input.rules, input.source.folders) : (input.rules ?? { exclude: [], rename: {} });
  const planned = planFolders(layoutOf(input.source.folders, input.source.namespace), { ...layoutOf(input.target.folders, input.target.namespace), ...input.targetExtras }, rules);
  const saved = input.pair && !input.rules ? input.pair.pairs.mapping(input.pair.pairId) : null;
  if (!saved) return planned;
  const bySource = new Map(saved.map((m) => [m.source, m]));
  const targetPaths = new Set(input.target.folders.map((f) => f.path));
  return planned.map((p) => {
    const used = bySource.get(p.source);
    if (!used) return p;
    const exists = used.target !== null && (targetPaths.has(used.target) || (used.target.toUpperCase() === 'INBOX' && [...targetPaths].some((t) => t.toUpperCase() === 'INBOX')));
    return { ...used, selectable: p.selectable, targetExists: exists };
  });
}
