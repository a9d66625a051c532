import { describe, expect, it } from 'vitest';
import type { MailboxConnection } from '../../src/main/engine/imap/mailbox-connection.js';
import { SourceReader } from '../../src/main/engine/imap/source-reader.js';
import { TargetWriter } from '../../src/main/engine/imap/target-writer.js';

/** What only a TargetWriter can do: every method it adds to what any mailbox connection may do. */
type WriteMethods = Exclude<keyof TargetWriter, keyof MailboxConnection>;

/** Compiles only while SourceReader has none of them (npm run typecheck checks the test files too). */
const readerCannotWrite: [Extract<keyof SourceReader, WriteMethods>] extends [never] ? true : false = true;

describe('the old mailbox is read through a SourceReader', () => {
  it('which has no method that writes, by type and at run time', () => {
    expect(readerCannotWrite).toBe(true);
    const writes = Object.getOwnPropertyNames(TargetWriter.prototype).filter((name) => name !== 'constructor');
    // The list is the writer's real one (so this test fails if it ever comes out empty)...
    expect(writes).toEqual(expect.arrayContaining(['select', 'createFolder', 'appendEach', 'appendMany', 'addFlags', 'removeFlags', 'removeMessages']));
    // ...and the reader has none of them anywhere on its prototype chain.
    for (const name of writes) expect(name in SourceReader.prototype, `SourceReader.${name}`).toBe(false);
    expect('examine' in SourceReader.prototype && 'fetchRaw' in SourceReader.prototype).toBe(true);
  });

  it('and a call to a write method does not compile', () => {
    // Never run: this function exists for the compiler, which must refuse every line marked below.
    const _neverCalled = (reader: SourceReader): void => {
      // @ts-expect-error a SourceReader cannot SELECT
      void reader.select('INBOX');
      // @ts-expect-error a SourceReader cannot APPEND
      void reader.appendEach('INBOX', [{ parts: [Buffer.from('')], size: 0, flags: [], internalDate: null }]);
      // @ts-expect-error a SourceReader cannot STORE flags
      void reader.addFlags(1, ['\\Seen']);
      // @ts-expect-error a SourceReader cannot expunge
      void reader.removeMessages([1]);
    };
    expect(typeof _neverCalled).toBe('function');
  });
});
