import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startK8sSim, DEMO_SCENARIO_PATH, type K8sSim } from '../../test/k8s-sim/index';
import { readFileSync } from 'node:fs';
import { parseFlowLines } from '../../shared/flows/jsonl';
import { startHubbleSim, type HubbleSim } from '../../test/hubble-sim/index';
import { startHostProcess, type StartedHost } from '../host-process';
import { ROOT } from './support/app';
import { shot } from './support/app';

/**
 * A live cluster through the Kubernetes API simulator (real HTTPS, RBAC 403s): the context picker lists
 * the kubeconfig's contexts with their file, the load shows progress, and a restricted user gets the
 * partial-data warning naming what it could not list.
 */
test.describe('live context through the API simulator', () => {
  let sim: K8sSim | undefined;
  let host: StartedHost | undefined;
  let hubble: HubbleSim | undefined;
  let kubeconfig = '';

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    sim = await startK8sSim({ scenario: DEMO_SCENARIO_PATH, latencyMs: 60 });
    // Hubble Relay behind the simulator's port-forward, replaying the demo's recorded flows and then some
    const flows = parseFlowLines(readFileSync(join(ROOT, 'assets', 'demo', 'flows.jsonpb'), 'utf8')).flows;
    hubble = await startHubbleSim({ flows, followRate: 8 });
    sim.setPortForwardTarget('kube-system', 'hubble-relay-6b9c7d8f5-zx7vq', 4245, hubble.port);
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'npd-ui-live-')), 'config');
    sim.writeKubeconfig(kubeconfig, { users: ['admin', 'restricted'], currentContext: 'sim-admin' });
    host = await startHostProcess(['--web'], { env: { KUBECONFIG: kubeconfig } });
  });

  test.afterAll(async () => {
    await host?.stop();
    await hubble?.close();
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

  test('flows stream live from Hubble Relay through the port-forward; pause holds and counts new flows', async ({
    browser,
  }) => {
    test.slow();
    const context = await browser.newContext({
      storageState: undefined,
      viewport: { width: 1440, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(host!.url);
    await page.getByRole('combobox', { name: /Search contexts/ }).fill('sim-admin');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('active-source')).toContainText('sim-admin', { timeout: 60_000 });
    await page.evaluate("location.hash = '#/flows'");
    await page.getByRole('button', { name: 'Live from Hubble' }).click();
    await expect(page.getByTestId('stream-state')).toContainText('Live', { timeout: 60_000 });
    const rows = page.getByTestId('flow-table').locator('[role=row][data-verdict]');
    await expect(rows.first()).toBeVisible();
    await page.getByTestId('flows-pause').click();
    await expect(page.getByTestId('flows-pause')).toContainText(/Resume \(\d+ new\)/, { timeout: 30_000 });
    await shot(page, 'flows-live-paused');
    await page.getByTestId('flows-pause').click();
    await expect(page.getByTestId('flows-pause')).toContainText('Pause');
    expect(sim!.activePortForwards).toBeGreaterThan(0);

    // leaving the view ends the stream and its port-forward; what was received stays
    await page.evaluate("location.hash = '#/overview'");
    await expect.poll(() => sim!.activePortForwards, { timeout: 15_000 }).toBe(0);
    await page.evaluate("location.hash = '#/flows'");
    await expect(page.getByTestId('stream-state')).toContainText('Closed');
    await expect(page.getByTestId('stream-bar')).toContainText('left the Flows view');
    await expect(rows.first()).toBeVisible();

    // closing the window ends them too
    await page.getByRole('button', { name: 'Stream again' }).click();
    await expect(page.getByTestId('stream-state')).toContainText('Live', { timeout: 60_000 });
    await expect.poll(() => sim!.activePortForwards, { timeout: 15_000 }).toBeGreaterThan(0);
    await context.close();
    await expect.poll(() => sim!.activePortForwards, { timeout: 15_000 }).toBe(0);
  });
});
