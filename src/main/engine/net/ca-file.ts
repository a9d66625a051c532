import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CutoverError } from '../../../shared/errors.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads an extra certificate authority to trust (a private mail server's CA) and returns it as
 * PEM text for Node's TLS. Accepts PEM (one or more certificates) or a single DER certificate.
 * A file that holds no certificate at all is an error: accepting it silently would leave the user
 * with "certificate not trusted" and no idea that the file was the problem.
 */
export function loadCaFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    // The system's reason (ENOENT, EACCES…) is for the log, not for a person.
    throw caError(file, 'cannot be read', (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
  const blocks = bytes.toString('latin1').match(PEM_BLOCK) ?? [];
  const pems: string[] = [];
  for (const block of blocks) {
    try {
      pems.push(new X509Certificate(block).toString());
    } catch {
      throw caError(file, `has a certificate block that is not a valid certificate (block ${pems.length + 1})`);
    }
  }
  if (pems.length > 0) return pems.join('\n');
  try {
    return new X509Certificate(bytes).toString();
  } catch {
    throw caError(file, 'holds no certificate (expected PEM text with "-----BEGIN CERTIFICATE-----", or a DER certificate)');
  }
}

function caError(file: string, why: string, detail?: string): CutoverError {
  return new CutoverError({ code: 'usage', message: `The certificate authority file "${file}" ${why}.`, retryable: false, ...(detail ? { detail } : {}) });
}
