import type { SeedMessage } from '../harness/mailbox.js';

/**
 * A mailbox as a person has one, for walking the wizard and for the README's screenshots: a few
 * hundred messages in several folders, real-looking senders, subjects and dates over three years,
 * mostly small text mail, some with attachments of a few MB, and one with a 6 MB attachment (more
 * than a 5 MB new mailbox accepts). Deterministic: the same call gives the same bytes.
 */

/** Folders and how many messages each holds. */
export const REALISTIC_FOLDERS: Record<string, number> = {
  INBOX: 148,
  Sent: 86,
  'Archive/2023': 64,
  'Clients/Acme': 38,
  'Clients/Globex': 22,
  Invoices: 27,
  Family: 16,
  Newsletters: 41,
};

/** Messages with an attachment of this many MB (folder, index in folder). The 6 MB one is refused by a 5 MB mailbox. */
const ATTACHMENTS: { folder: string; index: number; mb: number; name: string; subject: string }[] = [
  { folder: 'INBOX', index: 5, mb: 2.4, name: 'site-photos.zip', subject: 'Photos from the building site' },
  { folder: 'INBOX', index: 40, mb: 1.2, name: 'contract-signed.pdf', subject: 'Signed contract' },
  { folder: 'Clients/Acme', index: 3, mb: 3.6, name: 'acme-brand-guide.pdf', subject: 'Acme: brand guidelines' },
  { folder: 'Family', index: 2, mb: 6.2, name: 'holiday-video.mp4', subject: 'Our holiday video' },
  { folder: 'Archive/2023', index: 10, mb: 1.8, name: 'tax-return-2023.pdf', subject: 'Tax return 2023' },
  { folder: 'Sent', index: 12, mb: 2.9, name: 'presentation.pptx', subject: 'Slides for Monday' },
];

export const REALISTIC_TOTAL = Object.values(REALISTIC_FOLDERS).reduce((a, b) => a + b, 0);

const PEOPLE = ['Maria García <maria@garcia.example>', 'Tom Becker <tom.becker@acme.example>', 'Priya Natarajan <priya@globex.example>', 'Jonas Weber <jonas@weber-family.example>', 'Accounts <billing@hosting.example>', 'Lena Novak <lena.novak@studio.example>', 'Sam Okafor <sam@okafor.example>', 'The Weekly Digest <news@digest.example>'];
const SUBJECTS: Record<string, string[]> = {
  INBOX: ['Lunch on Thursday?', 'Re: Quote for the new website', 'Your parcel is on its way', 'Photos from Saturday', 'Meeting notes', 'Can you call me back?', 'Re: Re: Flat viewing', 'Question about the invoice'],
  Sent: ['Re: Lunch on Thursday?', 'Quote for the new website', 'Signed contract attached', 'Re: Meeting notes', 'Directions to the office'],
  'Archive/2023': ['Tax documents 2023', 'Re: Insurance renewal', 'Booking confirmation', 'Old project files'],
  'Clients/Acme': ['Acme: brand guidelines', 'Re: Acme launch plan', 'Acme weekly status', 'Feedback on the mock-ups'],
  'Clients/Globex': ['Globex: statement of work', 'Re: Globex kickoff', 'Globex timeline update'],
  Invoices: ['Invoice 2024-031', 'Your receipt from Hosting', 'Payment reminder', 'Invoice paid, thank you'],
  Family: ['Holiday video', 'Grandma’s birthday', 'Re: Christmas plans', 'School pick-up'],
  Newsletters: ['This week in design', 'Your monthly summary', 'New features you might like', 'Weekend reading'],
};

/** A small deterministic generator, so every run seeds the same mailbox. */
function numbers(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function base64Lines(bytes: number, fill: number): string {
  const line = Buffer.alloc(57, fill).toString('base64');
  return Array.from({ length: Math.ceil(bytes / 57) }, () => line).join('\r\n');
}

function message(folder: string, i: number, random: () => number): SeedMessage {
  const from = folder === 'Sent' ? 'Anna Schmidt <anna@old.example>' : PEOPLE[Math.floor(random() * PEOPLE.length)]!;
  const to = folder === 'Sent' ? PEOPLE[Math.floor(random() * PEOPLE.length)]! : 'Anna Schmidt <anna@old.example>';
  const subjects = SUBJECTS[folder] ?? SUBJECTS.INBOX!;
  const attachment = ATTACHMENTS.find((a) => a.folder === folder && a.index === i);
  const subject = attachment?.subject ?? subjects[i % subjects.length]!;
  const date = new Date(Date.UTC(2022, 0, 1) + Math.floor(random() * 3 * 365 * 86_400_000));
  const id = `<${folder.replace(/\W/g, '')}.${i}@old.example>`;
  const words = 'Thanks for your message. I had a look at it this morning and I think we can go ahead as discussed. Let me know if anything changes on your side. '.repeat(2 + Math.floor(random() * 30));
  const head = [`From: ${from}`, `To: ${to}`, `Subject: ${subject}`, `Date: ${date.toUTCString().replace('GMT', '+0000')}`, `Message-ID: ${id}`, 'MIME-Version: 1.0'];
  const raw = attachment
    ? [
        ...head,
        'Content-Type: multipart/mixed; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain; charset=utf-8',
        '',
        words,
        '--b1',
        `Content-Type: application/octet-stream; name="${attachment.name}"`,
        'Content-Transfer-Encoding: base64',
        `Content-Disposition: attachment; filename="${attachment.name}"`,
        '',
        base64Lines(Math.round((attachment.mb * 1_048_576 * 3) / 4), i % 251),
        '--b1--',
        '',
      ]
    : [...head, 'Content-Type: text/plain; charset=utf-8', '', words, ''];
  const flags = random() < 0.8 ? ['\\Seen'] : random() < 0.5 ? ['\\Flagged'] : [];
  return { folder, raw: raw.join('\r\n'), flags, date };
}

/** The folders to create (children after parents, written with "/") and every message, in a fixed order (folders written with the server's delimiter). */
export function realisticMailbox(delimiter = '.'): { folders: string[]; messages: SeedMessage[] } {
  const random = numbers(42);
  const folders = ['Archive', 'Clients', ...Object.keys(REALISTIC_FOLDERS).filter((f) => f !== 'INBOX' && f !== 'Sent'), 'Sent'];
  const messages = Object.entries(REALISTIC_FOLDERS).flatMap(([folder, n]) => Array.from({ length: n }, (_, i) => ({ ...message(folder, i, random), folder: folder.replace('/', delimiter) })));
  return { folders, messages };
}
