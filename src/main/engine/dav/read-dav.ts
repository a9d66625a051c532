import { createDAVClient } from 'tsdav';
import { CutoverError } from '../../../shared/errors.js';
import type { SkippedItem } from '../../../shared/pim-types.js';
import { sourceFromText, type SourceBytes } from '../pim/read-source-files.js';

export interface DavRequest {
  /** Server, principal or collection URL; the address books / calendars are discovered from it. */
  url: string;
  user: string;
  password: string;
  kind: 'carddav' | 'caldav';
}

export interface DavSources {
  sources: SourceBytes[];
  skipped: SkippedItem[];
}

/**
 * Reads every address book (CardDAV) or calendar (CalDAV) the account can see, the way the old
 * host offers them. Each collection becomes one source, named by its URL, so items keep a stable
 * identity between runs.
 */
export async function readDavCollection(req: DavRequest): Promise<DavSources> {
  let client: Awaited<ReturnType<typeof createDAVClient>>;
  try {
    client = await createDAVClient({
      serverUrl: req.url,
      credentials: { username: req.user, password: req.password },
      authMethod: 'Basic',
      defaultAccountType: req.kind,
    });
  } catch (err) {
    throw davError(req, err);
  }
  const sources: SourceBytes[] = [];
  const skipped: SkippedItem[] = [];
  try {
    if (req.kind === 'carddav') {
      const books = await client.fetchAddressBooks();
      if (books.length === 0) throw new Error('no address book found');
      for (const book of books) {
        const cards = await client.fetchVCards({ addressBook: book });
        const texts = cards.map((c) => (typeof c.data === 'string' ? c.data : '')).filter(Boolean);
        sources.push(sourceFromText(book.url, texts.join('\r\n')));
      }
    } else {
      const calendars = await client.fetchCalendars();
      if (calendars.length === 0) throw new Error('no calendar found');
      for (const cal of calendars) {
        const objects = await client.fetchCalendarObjects({ calendar: cal });
        for (const o of objects) {
          if (typeof o.data === 'string' && o.data) sources.push(sourceFromText(cal.url, o.data));
          else skipped.push({ source: { file: o.url, uid: '' }, reason: 'the server returned no calendar data for this item' });
        }
      }
    }
  } catch (err) {
    throw davError(req, err);
  }
  return { sources, skipped };
}

function davError(req: DavRequest, err: unknown): CutoverError {
  const text = (err as Error)?.message ?? String(err);
  const auth = /401|unauthori[sz]ed|invalid credentials/i.test(text);
  return new CutoverError(
    {
      code: auth ? 'auth-failed' : 'server-refused',
      message: auth
        ? `The ${req.kind === 'carddav' ? 'CardDAV' : 'CalDAV'} server ${req.url} refused the user name or password.`
        : `Could not read ${req.kind === 'carddav' ? 'address books' : 'calendars'} from ${req.url}: ${text}`,
      retryable: !auth,
    },
    { cause: err },
  );
}
