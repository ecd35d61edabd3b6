import { expect, test } from '@playwright/test';
import { demoCounts, openApp, shot } from './support/app';

// the whole stack (host, engine, Chromium) shares two cores with the rest of the test run
test.beforeEach(() => test.slow());

test.describe('overview', () => {
  test('the demo opens with counts matching the demo file, CNI health and the context picker', async ({
    page,
  }) => {
    await openApp(page);
    const counts = demoCounts();
    await expect(page.getByTestId('count-namespaces')).toHaveText(String(counts.Namespace));
    await expect(page.getByTestId('count-pods')).toHaveText(String(counts.Pod));
    await expect(page.getByTestId('count-services')).toHaveText(String(counts.Service));
    await expect(page.getByTestId('count-nodes')).toHaveText(String(counts.Node));
    await expect(page.getByTestId('count-policies')).toHaveText(String(counts.NetworkPolicy));

    // CNI health: Cilium enforces policies, an agent per node, Hubble available
    const cni = page.getByTestId('cni-panel');
    await expect(cni).toContainText('Cilium');
    await expect(cni).toContainText('enforces policies');
    await expect(page.getByTestId('cni-nodes').locator('tbody tr')).toHaveCount(counts.Node);
    await expect(cni).toContainText('available');
    await expect(page.getByTestId('cni-not-enforcing')).toHaveCount(0);
    await shot(page, 'overview');

    // the namespace filter narrows the namespace table
    await page.getByTestId('namespace-filter').click();
    await page.getByRole('checkbox', { name: 'backend' }).check();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('namespace-filter')).toContainText('backend');
    await expect(page.locator('section[aria-labelledby=ns-title] tbody tr')).toHaveCount(1);

    // Ctrl+K opens the picker with the demo and the file entry; Escape closes it
    await page.keyboard.press('Control+k');
    const picker = page.getByTestId('context-picker');
    await expect(picker).toBeVisible();
    await expect(picker.getByRole('option', { name: /Open demo/ })).toBeVisible();
    await expect(picker.getByRole('option', { name: /Open snapshot files/ })).toBeVisible();
    await shot(page, 'context-picker');
    await page.keyboard.press('Escape');
    await expect(picker).toHaveCount(0);
  });

  test('snapshot files opened from disk replace the demo; bad YAML is reported, the previous snapshot stays', async ({
    page,
  }) => {
    await openApp(page);
    await page.keyboard.press('Control+k');
    await page.getByTestId('snapshot-file-input').setInputFiles({
      name: 'broken.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from('kind: Pod\nmetadata: [oops\n'),
    });
    await expect(page.getByRole('alert').filter({ hasText: /Could not open broken\.yaml/ })).toBeVisible();
    await expect(page.getByTestId('active-source')).toContainText('Demo');

    const one = [
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: solo}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: a, namespace: solo, labels: {app: a}}',
      'spec: {containers: [{name: c}]}',
      'status: {podIP: 10.9.0.1}',
    ].join('\n');
    await page.keyboard.press('Control+k');
    await page
      .getByTestId('snapshot-file-input')
      .setInputFiles({ name: 'solo.yaml', mimeType: 'application/yaml', buffer: Buffer.from(one) });
    await expect(page.getByTestId('active-source')).toContainText('solo.yaml');
    await expect(page.getByTestId('count-pods')).toHaveText('1');
    await expect(page.getByTestId('count-namespaces')).toHaveText('1');
  });
});
