import { describe, expect, it } from 'vitest';
import { exchangeAppendFlags, mdnSentFlag } from '../../src/main/engine/m365/exchange-target.js';

describe('the flags Exchange gets with APPEND', () => {
  it('leaves \\Flagged out of the APPEND, to be set with STORE afterwards (Outlook does not see it otherwise)', () => {
    expect(exchangeAppendFlags(['\\Seen', '\\Flagged', '$MDNSent'])).toEqual({ append: ['\\Seen', '$MDNSent'], storeAfter: ['\\Flagged'] });
    expect(exchangeAppendFlags(['\\flagged'])).toEqual({ append: [], storeAfter: ['\\flagged'] });
    expect(exchangeAppendFlags(['\\Seen', '\\Answered'])).toEqual({ append: ['\\Seen', '\\Answered'], storeAfter: [] });
  });

  it('adds $MDNSent only to messages that ask for a read receipt', () => {
    expect(mdnSentFlag(Buffer.from('Subject: x\r\nDisposition-Notification-To: a@b.example\r\n\r\nbody'))).toEqual(['$MDNSent']);
    expect(mdnSentFlag(Buffer.from('Subject: x\r\n\r\nDisposition-Notification-To: in the body'))).toEqual([]);
  });
});
