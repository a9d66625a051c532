import { describe, expect, it } from 'vitest';
import { CutoverError } from '../../src/shared/errors.js';
import { isAllowed, MESSAGE_STATES } from '../../src/main/engine/state/message-state.js';
import { openDatabase } from '../../src/main/engine/state/open-database.js';
import { PairLease, STALE_AFTER_MS } from '../../src/main/engine/state/pair-lease.js';
import { PairState } from '../../src/main/engine/state/pair-state.js';
import { SyncState, type MessageRow } from '../../src/main/engine/state/sync-state.js';
import { tempStateDir } from '../harness/accounts.js';

function row(uid: number): MessageRow {
  return { sourceUid: uid, state: 'pending', fingerprint: `fp${uid}`, messageId: `<${uid}@x>`, size: 10, internalDate: 0, flags: '', targetUid: null, reason: null, subject: `s${uid}` };
}

function setup() {
  const db = openDatabase(tempStateDir());
  const pairs = new PairState(db);
  const pairId = pairs.ensure('a@src:993', 'b@dst:993');
  const state = new SyncState(db);
  const folder = state.folder(pairId, 'INBOX', 'INBOX');
  return { db, pairs, pairId, state, folder };
}

function stateOf(s: SyncState, folderId: number, uid: number): string | undefined {
  return s.messages(folderId).get(uid)?.state;
}

describe('the journal as one state machine', () => {
  it('refuses done → skipped: a message on the target never becomes "left out"', () => {
    const { state, folder } = setup();
    state.recordIntents(folder.id, [row(1)]);
    state.markDone(folder.id, [{ sourceUid: 1, targetUid: 7, flags: '' }]);
    expect(() => state.recordSkipped(folder.id, [{ ...row(1), state: 'skipped', reason: 'too large' }])).toThrow(/from done to skipped/);
    expect(stateOf(state, folder.id, 1)).toBe('done');
  });

  it('refuses done → failed and a completion without an intent', () => {
    const { state, folder } = setup();
    expect(() => state.markDone(folder.id, [{ sourceUid: 2, targetUid: 8, flags: '' }])).toThrow(/from absent to done/);
    state.recordIntents(folder.id, [row(3)]);
    state.markDone(folder.id, [{ sourceUid: 3, targetUid: 9, flags: '' }]);
    expect(() => state.markFailed(folder.id, 3, 'refused')).toThrow(/from done to failed/);
    // A refused transition changes nothing: the whole transaction is rolled back.
    expect(stateOf(state, folder.id, 2)).toBeUndefined();
    expect(stateOf(state, folder.id, 3)).toBe('done');
    // Several completions at once, the last one without an intent: none of them is recorded.
    state.recordIntents(folder.id, [row(4), row(5)]);
    expect(() => state.markDone(folder.id, [4, 5, 6].map((uid) => ({ sourceUid: uid, targetUid: uid + 10, flags: '' })))).toThrow(/message 6 from absent to done/);
    expect([4, 5, 6].map((uid) => stateOf(state, folder.id, uid))).toEqual(['pending', 'pending', undefined]);
    expect(() => state.markCopied(folder.id, { path: 'INBOX', uidValidity: 1 }, [4, 6].map((uid) => ({ sourceUid: uid, targetUid: uid + 10, flags: '' })))).toThrow(/from absent to done/);
    expect(stateOf(state, folder.id, 4)).toBe('pending');
  });

  it('allows exactly the moves the copy makes', () => {
    const allowed = (from: 'absent' | (typeof MESSAGE_STATES)[number]) => MESSAGE_STATES.filter((to) => isAllowed(from, to));
    expect(allowed('absent')).toEqual(['pending', 'skipped']);
    expect(allowed('pending')).toEqual(['pending', 'done', 'failed']);
    expect(allowed('failed')).toEqual(['pending', 'done', 'failed']);
    expect(allowed('skipped')).toEqual(['pending', 'done', 'skipped']);
    expect(allowed('done')).toEqual(['pending', 'done']);
  });

  it('never forgets a done message', () => {
    const { state, folder } = setup();
    state.recordIntents(folder.id, [row(4), row(5)]);
    state.markDone(folder.id, [{ sourceUid: 4, targetUid: 1, flags: '' }]);
    state.forget(folder.id, 4);
    state.forget(folder.id, 5);
    expect(stateOf(state, folder.id, 4)).toBe('done');
    expect(stateOf(state, folder.id, 5)).toBeUndefined();
  });
});

describe('one writer per mailbox pair', () => {
  it('refuses a second holder with its pid and start time, and frees the pair on release', () => {
    const { db, pairId } = setup();
    const first = PairLease.acquire(db, pairId, 'sync', { heartbeat: false });
    let busy: unknown;
    try {
      PairLease.acquire(db, pairId, 'sync', { heartbeat: false });
    } catch (err) {
      busy = err;
    }
    expect(busy).toBeInstanceOf(CutoverError);
    expect((busy as CutoverError).code).toBe('pair-busy');
    expect((busy as CutoverError).facts).toMatchObject({ pid: process.pid, purpose: 'sync', thisProcess: true });
    expect((busy as CutoverError).message).toMatch(/^Another copy of this mailbox pair is running \(pid \d+, since \d{4}-/);
    first.release();
    PairLease.acquire(db, pairId, 'repair', { heartbeat: false }).release();
  });

  it('takes over from a holder whose process is gone, or whose heartbeat is old; the old holder can no longer announce an APPEND', () => {
    const { db, pairId, folder } = setup();
    let now = 1_000_000;
    const gone = { now: () => now, pidAlive: () => false };
    const alive = { now: () => now, pidAlive: () => true };
    const killed = PairLease.acquire(db, pairId, 'sync', { heartbeat: false, clock: alive });
    const second = PairLease.acquire(db, pairId, 'sync', { heartbeat: false, clock: gone });
    expect(killed.held).toBe(false);
    expect(killed.beat()).toBe(false);
    // A process that stalled (or a reused pid): alive, but silent for too long.
    now += STALE_AFTER_MS - 1;
    expect(() => PairLease.acquire(db, pairId, 'sync', { heartbeat: false, clock: alive })).toThrow(/Another copy/);
    now += 2;
    const third = PairLease.acquire(db, pairId, 'sync', { heartbeat: false, clock: alive });
    expect(second.held).toBe(false);
    const stale = new SyncState(db, { pairId, token: second.token });
    expect(() => stale.recordIntents(folder.id, [row(1)])).toThrow(/took over/);
    new SyncState(db, { pairId, token: third.token }).recordIntents(folder.id, [row(1)]);
    third.release();
  });
});

describe('overall progress', () => {
  it('has a fixed total from the plan and never moves backwards, even when a folder grows or a repair recounts', async () => {
    const { OverallMeter } = await import('../../src/main/engine/sync/progress-meter.js');
    let now = 0;
    const plan = {
      folders: [
        { source: 'INBOX', target: 'INBOX', messages: 10, bytes: 1000, alreadyDone: 4, alreadyDoneBytes: 400 },
        { source: 'Work', target: 'Work', messages: 5, bytes: 500, alreadyDone: 0, alreadyDoneBytes: 0 },
      ],
      messages: 15,
      bytes: 1500,
      alreadyDone: 4,
      alreadyDoneBytes: 400,
      leftOut: [],
    };
    const overall = new OverallMeter(plan, () => now);
    expect(overall.snapshot()).toMatchObject({ messagesDone: 4, messagesTotal: 15, etaSeconds: null });
    now = 1000;
    overall.folderDone('INBOX', 2, 200); // a repair that found copies gone: not backwards
    overall.copied(300);
    overall.folderDone('INBOX', 7, 700);
    expect(overall.snapshot()).toMatchObject({ messagesDone: 7, bytesDone: 700, elapsedMs: 1000, bytesPerSecond: 300, etaSeconds: 3 });
    overall.folderDone('INBOX', 12, 1200); // mail that arrived during the copy: copied, total unchanged
    overall.folderDone('Work', 5, 500);
    expect(overall.snapshot(true)).toMatchObject({ messagesDone: 15, messagesTotal: 15, bytesDone: 1500, etaSeconds: 0 });
  });
});
