import type { TestProject } from 'vitest/node';
import { startDovecot, type DovecotInfo, type RunningDovecot } from './dovecot.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dovecot: DovecotInfo;
  }
}

let dovecot: RunningDovecot | null = null;

/** One Dovecot for the whole run; every test creates its own users, so files never collide. */
export async function setup(project: TestProject): Promise<void> {
  dovecot = await startDovecot();
  const { stop: _stop, ...info } = dovecot;
  project.provide('dovecot', info);
}

export async function teardown(): Promise<void> {
  await dovecot?.stop();
}
