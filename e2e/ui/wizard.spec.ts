import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { go, openApp, shot } from './support/app';

// the whole stack (host, engine, Chromium) shares two cores with the rest of the test run
test.beforeEach(() => test.slow());

/** The demo's four classic failures (assets/demo/README.md): what the wizard must find and offer. */
const failures = [
  {
    id: 'a',
    from: 'frontend/web-7d9f8b6c5-x2k4p',
    to: 'backend/api-5c6d7f8b9-abcde',
    port: '8080',
    protocol: 'TCP',
    verdict: 'denied',
    cause: 'namespace',
    fix: /kubectl label namespace frontend name=frontend/,
    fixKind: 'command',
  },
  {
    id: 'b',
    from: 'payments/payments-6b7c8d9e5-klmno',
    to: 'kube-system/coredns-5d78c9869d-7xk2m',
    port: '53',
    protocol: 'UDP',
    verdict: 'denied',
    cause: 'syntax',
    fix: /DNS/,
    fixKind: 'new-object',
  },
  {
    id: 'c',
    from: 'monitoring/grafana-6f7d8c9b4-rstuv',
    to: 'data/postgres-0',
    port: '9187',
    protocol: 'TCP',
    verdict: 'allowed',
    cause: 'syntax',
    fix: /one \(AND\)|AND/,
    fixKind: 'patch',
  },
  {
    id: 'd',
    from: 'backend/api-5c6d7f8b9-abcde',
    to: 'backend/redis-cache-0',
    port: '6379',
    protocol: 'TCP',
    verdict: 'denied',
    cause: 'labels',
    fix: /redis-cache/,
    fixKind: 'patch',
  },
] as const;

async function ask(page: Page, f: (typeof failures)[number]) {
  const q = new URLSearchParams({ from: f.from, to: f.to, port: f.port, protocol: f.protocol });
  await go(page, `#/wizard?${q}`);
  await expect(page.getByTestId('verdict')).toBeVisible();
}

test.describe('wizard on the demo failures', () => {
  for (const f of failures) {
    test(`(${f.id}) ${f.from} → ${f.to}:${f.port}/${f.protocol}: finds the failing step, offers the fix, and the fix flips the verdict`, async ({
      page,
    }) => {
      await openApp(page);
      await ask(page, f);
      // the form is filled from the deep link
      await expect(page.getByTestId('wizard-from')).toHaveValue(f.from);
      await expect(page.getByTestId('wizard-to')).toHaveValue(f.to);
      await expect(page.getByTestId('wizard-port')).toHaveValue(f.port);

      const verdict = page.getByTestId('verdict');
      await expect(verdict).toHaveAttribute('data-verdict', f.verdict);
      await expect(page.getByTestId('verdict-cause')).toHaveAttribute('data-cause', f.cause);
      const step = page.getByTestId(`step-${f.cause}`);
      await expect(step).toHaveAttribute('data-status', 'fail');
      // the failing step is open and shows its evidence and a fix of the expected kind
      await expect(step.getByRole('button', { expanded: true })).toBeVisible();
      await expect(step.locator('table.evidence')).toBeVisible();
      const fix = step.getByTestId('fix').filter({ hasText: f.fix }).first();
      await expect(fix).toBeVisible();
      await expect(fix).toHaveAttribute('data-fix-kind', f.fixKind);
      if (f.fixKind === 'patch') await expect(fix.locator('.diff-line.add').first()).toBeVisible();
      // each side's deciding rule is spelled out
      await expect(page.getByTestId('verdict-egress')).toBeVisible();
      await expect(page.getByTestId('verdict-ingress')).toBeVisible();
      await shot(page, `wizard-${f.id}`, { full: true });

      // what-if: apply the fix to a copy of the snapshot, the verdict flips
      await fix.getByTestId('apply-fix').click();
      await expect(page.getByTestId('whatif-banner')).toBeVisible();
      const flipped = f.verdict === 'denied' ? 'allowed' : 'denied';
      await expect(verdict).toHaveAttribute('data-verdict', flipped);
      await expect(page.getByTestId('whatif-verdict')).toHaveText(flipped);
      await shot(page, `wizard-${f.id}-whatif`, { top: true });
      // and back to the real snapshot
      await page.getByTestId('whatif-discard').click();
      await expect(verdict).toHaveAttribute('data-verdict', f.verdict);
    });
  }

  test('the pickers search pods, workloads and services, and offer the named ports of the destination', async ({
    page,
  }) => {
    await openApp(page);
    await go(page, '#/wizard');
    const from = page.getByTestId('wizard-from');
    await from.fill('web');
    await expect(page.getByRole('option').first()).toBeVisible();
    await shot(page, 'wizard-picker');
    await page
      .getByRole('option', { name: /frontend\/web-7d9f8b6c5-x2k4p/ })
      .first()
      .click();
    await expect(from).toHaveValue('frontend/web-7d9f8b6c5-x2k4p');

    const to = page.getByTestId('wizard-to');
    await to.fill('svc backend');
    const svc = page.getByRole('option', { name: /Service.*svc backend\/api/ }).first();
    await svc.click();
    await expect(to).toHaveValue(/^backend\/api-5c6d7f8b9-/);
    await expect(page.locator('.q-notes')).toContainText('svc backend/api has 2 pods');
    await page.getByRole('button', { name: /^http 8080\/TCP/ }).click();
    await expect(page.getByTestId('wizard-port')).toHaveValue('http');
    await page.getByTestId('wizard-run').click();
    await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'denied');
    await expect(page.getByTestId('verdict')).toContainText('8080');
    expect(page.url()).toContain('port=http');
  });

  test('an unknown pod gets a clear error, not a crash', async ({ page }) => {
    await openApp(page);
    await go(page, '#/wizard?from=frontend/nope&to=backend/redis-cache-0&port=6379&protocol=TCP');
    const err = page.getByTestId('wizard-error');
    await expect(err).toBeVisible();
    await expect(err).toContainText('frontend/nope');
  });

  test('the report is exported as HTML and JSON downloads', async ({ page }) => {
    await openApp(page);
    await ask(page, failures[0]);
    for (const [fmt, check] of [
      ['html', (t: string) => expect(t).toMatch(/<html/i)],
      ['json', (t: string) => expect(JSON.parse(t)).toBeTruthy()],
    ] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId(`report-${fmt}`).click(),
      ]);
      const path = await download.path();
      const text = readFileSync(path, 'utf8');
      check(text);
      expect(text).toContain('allow-from-frontend');
    }
  });
});
