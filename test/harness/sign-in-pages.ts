import { readFileSync } from 'node:fs';
import type { ApiEvent } from '../../src/shared/app-api.js';
import { FakeBrowser } from './fake-browser.js';

export type SignInPage = Extract<ApiEvent, { type: 'm365-sign-in' }>;

/**
 * Plays the person in front of the app: every sign-in page (or device code) the service announces
 * through an 'm365-sign-in' event is answered in a fake browser as `user`. `failed` rejects when the
 * browser could not finish, so a test fails instead of waiting; `stop` ends the listening.
 */
export function answerSignInPages(service: { onEvent(listener: (e: ApiEvent) => void): () => void }, user: string, caFile: string): { pages: SignInPage[]; failed: Promise<never>; stop: () => void } {
  const pages: SignInPage[] = [];
  let fail: (err: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const stop = service.onEvent((e) => {
    if (e.type !== 'm365-sign-in') return;
    pages.push(e);
    const browser = new FakeBrowser(readFileSync(caFile, 'utf8'));
    (e.userCode ? browser.enterDeviceCode(e.url, e.userCode, user) : browser.signIn(e.url, user)).catch(fail);
  });
  return { pages, failed, stop };
}
