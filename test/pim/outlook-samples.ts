import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** pst-extractor (MIT) ships these sample files in its package; they are read from there, never committed. */
export const PST_TESTDATA = join(dirname(createRequire(import.meta.url).resolve('pst-extractor/package.json')), 'example', 'testdata');
/** An Outlook.com mailbox's .ost (Outlook 2013+ format): 9 appointments, 160 holidays, empty contact folders. */
export const SAMPLE_OST = join(PST_TESTDATA, 'pstextractortest@outlook.com.ost');
/** An Enron mailbox's .pst: mail only. */
export const ENRON_PST = join(PST_TESTDATA, 'enron.pst');
