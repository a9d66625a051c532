// Run by pim-hostile-input.test.ts in a child process of its own, so its peak memory is its own:
// plans one file from disk and prints what it found and the peak resident set size, as JSON.
import { planCalendar } from '../../src/main/engine/calendar/plan-calendar.js';
import { planContacts } from '../../src/main/engine/contacts/plan-contacts.js';
import { readSourceFiles } from '../../src/main/engine/pim/read-source-files.js';

const [kind, path] = process.argv.slice(2);
const baselineRss = process.memoryUsage().rss;
const plan = kind === 'contacts' ? await planContacts(readSourceFiles([path!])) : await planCalendar(readSourceFiles([path!]), 'Europe/Berlin', { now: new Date('2025-06-01T00:00:00Z') });
process.stdout.write(`${JSON.stringify({ items: plan.items.length, skipped: plan.skipped.length, baselineRss, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`);
