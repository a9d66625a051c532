import { describe, expect, inject, it } from 'vitest';
import { runSync } from '../../src/main/engine/sync/run-sync.js';
import { account, tempState } from '../harness/accounts.js';
import { addUser } from '../harness/dovecot.js';
import { writeMaildirMessage } from '../harness/maildir.js';
import { digest, seed, simpleMessage, snapshot } from '../harness/mailbox.js';

const dovecot = inject('dovecot');

function fortyMegabytes(): Buffer {
  const line = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n';
  const head =
    'From: big@example.org\r\nSubject: A 40 MB attachment\r\nMessage-ID: <big@cutover.test>\r\nMIME-Version: 1.0\r\n' +
    'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n';
  const lines = Math.ceil((40 * 1024 * 1024) / line.length);
  return Buffer.concat([Buffer.from(head), Buffer.from(line.repeat(lines)), Buffer.from('--b--\r\n')]);
}

describe('byte-exact copies of messages that trip up other tools', () => {
  it('keeps bare LF, 8-bit without MIME, NUL bytes, missing and shared Message-IDs, duplicates across folders and a 40 MB message', async () => {
    const src = addUser(dovecot, 'fid');
    const dst = addUser(dovecot, 'fidd');
    const shared = simpleMessage(10);
    await seed(dovecot, src, ['Other'], [
      { folder: 'INBOX', raw: simpleMessage(1, { messageId: null, subject: 'No Message-ID at all' }) },
      { folder: 'INBOX', raw: simpleMessage(2, { messageId: '<same@cutover.test>', body: 'first of two' }) },
      { folder: 'INBOX', raw: simpleMessage(3, { messageId: '<same@cutover.test>', body: 'second of two, longer' }) },
      { folder: 'INBOX', raw: shared, flags: ['\\Seen'] },
      { folder: 'Other', raw: shared, flags: ['\\Answered'] },
      { folder: 'INBOX', raw: fortyMegabytes() },
    ]);
    // Bytes no APPEND would produce, written straight into the source Maildir.
    writeMaildirMessage(dovecot, src, 'INBOX', Buffer.from('From: lf@example.org\nSubject: bare LF\nMessage-ID: <lf@cutover.test>\n\nline one\nline two\n'));
    writeMaildirMessage(dovecot, src, 'INBOX', Buffer.from('From: eight@example.org\r\nSubject: 8-bit, no MIME headers\r\n\r\nGr\xfc\xdfe, caf\xe9 \xe0 la cr\xe8me\r\n', 'latin1'), 'S');
    writeMaildirMessage(
      dovecot,
      src,
      'INBOX',
      Buffer.concat([Buffer.from('From: nul@example.org\r\nSubject: NUL byte\r\nMessage-ID: <nul@cutover.test>\r\n\r\nbefore'), Buffer.from([0]), Buffer.from('after \x80 real 0x80\r\n', 'latin1')]),
    );

    const summary = await runSync({ source: account(dovecot, src), target: account(dovecot, dst), state: tempState(), connections: 2, startLanes: 2 });
    expect(summary.failed).toEqual([]);
    expect(summary.folderErrors).toEqual([]);
    expect(summary.copied).toBe(9);

    const [source, target] = [await snapshot(dovecot, src), await snapshot(dovecot, dst)];
    expect(digest(target)).toEqual(digest(source));
    const nulOnTarget = target.get('INBOX')!.find((m) => m.body.includes(Buffer.from('NUL byte')))!;
    // BODY[] masks NUL as 0x80 on both sides; BINARY[] shows the true byte survived the trip.
    expect(nulOnTarget.binary).not.toBeNull();
    expect(nulOnTarget.binary!.includes(Buffer.from([0x65, 0x00, 0x61]))).toBe(true);
    expect(nulOnTarget.binary!.includes(Buffer.from(' \x80 real', 'latin1'))).toBe(true);
    const big = target.get('INBOX')!.find((m) => m.body.length > 40 * 1024 * 1024);
    expect(big).toBeDefined();
  }, 120_000);
});
