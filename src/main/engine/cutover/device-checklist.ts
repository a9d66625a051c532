import type { ChecklistSection } from '../../../shared/cutover-day-types.js';

/**
 * Outlook and phones after the switch: add the new account, then take the old one off each device
 * without losing anything. Ids are stable (the wizard remembers ticked ones by id): reword an item
 * freely, but never reuse an id for a different step. Menu names are the apps' own, as of 2026.
 */
export function deviceChecklist(address: string | null): ChecklistSection[] {
  const you = address ?? 'your new address';
  return [
    {
      id: 'before',
      title: 'Before you remove anything',
      items: [
        {
          id: 'before.settled',
          title: 'Wait until the move has settled',
          steps: [
            'The DNS check shows the MX record switched on every server asked.',
            'The comparison shows nothing missing in the new mailbox.',
            'Removing an account from a device changes nothing on any mail server: the old mailbox and the new one keep everything.',
          ],
        },
      ],
    },
    {
      id: 'new-outlook',
      title: 'New Outlook for Windows, and Outlook for Mac',
      items: [
        { id: 'new-outlook.add', title: `Add ${you}`, steps: ['Settings (the gear) > Accounts > Email accounts > Add account.', `Enter ${you}, choose Continue and sign in with the Microsoft 365 account.`] },
        {
          id: 'new-outlook.remove-old',
          title: 'Remove the old account',
          steps: ['Settings > Accounts > Email accounts, then Manage next to the old account, then Remove.', 'This removes it from Outlook on this computer only; its mail stays on the old server.'],
        },
      ],
    },
    {
      id: 'classic-outlook',
      title: 'Classic Outlook for Windows (Outlook 2016 to 2024, Microsoft 365 Apps)',
      items: [
        { id: 'classic-outlook.add', title: `Add ${you}`, steps: ['File > Add Account.', `Enter ${you}, choose Connect and sign in. Restart Outlook when it asks.`] },
        {
          id: 'classic-outlook.keep-pst',
          title: 'Keep the old data file, if there is one',
          steps: [
            'File > Account Settings > Account Settings > Data Files shows where each account keeps its mail.',
            'A POP account keeps its mail only in its .pst file on this computer: note where it is. Removing the account leaves the file on disk; File > Open & Export > Open Outlook Data File opens it again.',
            'An IMAP account keeps only a copy (.ost); its mail stays on the old server.',
          ],
        },
        { id: 'classic-outlook.default', title: 'Make the new account the default', steps: ['File > Account Settings > Account Settings, select the new account, then Set as Default.'] },
        { id: 'classic-outlook.remove-old', title: 'Remove the old account', steps: ['File > Account Settings > Account Settings, Email tab: select the old account, then Remove.'] },
      ],
    },
    {
      id: 'outlook-mobile',
      title: 'Outlook app on iPhone, iPad and Android',
      items: [
        { id: 'outlook-mobile.add', title: `Add ${you}`, steps: ['Tap your profile picture > Settings (the gear) > Add Mail Account > Add an Email Account.', `Enter ${you} and sign in.`] },
        { id: 'outlook-mobile.remove-old', title: 'Remove the old account', steps: ['Settings, tap the old account, then Delete Account at the bottom.', 'This removes it from the phone only.'] },
      ],
    },
    {
      id: 'ios-mail',
      title: 'Mail on iPhone and iPad',
      items: [
        {
          id: 'ios-mail.add',
          title: `Add ${you}`,
          steps: ['Settings > Apps > Mail > Mail Accounts (on iOS 17 and older: Settings > Mail > Accounts) > Add Account > Microsoft Exchange.', `Enter ${you}, choose Sign In, and choose what to keep in step (mail, contacts, calendars).`],
        },
        { id: 'ios-mail.remove-old', title: 'Remove the old account', steps: ['In the same Mail Accounts list, tap the old account, then Delete Account.', 'This removes it from the device only.'] },
      ],
    },
    {
      id: 'android-mail',
      title: 'Gmail or Samsung Email on Android',
      items: [
        { id: 'android-mail.add', title: `Add ${you}`, steps: ['Gmail: tap your profile picture > Add another account > Exchange and Microsoft 365 (Samsung Email: Settings > Add account > Microsoft Exchange ActiveSync).', `Enter ${you} and sign in.`] },
        { id: 'android-mail.remove-old', title: 'Remove the old account', steps: ['Gmail: profile picture > Manage accounts on this device, select the old account, then Remove account.', 'This removes it from the phone only.'] },
      ],
    },
  ];
}

/** Every item id, for validating what the wizard remembers. */
export function checklistIds(): string[] {
  return deviceChecklist(null).flatMap((s) => s.items.map((i) => i.id));
}
