import { expect, type Page } from '@playwright/test';
import { readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');

/** Opens the app through the browser-mode host (URL with token, or baseURL + token cookie). */
export async function openApp(page: Page, hash = ''): Promise<void> {
  const url = process.env.NETPOL_URL ?? '/';
  await page.goto(url + hash);
  await expect(page.getByTestId('active-source')).toContainText('Demo', { timeout: 30_000 });
}

/** Goes to a view by its hash route without reloading (the session and its snapshot stay). */
export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

/** Saves a screenshot of the whole main column (not only the viewport) to e2e/screenshots. */
export async function shot(
  page: Page,
  name: string,
  opts: { full?: boolean; top?: boolean } = {},
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // transient toasts would cover the content
  await page.evaluate("document.querySelectorAll('.toast button').forEach((b) => b.click())");
  if (opts.full || opts.top) await page.evaluate("document.querySelector('main').scrollTop = 0");
  const size = page.viewportSize() ?? { width: 1440, height: 900 };
  if (opts.full) {
    const h = Number(await page.evaluate("(document.querySelector('main')?.scrollHeight ?? 0) + 60"));
    await page.setViewportSize({ width: size.width, height: Math.min(3600, Math.max(size.height, h)) });
  }
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  if (opts.full) await page.setViewportSize(size);
}

/** Object counts of the demo snapshot, read from assets/demo/cluster.yaml (a List or many documents). */
export function demoCounts(): Record<string, number> {
  const text = readFileSync(join(ROOT, 'assets', 'demo', 'cluster.yaml'), 'utf8');
  const counts: Record<string, number> = {};
  const add = (o: unknown) => {
    if (!o || typeof o !== 'object') return;
    const obj = o as { kind?: string; items?: unknown[] };
    if (obj.kind?.endsWith('List') && Array.isArray(obj.items)) obj.items.forEach(add);
    else if (obj.kind) counts[obj.kind] = (counts[obj.kind] ?? 0) + 1;
  };
  for (const doc of parseAllDocuments(text)) add(doc.toJS());
  return counts;
}
