import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { parseFlowLines } from '../../shared/flows/jsonl';
import { startHubbleSim, type HubbleSim } from '../../test/hubble-sim/index';
import { go, openApp, ROOT, shot } from './support/app';

// the whole stack (host, engine, Chromium) shares two cores with the rest of the test run
test.beforeEach(() => test.slow());

function demoFlowVerdicts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of readFileSync(join(ROOT, 'assets', 'demo', 'flows.jsonpb'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const v = (JSON.parse(line) as { flow?: { verdict?: string } }).flow?.verdict ?? 'UNKNOWN';
    counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}

test.describe('flow inspector', () => {
  test('opens the demo flows, filters like hubble observe, explains a DROPPED flow in agreement with the engine', async ({
    page,
  }) => {
    await openApp(page);
    await go(page, '#/flows');
    await page.getByTestId('open-demo-flows').first().click();
    const expected = demoFlowVerdicts();
    const counts = page.getByTestId('verdict-counts');
    for (const [v, n] of Object.entries(expected)) await expect(counts).toContainText(`${v} ${n}`);
    await expect(page.getByTestId('flow-table').locator('[role=row][data-verdict]').first()).toBeVisible();
    await shot(page, 'flows');

    await page.getByTestId('flow-filter').fill('--verdict DROPPED --to-port 8080');
    await page.getByTestId('flow-filter').press('Enter');
    await expect(page.getByTestId('hubble-command')).toHaveText(
      'hubble observe --verdict DROPPED --to-port 8080',
    );
    const rows = page.getByTestId('flow-table').locator('[role=row][data-verdict]');
    await expect(rows.first()).toBeVisible();
    const verdicts = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')));
    expect(new Set(verdicts)).toEqual(new Set(['DROPPED']));
    await expect(rows.first()).toContainText('8080');
    await expect(rows.first()).toContainText('default deny — no policy allowed it');

    // a flag the filter bar takes like hubble observe, evaluated in main
    await page.getByTestId('flow-filter').fill('--from-namespace payments');
    await page.getByTestId('flow-filter').press('Enter');
    await expect(page.getByTestId('hubble-command')).toHaveText('hubble observe --from-namespace payments');
    await expect(rows.first()).toBeVisible();
    const sources = await rows.evaluateAll((els) =>
      els.map((e) => e.querySelector('[role=gridcell]:nth-child(2)')?.textContent ?? ''),
    );
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((src) => src.startsWith('payments/'))).toBe(true);

    await page.getByTestId('flow-filter').fill('--verdict DROPPED --to-port 8080');
    await page.getByTestId('flow-filter').press('Enter');
    await expect(rows.first()).toContainText('default deny — no policy allowed it');
    await rows.first().click();
    await page.getByTestId('explain-flow').click();
    const result = page.getByTestId('explain-result');
    await expect(result).toHaveAttribute('data-agrees', 'true');
    await expect(result).toContainText('denied');
    await shot(page, 'flows-explain');

    // Open in wizard: the engine says denied for the same question
    await page.getByTestId('open-in-wizard').click();
    await expect(page).toHaveURL(/#\/wizard\?/);
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'denied');
    await expect(page.getByTestId('wizard-port')).toHaveValue('8080');
  });

  test('pausing holds new flows and counts them; a malformed file line is reported with its number', async ({
    page,
  }) => {
    await openApp(page);
    await go(page, '#/flows');
    const good = readFileSync(join(ROOT, 'assets', 'demo', 'flows.jsonpb'), 'utf8')
      .split('\n')
      .filter(Boolean);
    const text = [good[0], '{not json', good[1]].join('\n');
    await page
      .getByTestId('flows-file-input')
      .setInputFiles({ name: 'mixed.jsonpb', mimeType: 'application/x-ndjson', buffer: Buffer.from(text) });
    await expect(page.locator('.import-errors')).toContainText('1 line could not be read');
    await page.locator('.import-errors summary').click();
    await expect(page.locator('.import-errors')).toContainText('line 2');
    await expect(page.getByTestId('flow-table').locator('[role=row][data-verdict]')).toHaveCount(2);
    await page.getByTestId('flows-pause').click();
    await expect(page.getByTestId('flows-pause')).toHaveAttribute('aria-pressed', 'true');
  });
});

test('the flow table is keyboard-driven: Home, arrows and End select rows, Escape clears', async ({
  page,
}) => {
  test.slow();
  await openApp(page);
  await go(page, '#/flows');
  await page.getByTestId('open-demo-flows').first().click();
  const grid = page.getByRole('grid', { name: 'Flows' });
  await expect(grid.locator('[role=row][data-verdict]').first()).toBeVisible();
  const scroller = page.getByLabel('Flow rows: arrow keys select, Escape clears');
  await scroller.focus();
  await page.keyboard.press('Home');
  await expect(grid.locator('[aria-selected=true]')).toHaveAttribute('aria-rowindex', '2');
  await page.keyboard.press('ArrowDown');
  await expect(grid.locator('[aria-selected=true]')).toHaveAttribute('aria-rowindex', '3');
  await expect(page.getByTestId('flow-detail')).toBeVisible();
  await page.keyboard.press('End');
  const total = Number(await grid.getAttribute('aria-rowcount')) - 1;
  // the last row is scrolled into view and selected (the window renders only the rows on screen)
  await expect(grid.locator('[aria-selected=true]')).toHaveAttribute('aria-rowindex', String(total + 1));
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('flow-detail')).toHaveCount(0);
});

test.describe('live flows from a Hubble address', () => {
  let sim: HubbleSim | undefined;
  let ca = '';
  test.beforeAll(async () => {
    const pems = await generate([{ name: 'commonName', value: '*.hubble-relay.cilium.io' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: '*.hubble-relay.cilium.io' }] }],
    });
    ca = pems.cert;
    const flows = parseFlowLines(readFileSync(join(ROOT, 'assets', 'demo', 'flows.jsonpb'), 'utf8')).flows;
    sim = await startHubbleSim({ flows, followRate: 5, tls: { cert: pems.cert, key: pems.private } });
  });
  test.afterAll(async () => {
    await sim?.close();
  });

  test('on the demo snapshot: a plaintext attempt fails with a TLS hint, the CA file the user picks connects', async ({
    page,
  }) => {
    await openApp(page);
    await go(page, '#/flows');
    await page.getByTestId('open-demo-flows').first().click();
    const rows = page.getByTestId('flow-table').locator('[role=row][data-verdict]');
    await expect(rows.first()).toBeVisible();
    await page.getByTestId('hubble-connection').click();
    const panel = page.getByTestId('connection-panel');
    await expect(panel.getByTestId('connect-hubble')).toBeDisabled(); // no address yet
    await panel.getByTestId('hubble-address').fill(sim!.address);
    await panel.getByTestId('connect-hubble').click();
    await expect(page.getByTestId('stream-state')).toContainText('Failed', { timeout: 30_000 });
    await expect(page.getByTestId('stream-bar')).toContainText(/TLS/);
    // the failed attempt lost nothing: the demo flows are still there
    await expect(page.locator('.view-head')).toContainText('demo flows (recorded)');
    await expect(rows.first()).toBeVisible();

    await page.getByTestId('hubble-connection').click();
    await panel.getByLabel('TLS').selectOption('files');
    await panel.getByTestId('tls-file-ca').setInputFiles({
      name: 'hubble-ca.pem',
      mimeType: 'application/x-pem-file',
      buffer: Buffer.from(ca),
    });
    await expect(panel).toContainText('hubble-ca.pem');
    await panel.getByLabel('Server name').fill('instance.hubble-relay.cilium.io');
    await shot(page, 'flows-connection');
    await panel.getByTestId('connect-hubble').click();
    await expect(page.getByTestId('stream-state')).toContainText('Live', { timeout: 30_000 });
    await expect(page.locator('.view-head')).toContainText(`Hubble at ${sim!.address} (live)`);
    await expect(rows.first()).toBeVisible({ timeout: 30_000 });
  });
});
