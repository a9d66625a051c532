import { describe, expect, it } from 'vitest';
import { NO_RULES } from '../../src/shared/folder-mapping.js';
import { planFolders } from '../../src/main/engine/mail/folder-plan.js';
import type { ListedFolder, MailboxLayout } from '../../src/main/engine/mail/mailbox-layout.js';

const folder = (path: string, delimiter = '.', specialUse: string | null = null, flags: string[] = []): ListedFolder => ({ path, delimiter, specialUse, flags: new Set(flags) });
const layout = (folders: ListedFolder[], delimiter = '.', prefix = ''): MailboxLayout => ({ folders, delimiter, prefix });

describe('planning where each folder goes', () => {
  it('prefers SPECIAL-USE over names on both sides', () => {
    const source = layout([folder('INBOX'), folder('Sent'), folder('Outgoing', '.', '\\Sent')]);
    const target = layout([folder('INBOX', '/'), folder('Sent Items', '/', '\\Sent')], '/');
    const plan = planFolders(source, target, NO_RULES);
    expect(plan.find((m) => m.source === 'Outgoing')).toMatchObject({ target: 'Sent Items', reason: 'special-use', special: 'sent', targetExists: true });
    // The name "Sent" no longer claims the special role, so it stays a folder of its own.
    expect(plan.find((m) => m.source === 'Sent')).toMatchObject({ target: 'Sent', reason: 'same-name' });
  });

  it.each([
    ['Éléments envoyés', 'sent'],
    ['Elementos enviados', 'sent'],
    ['Posta inviata', 'sent'],
    ['Corbeille', 'trash'],
    ['Papelera', 'trash'],
    ['Cestino', 'trash'],
    ['Brouillons', 'drafts'],
    ['Borradores', 'drafts'],
    ['Bozze', 'drafts'],
    ['Courrier indésirable', 'junk'],
    ['Correo no deseado', 'junk'],
    ['Posta indesiderata', 'junk'],
    ['Archivio', 'archive'],
    ['Deleted Messages', 'trash'],
    ['Sent Messages', 'sent'],
  ])('recognises "%s" as the %s folder', (name, special) => {
    const plan = planFolders(layout([folder('INBOX'), folder(name)]), layout([folder('INBOX')]), NO_RULES);
    expect(plan.find((m) => m.source === name)?.special).toBe(special);
  });

  it('moves children of a special folder under the target special folder and translates delimiters', () => {
    const source = layout([folder('INBOX'), folder('Sent'), folder('Sent.2019'), folder('a/b')]);
    const target = layout([folder('INBOX', '/'), folder('Sent Items', '/', '\\Sent')], '/');
    const plan = planFolders(source, target, NO_RULES);
    expect(plan.find((m) => m.source === 'Sent.2019')).toMatchObject({ target: 'Sent Items/2019', reason: 'inside-mapped-parent' });
    // A '/' inside a name cannot survive on a '/' server: it becomes '-'.
    expect(plan.find((m) => m.source === 'a/b')?.target).toBe('a-b');
  });

  it('handles servers that keep every folder below INBOX (Courier-style "INBOX." prefix)', () => {
    const source = layout([folder('INBOX'), folder('INBOX.Sent'), folder('INBOX.Clients'), folder('INBOX.Clients.Acme')], '.', 'INBOX.');
    const target = layout([folder('INBOX', '/')], '/');
    const plan = planFolders(source, target, NO_RULES);
    expect(plan.find((m) => m.source === 'INBOX.Clients.Acme')?.target).toBe('Clients/Acme');
    expect(plan.find((m) => m.source === 'INBOX.Sent')).toMatchObject({ special: 'sent', target: 'Sent' });
    const back = planFolders(layout([folder('INBOX', '/'), folder('Clients', '/')], '/'), source, NO_RULES);
    expect(back.find((m) => m.source === 'Clients')?.target).toBe('INBOX.Clients');
  });

  it('marks non-selectable folders, renames reserved target names and applies user rules', () => {
    const source = layout([folder('INBOX'), folder('Files'), folder('Projects', '.', null, ['\\Noselect']), folder('Projects.X'), folder('Junk Mail'), folder('Tmp'), folder('Tmp.Sub')]);
    const target = { ...layout([folder('INBOX')]), reservedNames: ['Files'] };
    const plan = planFolders(source, target, { exclude: ['Tmp'], rename: { 'Junk Mail': 'Old/Junk' } });
    const by = Object.fromEntries(plan.map((m) => [m.source, m]));
    expect(by.Files?.target).toBe('Files (old mailbox)');
    expect(by.Projects).toMatchObject({ selectable: false, reason: 'not-selectable' });
    expect(by['Projects.X']?.target).toBe('Projects.X');
    expect(by['Junk Mail']).toMatchObject({ target: 'Old.Junk', reason: 'user-rename' });
    expect(by.Tmp?.target).toBeNull();
    expect(by['Tmp.Sub']).toMatchObject({ target: null, reason: 'user-excluded' });
  });
});
