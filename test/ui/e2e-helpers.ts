import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DovecotInfo } from '../harness/dovecot.js';
import { REPO_ROOT } from '../harness/run-cli.js';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SHOTS = join(REPO_ROOT, 'test-artifacts', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** No serious or critical accessibility violations on the page as it is now (axe-core). */
export async function expectAccessible(page: Page, step: string): Promise<void> {
  // Colours are judged as they end up, not halfway through a fade-in: wait for every finite animation
  // (Fluent's motions, CSS transitions) to finish first, at most 5 s; endless ones (spinners) are left running.
  await page.evaluate(`Promise.race([Promise.all(document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined))), new Promise((r) => setTimeout(r, 5000))])`);
  // Through the debugger protocol, so the page's strict CSP stays on for everything else.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document);
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ' (' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ') + ')');
  })()`)) as string[];
  expect(violations, `accessibility on ${step}`).toEqual([]);
}

export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

export async function heading(page: Page): Promise<string | null> {
  return page.getByRole('heading', { level: 1 }).textContent();
}

export async function fillAccount(page: Page, dovecot: DovecotInfo, user: string, password: string): Promise<void> {
  await page.getByLabel('Server', { exact: true }).fill('127.0.0.1');
  await page.getByLabel('Port', { exact: true }).fill(String(dovecot.imapsPort));
  await page.getByLabel('Security', { exact: true }).selectOption('implicit');
  await page.getByLabel('User name', { exact: true }).fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
}

/** Whether the element is entirely inside the window as it is now (not below the fold). */
export async function inView(page: Page, name: string): Promise<boolean> {
  const box = await page.getByRole('button', { name, exact: true }).boundingBox();
  const size = page.viewportSize();
  return !!box && !!size && box.y >= 0 && box.y + box.height <= size.height && box.x >= 0 && box.x + box.width <= size.width;
}

/** The numbers of a row of summary cards ("441 copied", …) by their label. */
export async function cards(page: Page, label = 'Where the copy stands'): Promise<Record<string, number>> {
  const items = await page.getByRole('list', { name: label }).getByRole('listitem').allTextContents();
  return Object.fromEntries(items.map((t) => [t.replace(/^[\d,.]+/, ''), Number(/^[\d,]+/.exec(t)?.[0]?.replace(/,/g, '') ?? NaN)]));
}

/** The title of the copy's state notice once it says "Done." (or null while it does not). */
export async function copyDone(page: Page): Promise<boolean> {
  return (await page.getByText('Done.', { exact: true }).count()) === 1;
}
