// `npm run icons`: draws assets/icon.svg into the app icons electron-builder uses: icon.png (1024 px,
// Linux and the source of the others), icon.icns (macOS) and icon.ico (Windows, with a 256 px PNG
// entry as the installer wants). Run it after changing icon.svg and commit the results.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import png2icons from 'png2icons';

const dir = fileURLToPath(new URL('.', import.meta.url));
const svg = readFileSync(join(dir, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  writeFileSync(join(dir, 'icon.png'), png);
  const icns = png2icons.createICNS(png, png2icons.BICUBIC, 0);
  const ico = png2icons.createICO(png, png2icons.BICUBIC, 0, true, true);
  if (!icns || !ico) throw new Error('png2icons could not convert assets/icon.png');
  writeFileSync(join(dir, 'icon.icns'), icns);
  writeFileSync(join(dir, 'icon.ico'), ico);
  console.log('assets/icon.png, icon.icns and icon.ico written.');
} finally {
  await browser.close();
}
