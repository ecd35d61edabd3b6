import { expect, test, type Page } from '@playwright/test';
import { openApp, shot } from './support/app';

// the whole stack (host, engine, Chromium) shares two cores with the rest of the test run
test.beforeEach(() => test.slow());

async function tabTo(page: Page, testid: string, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate("document.activeElement?.getAttribute('data-testid')");
    if (at === testid) return;
  }
  throw new Error(`Tab never reached ${testid}`);
}

test('keyboard only: ask about (d) api → redis, read the cause, apply the fix, see the verdict flip', async ({
  page,
}) => {
  await openApp(page);
  await page.keyboard.press('Alt+2');
  await expect(page).toHaveURL(/#\/wizard/);

  await tabTo(page, 'wizard-from');
  await page.keyboard.type('api-5c6d7f8b9-abcde');
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('wizard-from')).toHaveValue('backend/api-5c6d7f8b9-abcde');

  await page.keyboard.press('Tab');
  await expect(page.getByTestId('wizard-to')).toBeFocused();
  await page.keyboard.type('redis-cache-0');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('wizard-to')).toHaveValue('backend/redis-cache-0');

  await page.keyboard.press('Tab');
  await expect(page.getByTestId('wizard-port')).toBeFocused();
  await page.keyboard.type('6379');
  await page.keyboard.press('Enter');

  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'denied');

  // from the results, Tab reaches "See the fix", which opens and focuses the cause step
  await tabTo(page, 'go-to-cause');
  await page.keyboard.press('Enter');
  const labels = page.getByTestId('step-labels');
  const toggle = labels.getByRole('button', { name: /Labels/ }).first();
  await expect(toggle).toBeFocused();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  // Space collapses and expands a step card
  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await shot(page, 'wizard-keyboard');

  // Tab on to the fix's "Apply to snapshot" and press Enter
  await tabTo(page, 'apply-fix');
  await page.keyboard.press('Enter');
  await expect(verdict).toHaveAttribute('data-verdict', 'allowed');
});

test('every interactive element shows a visible focus ring', async ({ page }) => {
  await openApp(page);
  await page.keyboard.press('Alt+2');
  await tabTo(page, 'wizard-from');
  const shadow = await page.evaluate('getComputedStyle(document.activeElement).boxShadow');
  expect(shadow).not.toBe('none');
});
