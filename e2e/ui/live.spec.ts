import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startK8sSim, DEMO_SCENARIO_PATH, type K8sSim } from '../../test/k8s-sim/index';
import { startHostProcess, type StartedHost } from '../host-process';
import { shot } from './support/app';

/**
 * A live cluster through the Kubernetes API simulator (real HTTPS, RBAC 403s): the context picker lists
 * the kubeconfig's contexts with their file, the load shows progress, and a restricted user gets the
 * partial-data warning naming what it could not list.
 */
test.describe('live context through the API simulator', () => {
  let sim: K8sSim | undefined;
  let host: StartedHost | undefined;
  let kubeconfig = '';

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    sim = await startK8sSim({ scenario: DEMO_SCENARIO_PATH, latencyMs: 60 });
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'npd-ui-live-')), 'config');
    sim.writeKubeconfig(kubeconfig, { users: ['admin', 'restricted'], currentContext: 'sim-admin' });
    host = await startHostProcess(['--web'], { env: { KUBECONFIG: kubeconfig } });
  });

  test.afterAll(async () => {
    await host?.stop();
    await sim?.close();
  });

  test('picker lists the contexts; a restricted user sees progress and the partial-data warning', async ({
    browser,
  }) => {
    test.slow();
    const context = await browser.newContext({
      storageState: undefined,
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(host!.url);
    const picker = page.getByTestId('context-picker');
    await expect(picker).toBeVisible({ timeout: 30_000 });
    const admin = picker.getByRole('option', { name: /sim-admin/ });
    await expect(admin).toContainText('current');
    await expect(admin).toContainText(kubeconfig);
    await expect(picker.getByRole('option', { name: /sim-restricted/ })).toBeVisible();
    await shot(page, 'context-picker-live');

    await page.getByRole('combobox', { name: /Search contexts/ }).fill('restricted');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('load-progress')).toBeVisible();
    await expect(page.getByTestId('active-source')).toContainText('sim-restricted', { timeout: 60_000 });
    const warning = page.getByTestId('partial-warning');
    await expect(warning).toBeVisible();
    await expect(warning).toContainText('cannot list networkpolicies in namespace backend');
    await expect(page.getByTestId('active-source')).toContainText('partial');
    await expect(page.getByTestId('cni-panel')).toContainText('Cilium');
    // what could not be listed is shown as "no permission", not as empty
    await expect(page.locator('section[aria-labelledby=ns-title] tr', { hasText: 'backend' })).toContainText(
      'no permission',
    );
    await shot(page, 'overview-live-partial');
    await context.close();
  });
});
