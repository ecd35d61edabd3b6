/**
 * Screenshot helper for looking at the UI: `npx tsx e2e/ui/support/shoot.ts <url> <out.png> [width] [height] [dark]`
 * (used while designing; the e2e specs save the final screenshots).
 */
import { chromium } from 'playwright-core';

const [url, out, w = '1440', h = '900', scheme = 'light'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const page = await browser.newPage({
  viewport: { width: Number(w), height: Number(h) },
  colorScheme: scheme === 'dark' ? 'dark' : 'light',
});
page.on('console', (m) => process.stderr.write(`console.${m.type()}: ${m.text()}\n`));
page.on('pageerror', (e) => process.stderr.write(`pageerror: ${e.message}\n`));
await page.goto(url);
await page.waitForTimeout(2500);
await page.screenshot({ path: out, fullPage: false });
await browser.close();
