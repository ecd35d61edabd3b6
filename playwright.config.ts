import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';

/**
 * e2e: the renderer in Debian Chromium (Playwright cannot download browsers here) through the real
 * browser-mode host, started once by e2e/global-setup.ts. Specs read NETPOL_URL / NETPOL_ORIGIN /
 * NETPOL_TOKEN, or just `page.goto('/')` (baseURL + the token cookie in storageState).
 * The global setup runs in the runner before the workers start; the workers inherit its env and
 * evaluate this file again, so `baseURL` is the running host's origin there.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  process.stderr.write(
    `playwright: ${chromium} not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH\n`,
  );
}

export default defineConfig({
  testDir: 'e2e',
  testMatch: ['*.spec.ts', 'ui/**/*.spec.ts'],
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: process.env.NETPOL_ORIGIN,
    storageState: 'test-results/.auth/host-cookie.json',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: chromium,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
});
