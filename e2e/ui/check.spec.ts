import { expect, test } from '@playwright/test';
import { go, openApp, shot } from './support/app';

// the whole stack (host, engine, Chromium) shares two cores with the rest of the test run
test.beforeEach(() => test.slow());

test('check: the demo expectations pass, a wrong one fails with a reason and opens in the wizard', async ({
  page,
}) => {
  await openApp(page);
  await go(page, '#/check');
  await page.getByTestId('check-demo').click();
  const summary = page.getByTestId('check-summary');
  await expect(summary).toContainText(/\d+ passed, 0 failed/);
  await expect(page.getByTestId('check-table').locator('tbody tr[data-ok=false]')).toHaveCount(0);

  await page.getByRole('button', { name: /expectations-wrong/ }).click();
  await expect(summary).toContainText(/[1-9]\d* failed/);
  await page.getByTestId('check-failed-only').check();
  const failed = page.getByTestId('check-table').locator('tbody tr[data-ok=false]');
  await expect(failed.first()).toBeVisible();
  await expect(page.getByTestId('check-table').locator('tbody tr[data-ok=true]')).toHaveCount(0);
  await shot(page, 'check');

  const from = (await failed.first().locator('td').nth(2).textContent())!.trim();
  await failed
    .first()
    .getByRole('button', { name: /Open in wizard/ })
    .click();
  await expect(page).toHaveURL(/#\/wizard\?/);
  await expect(page.getByTestId('wizard-from')).toHaveValue(from);
  await expect(page.getByTestId('verdict')).toBeVisible();
});

test('lint groups findings by severity with copyable fixes', async ({ page }) => {
  await openApp(page);
  await go(page, '#/lint');
  const warnings = page.getByTestId('lint-warning');
  await expect(warnings).toBeVisible();
  await expect(warnings).toContainText('DNS');
  await warnings.locator('details.lint-fix summary').first().click();
  await expect(warnings.getByRole('button', { name: /Copy/ }).first()).toBeVisible();
  await shot(page, 'lint');
});
