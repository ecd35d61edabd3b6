import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { displayProblem, findElectronBinary } from '../scripts/electron-binary.mjs';
import { NO_KUBECONFIG } from './global-setup';
import { ROOT, startHostProcess, type StartedHost } from './host-process';

const electron = findElectronBinary();
const electronUsable = !!electron.path && !displayProblem();

test.describe('npm start', () => {
  let host: StartedHost | undefined;
  test.afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  test('without an Electron binary it says so in one line, serves the UI and the demo loads through it', async ({
    browser,
  }) => {
    test.skip(
      electronUsable,
      `an Electron binary is available (${electron.path}): npm start opens the app window instead`,
    );
    test.setTimeout(180_000);
    host = await startHostProcess([], {
      command: ['npm', 'start', '--silent'],
      env: { KUBECONFIG: NO_KUBECONFIG },
    });
    const out = host.output();
    const fallback = out.split('\n').filter((l) => /electron/i.test(l));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]).toMatch(/^Electron is not available \(.+\): starting browser mode instead\.$/);
    expect(out).toContain(`is running at ${host.url}`);
    // the token appears exactly once in what was printed
    expect(out.split(host.token).length - 1).toBe(1);

    const context = await browser.newContext({
      storageState: undefined,
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(host.url);
    await expect(page.getByTestId('overview-title')).toHaveText(/demo/i);
    await expect(page.getByTestId('count-pods')).toHaveText(/\d+/);
    expect(Number(await page.getByTestId('count-pods').innerText())).toBeGreaterThanOrEqual(12);
    // the token is not left in the address bar
    expect(page.url()).not.toContain(host.token);
    // a reload keeps working (token cookie / session storage), and nothing was blocked by the CSP
    await page.reload();
    await expect(page.getByTestId('overview-title')).toHaveText(/demo/i);
    expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);

    mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'app.png') });
    await context.close();
  });

  test('a taken port gets a clear message and the app still starts', async ({ browser }) => {
    const first = await startHostProcess(['--web'], { env: { KUBECONFIG: NO_KUBECONFIG } });
    try {
      host = await startHostProcess(['--web', '--port', String(first.port)], {
        env: { KUBECONFIG: NO_KUBECONFIG },
      });
      expect(host.output()).toContain(
        `port ${first.port} is already in use on 127.0.0.1; using a free port instead`,
      );
      expect(host.port).not.toBe(first.port);
      const page = await browser.newPage({ storageState: undefined });
      await page.goto(host.url);
      await expect(page.getByTestId('overview-title')).toHaveText(/demo/i);
      await page.close();
    } finally {
      await first.stop();
    }
  });

  test('a page opened without the token gets a readable refusal, not the app', async ({ browser }) => {
    const page = await browser.newPage({ storageState: undefined });
    const res = await page.goto(process.env.NETPOL_ORIGIN + '/');
    expect(res?.status()).toBe(401);
    await expect(page.locator('body')).toContainText('open the URL printed at startup');
    const wrong = await page.goto(process.env.NETPOL_ORIGIN + '/?token=wrong');
    expect(wrong?.status()).toBe(403);
    await page.close();
  });
});
