import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { paceLargeWrites, WRITE_PIECE } from '../../src/main/engine/imap/paced-socket.js';

/** A socket stand-in that finishes each write a tick later and records what it was handed. */
function recordingSocket() {
  const writes: Buffer[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const socket = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setImmediate(() => {
        inFlight--;
        done();
      });
    },
  });
  return { socket, writes, maxInFlight: () => maxInFlight };
}

function drained(socket: Writable): Promise<void> {
  return new Promise((resolve) => socket.write(Buffer.alloc(0), () => resolve()));
}

describe('paced socket writes', () => {
  it('hands a large write to the socket in pieces, one at a time, in order and without copying', async () => {
    const { socket, writes, maxInFlight } = recordingSocket();
    paceLargeWrites(socket);
    const literal = Buffer.alloc(3 * WRITE_PIECE + 123);
    for (let i = 0; i < literal.length; i++) literal[i] = i % 251;
    socket.write('A1 APPEND INBOX {…}\r\n');
    socket.write(literal);
    socket.write(Buffer.from('\r\n'));
    await drained(socket);
    const data = writes.filter((w) => w.length > 0);
    expect(data.map((w) => w.length)).toEqual([Buffer.byteLength('A1 APPEND INBOX {…}\r\n'), WRITE_PIECE, WRITE_PIECE, WRITE_PIECE, 123, 2]);
    expect(Buffer.concat(data.slice(1, 5)).equals(literal)).toBe(true);
    // Views of the caller's Buffer, not copies.
    expect(data[1]!.buffer).toBe(literal.buffer);
    expect(maxInFlight()).toBe(1);
  });

  it('calls the callback of a split write once, after its last piece', async () => {
    const { socket, writes } = recordingSocket();
    paceLargeWrites(socket);
    const done = await new Promise<number>((resolve) => socket.write(Buffer.alloc(2 * WRITE_PIECE + 1), () => resolve(writes.length)));
    expect(done).toBe(3);
  });

  it('passes a failure on and drops what waits behind it', async () => {
    const socket = new Writable({
      write(_chunk, _encoding, done) {
        setImmediate(() => done(new Error('connection reset')));
      },
    });
    socket.on('error', () => undefined);
    paceLargeWrites(socket);
    const errors: (Error | null | undefined)[] = [];
    socket.write(Buffer.alloc(2 * WRITE_PIECE), (err) => errors.push(err));
    socket.write(Buffer.from('next'), (err) => errors.push(err));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => e instanceof Error)).toBe(true);
  });
});
