import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRegistry, readChosenFiles } from '../../src/main/engine/service/file-refs.js';
import { checkSelection, displayFileName, FILE_LIMITS } from '../../src/shared/chosen-files.js';
import { tempStateDir } from '../harness/accounts.js';

const MB = 1024 * 1024;

/** A file of `size` bytes that takes no disk space (sizes are checked before anything is read). */
function sparse(dir: string, name: string, size: number): string {
  const path = join(dir, name);
  writeFileSync(path, '');
  truncateSync(path, size);
  return path;
}

describe('chosen files', () => {
  it('one set of limits: count, size per file and size together, each refused with the facts', () => {
    expect(checkSelection([{ name: 'a.vcf', size: 10 * MB }])).toBeNull();
    expect(checkSelection(Array.from({ length: FILE_LIMITS.maxFiles + 1 }, (_, i) => ({ name: `${i}.vcf`, size: 1 })))?.message).toBe('51 files were chosen; at most 50 can be read at once.');
    expect(checkSelection([{ name: 'big.ics', size: 60 * MB }])).toEqual({ code: 'file-too-large', message: '"big.ics" is 60 MB; a file may be at most 50 MB.', retryable: false });
    expect(checkSelection([40, 40, 40].map((mb, i) => ({ name: `${i}.ics`, size: mb * MB })))?.message).toBe('The chosen files are 120 MB together; at most 100 MB can be read at once.');
    expect(displayFileName('a\nb/c\\d.vcf')).toBe('a_b_c_d.vcf');
    expect(displayFileName('x'.repeat(300))).toHaveLength(FILE_LIMITS.maxNameLength);
  });

  it('the engine reads files by ref under the name the user saw, and checks them as they are now', async () => {
    const dir = tempStateDir();
    const refs = new FileRegistry();
    const path = join(dir, 'a1b2c3');
    writeFileSync(path, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\r\nEND:VCARD\r\n');
    const chosen = refs.register({ path, name: 'Kontakte.vcf', size: 0, purpose: 'contacts' });
    const read = await readChosenFiles([{ ref: chosen.ref, name: 'whatever the page says' }], refs, 'contacts');
    const origins: string[] = [];
    for await (const source of read.sources) origins.push(source.origin);
    expect(origins).toEqual(['Kontakte.vcf']);

    // A ref is good only for what the file was chosen for.
    await expect(readChosenFiles([{ ref: chosen.ref, name: 'Kontakte.vcf' }], refs, 'calendar')).rejects.toMatchObject({ code: 'file-unavailable', message: expect.stringMatching(/no file chosen for calendar/) });

    const three = [40, 40, 40].map((mb, i) => refs.register({ path: sparse(dir, `f${i}`, mb * MB), name: `${i}.ics`, size: 1, purpose: 'calendar' }));
    await expect(readChosenFiles(three.map(({ ref, name }) => ({ ref, name })), refs, 'calendar')).rejects.toMatchObject({ code: 'file-too-large', message: expect.stringMatching(/120 MB together/) });
    // Grown since it was chosen: the size now counts, not the size then.
    const grown = refs.register({ path: sparse(dir, 'grown', 1), name: 'grown.ics', size: 1, purpose: 'calendar' });
    truncateSync(join(dir, 'grown'), 51 * MB);
    await expect(readChosenFiles([{ ref: grown.ref, name: 'grown.ics' }], refs, 'calendar')).rejects.toMatchObject({ code: 'file-too-large', message: '"grown.ics" is 51 MB; a file may be at most 50 MB.' });
    // A file gone since it was chosen: the message says so in words; the system's code is only in the detail.
    const removed = refs.register({ path: join(dir, 'gone.vcf'), name: 'gone.vcf', size: 1, purpose: 'contacts' });
    const gone = await readChosenFiles([{ ref: removed.ref, name: 'gone.vcf' }], refs, 'contacts').catch((err: unknown) => err);
    expect(gone).toMatchObject({ code: 'file-unavailable', message: 'The chosen file "gone.vcf" is no longer available (it cannot be read).', detail: 'ENOENT' });
    refs.forget(chosen.ref);
    await expect(readChosenFiles([{ ref: chosen.ref, name: 'Kontakte.vcf' }], refs, 'contacts')).rejects.toMatchObject({ code: 'file-unavailable' });
    await expect(readChosenFiles([{ ref: chosen.ref, name: 'Kontakte.vcf' }], undefined, 'contacts')).rejects.toMatchObject({ code: 'file-unavailable' });
  });
});
