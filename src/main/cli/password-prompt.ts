import { CutoverError } from '../../shared/errors.js';

/**
 * The password for one side: from the environment variable, else asked on the terminal with echo
 * off. Never from argv (it would land in shell history and `ps`).
 */
export async function passwordFor(role: 'source' | 'target', account: string): Promise<string> {
  const variable = role === 'source' ? 'CUTOVER_SOURCE_PASSWORD' : 'CUTOVER_TARGET_PASSWORD';
  const fromEnv = process.env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new CutoverError({
      code: 'usage',
      message: `No password for the ${role} account ${account}: set ${variable} or run in a terminal to be asked.`,
      retryable: false,
    });
  }
  return askHidden(`Password for ${account} (${role}): `);
}

/** The CardDAV/CalDAV password: CUTOVER_DAV_PASSWORD, else asked on the terminal. */
export async function davPassword(url: string): Promise<string> {
  const fromEnv = process.env.CUTOVER_DAV_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new CutoverError({ code: 'usage', message: `No password for ${url}: set CUTOVER_DAV_PASSWORD or run in a terminal to be asked.`, retryable: false });
  }
  return askHidden(`Password for ${url}: `);
}

async function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new CutoverError({ code: 'cancelled', message: 'Cancelled at the password prompt.', retryable: false }));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}
