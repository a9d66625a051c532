import type { SpecialFolder } from '../../../shared/folder-mapping.js';

/**
 * Names mail systems give their special folders, lower-cased, in English, German, French, Spanish,
 * Italian (plus common Dutch/Portuguese spellings). Used only when the server sends no SPECIAL-USE.
 */
export const WELL_KNOWN_NAMES: Record<Exclude<SpecialFolder, 'inbox'>, readonly string[]> = {
  sent: [
    'sent', 'sent items', 'sent messages', 'sent mail', 'sent-mail', 'outbox sent',
    'gesendet', 'gesendete elemente', 'gesendete objekte', 'gesendete nachrichten',
    'envoyés', 'envoyes', 'éléments envoyés', 'elements envoyes', 'messages envoyés', 'mails envoyés',
    'enviados', 'elementos enviados', 'correo enviado', 'mensajes enviados',
    'inviati', 'posta inviata', 'elementi inviati', 'messaggi inviati',
    'verzonden', 'verzonden items', 'itens enviados',
  ],
  drafts: ['drafts', 'draft', 'entwürfe', 'entwuerfe', 'brouillons', 'borradores', 'bozze', 'concepten', 'rascunhos'],
  trash: [
    'trash', 'deleted', 'deleted items', 'deleted messages', 'bin', 'rubbish',
    'papierkorb', 'gelöschte elemente', 'gelöschte objekte', 'gelöscht',
    'corbeille', 'éléments supprimés', 'elements supprimes', 'messages supprimés',
    'papelera', 'elementos eliminados', 'eliminados', 'cestino', 'posta eliminata', 'elementi eliminati',
    'prullenbak', 'verwijderde items', 'lixeira', 'itens excluídos',
  ],
  junk: [
    'junk', 'spam', 'junk email', 'junk e-mail', 'junk mail', 'bulk mail', 'junk-e-mail',
    'spamverdacht', 'werbung', 'unerwünscht',
    'courrier indésirable', 'courrier indesirable', 'indésirables', 'pourriel',
    'correo no deseado', 'no deseado', 'posta indesiderata', 'indesiderata',
    'ongewenste e-mail', 'lixo eletrônico',
  ],
  archive: ['archive', 'archives', 'archiv', 'archivo', 'archivio', 'archief', 'arquivo'],
};

const BY_NAME = new Map<string, Exclude<SpecialFolder, 'inbox'>>();
for (const [kind, names] of Object.entries(WELL_KNOWN_NAMES) as [Exclude<SpecialFolder, 'inbox'>, readonly string[]][]) {
  for (const name of names) BY_NAME.set(name, kind);
}

export function specialFromName(leafName: string): Exclude<SpecialFolder, 'inbox'> | null {
  return BY_NAME.get(leafName.trim().toLowerCase()) ?? null;
}

const BY_ATTRIBUTE: Record<string, Exclude<SpecialFolder, 'inbox'>> = {
  '\\sent': 'sent',
  '\\drafts': 'drafts',
  '\\trash': 'trash',
  '\\junk': 'junk',
  '\\archive': 'archive',
};

export function specialFromAttribute(attribute: string | null): Exclude<SpecialFolder, 'inbox'> | null {
  return attribute ? (BY_ATTRIBUTE[attribute.toLowerCase()] ?? null) : null;
}

/** Name used when the target has no folder of that kind yet. */
export const DEFAULT_TARGET_NAMES: Record<Exclude<SpecialFolder, 'inbox'>, string> = {
  sent: 'Sent',
  drafts: 'Drafts',
  trash: 'Trash',
  junk: 'Junk',
  archive: 'Archive',
};
