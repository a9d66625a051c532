import { findIana } from 'windows-iana';
import { isCutoverError } from '../../../shared/errors.js';
import type { GraphClient } from '../graph/graph-client.js';

/**
 * The time zone all-day events and floating times are placed in: the mailbox's own, from its settings
 * (GET /me/mailboxSettings → timeZone, a Windows name such as "W. Europe Standard Time" or an IANA
 * name; https://learn.microsoft.com/en-us/graph/api/user-get-mailboxsettings, permission
 * MailboxSettings.Read), as an IANA name. When it cannot be read or named, this computer's zone, with
 * a warning saying so: the copy goes on.
 */
export async function mailboxTimeZone(graph: GraphClient, computerZone: string): Promise<{ zone: string; warning: string | null; detail?: string }> {
  let setting: unknown;
  try {
    setting = (await graph.get<{ timeZone?: unknown }>('/me/mailboxSettings?$select=timeZone')).timeZone;
  } catch (err) {
    // Graph's own words go to `detail` (for the log); the warning a person reads states the fact.
    const detail = isCutoverError(err) ? (err.detail ?? err.code) : String(err);
    return { zone: computerZone, warning: `The mailbox's time zone could not be read; all-day events and times without a zone were placed in this computer's zone, ${computerZone}.`, detail };
  }
  const zone = typeof setting === 'string' ? ianaZone(setting) : null;
  if (zone) return { zone, warning: null };
  return { zone: computerZone, warning: `The mailbox's time zone ${JSON.stringify(setting ?? null)} is not a known zone; all-day events and times without a zone were placed in this computer's zone, ${computerZone}.` };
}

function ianaZone(name: string): string | null {
  if (name === 'UTC' || name === 'tzone://Microsoft/Utc') return 'UTC';
  const fromWindows = findIana(name)?.[0];
  if (fromWindows) return fromWindows;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name;
  } catch {
    return null;
  }
}
