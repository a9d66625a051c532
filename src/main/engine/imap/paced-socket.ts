import type { Writable } from 'node:stream';

/** The largest piece of a big write handed to the socket at once. */
export const WRITE_PIECE = 256 * 1024;

type WriteCallback = (err?: Error | null) => void;

/**
 * Makes a socket take large writes a piece at a time, each piece only after the one before it
 * left the process.
 *
 * Why: imapflow writes a literal (a whole message of an APPEND, up to 150 MB on Exchange) with one
 * `socket.write`. A TLS socket encrypts all of it at once into native memory that the allocator
 * rarely gives back, and several queued writes are joined into one more copy (writev). Measured on
 * a 3,000-message copy: peak RSS 250 MB, of which only ~40 MB were message Buffers. Handing the
 * socket 256 KB views of the same Buffer (no copy) one after another keeps the encrypted bytes in
 * flight at one piece per connection, whatever the message size.
 *
 * Order is kept: while pieces are pending, every later write (the CRLF after a literal, the next
 * command) waits behind them. A failed write drops what is queued; the socket reports the error
 * and closes as it would have anyway.
 */
export function paceLargeWrites(socket: Writable): void {
  const write = socket.write.bind(socket) as (chunk: unknown, cb: WriteCallback) => boolean;
  const queue: { chunk: unknown; cb: WriteCallback | undefined }[] = [];
  let busy = false;

  const pump = (): void => {
    const next = queue.shift();
    if (!next) {
      busy = false;
      return;
    }
    busy = true;
    write(next.chunk, (err) => {
      next.cb?.(err);
      if (err) {
        for (const rest of queue.splice(0)) rest.cb?.(err);
        busy = false;
        return;
      }
      pump();
    });
  };

  socket.write = ((chunk: unknown, encodingOrCb?: BufferEncoding | WriteCallback, maybeCb?: WriteCallback): boolean => {
    const cb = typeof encodingOrCb === 'function' ? encodingOrCb : maybeCb;
    const encoding = typeof encodingOrCb === 'string' ? encodingOrCb : undefined;
    const data = typeof chunk === 'string' && encoding ? Buffer.from(chunk, encoding) : chunk;
    if (!busy && !(Buffer.isBuffer(data) && data.length > WRITE_PIECE)) {
      return write(data, (err) => cb?.(err));
    }
    if (Buffer.isBuffer(data) && data.length > WRITE_PIECE) {
      for (let at = 0; at < data.length; at += WRITE_PIECE) {
        const end = Math.min(at + WRITE_PIECE, data.length);
        queue.push({ chunk: data.subarray(at, end), cb: end === data.length ? cb : undefined });
      }
    } else {
      queue.push({ chunk: data, cb });
    }
    if (!busy) pump();
    // Accepted: the queue holds views of the caller's Buffer, not copies. (False would make a
    // pipe() into this socket wait for a 'drain' the socket itself may never emit.)
    return true;
  }) as Writable['write'];
}
