import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { megabytes } from '../../shared/byte-size.js';
import { FILE_LIMITS, type ChosenFile, type FilePurpose } from '../../shared/chosen-files.js';
import { CutoverError } from '../../shared/errors.js';
import { FileRegistry, type FileRefs, type RegisteredFile } from '../engine/service/for-hosts.js';

/** At most two full selections (contacts and calendar) are kept; older uploads make room. */
const MAX_STORED_BYTES = 2 * FILE_LIMITS.maxTotalBytes;
const MAX_STORED_FILES = 2 * FILE_LIMITS.maxFiles;

interface StoredUpload {
  ref: string;
  path: string;
  size: number;
}

/**
 * The browser's chosen files, streamed to disk in the launch folder (never held in memory, never
 * sent as JSON) and handed back as refs the engine resolves. Each upload must say its size up
 * front (Content-Length, at most FILE_LIMITS.maxFileBytes) and may not send more; when the store
 * is full the oldest uploads are removed, so a ref can expire (the engine then says the file is
 * no longer available).
 */
export class UploadStore implements FileRefs {
  private readonly registry = new FileRegistry();
  private readonly stored: StoredUpload[] = [];
  private reservedBytes = 0;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  resolve(ref: string, purpose: FilePurpose): Promise<RegisteredFile | null> {
    return this.registry.resolve(ref, purpose);
  }

  /**
   * Streams one upload to disk; throws a CutoverError (with an HTTP status) when it breaks a limit.
   * The ref is good only for what the file was uploaded for (contacts or calendar).
   */
  async receive(req: IncomingMessage, name: string, purpose: FilePurpose): Promise<ChosenFile> {
    const declared = Number(req.headers['content-length']);
    if (req.headers['content-length'] === undefined || !Number.isSafeInteger(declared) || declared < 0) {
      throw uploadError(411, 'usage', `The upload of "${name}" did not say its size.`);
    }
    if (declared > FILE_LIMITS.maxFileBytes) {
      throw uploadError(413, 'file-too-large', `"${name}" is ${megabytes(declared)}; a file may be at most ${megabytes(FILE_LIMITS.maxFileBytes)}.`);
    }
    this.makeRoom(declared);
    this.reservedBytes += declared;
    const path = join(this.dir, randomUUID());
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (received > declared) done(uploadError(413, 'file-too-large', `The upload of "${name}" sent more than the ${declared} bytes it announced.`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(req, counter, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      if (received !== declared) throw uploadError(400, 'usage', `The upload of "${name}" ended after ${received} of ${declared} bytes.`);
    } catch (err) {
      rmSync(path, { force: true });
      throw err instanceof CutoverError ? err : uploadError(400, 'connection-lost', `The upload of "${name}" was interrupted.`);
    } finally {
      this.reservedBytes -= declared;
    }
    const file = this.registry.register({ path, name, size: declared, purpose });
    this.stored.push({ ref: file.ref, path, size: declared });
    return file;
  }

  private makeRoom(incoming: number): void {
    const used = (): number => this.stored.reduce((sum, s) => sum + s.size, 0) + this.reservedBytes;
    while (this.stored.length > 0 && (used() + incoming > MAX_STORED_BYTES || this.stored.length >= MAX_STORED_FILES)) {
      const oldest = this.stored.shift()!;
      this.registry.forget(oldest.ref);
      rmSync(oldest.path, { force: true });
    }
    if (used() + incoming > MAX_STORED_BYTES) {
      throw uploadError(503, 'file-too-large', `Other uploads are still arriving; at most ${megabytes(MAX_STORED_BYTES)} can be received at once.`);
    }
  }
}

/** A CutoverError that also says which HTTP status the web host answers with. */
export class UploadError extends CutoverError {
  constructor(
    readonly status: number,
    data: ConstructorParameters<typeof CutoverError>[0],
  ) {
    super(data);
  }
}

function uploadError(status: number, code: CutoverError['code'], message: string): UploadError {
  return new UploadError(status, { code, message, retryable: false });
}
