import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayProblem, findElectronBinary } from '../scripts/electron-binary.mjs';
import { NO_KUBECONFIG } from './global-setup';
import { ROOT } from './host-process';

const found = findElectronBinary();
const noDisplay = displayProblem();
const reason = !found.path
  ? `Electron not available: ${'reason' in found ? found.reason : ''}`
  : noDisplay
    ? `Electron cannot open a window: ${noDisplay}`
    : '';

test.describe('Electron app', () => {
  test.skip(!!reason, reason);

  test('opens the demo in a sandboxed window and exposes only the domain API', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'npd-electron-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
    const app = await electron.launch({
      executablePath: found.path,
      args: [ROOT, `--user-data-dir=${userData}`, '--no-sandbox'],
      env: { ...env, KUBECONFIG: NO_KUBECONFIG },
    });
    try {
      const win = await app.firstWindow();
      await expect(win.getByTestId('overview-title')).toHaveText(/demo/i);
      expect(win.url()).toMatch(/^app:\/\/netpol\//);
      type Page = {
        netpolApi?: Record<string, unknown> & { app: { info(): Promise<{ transport: string }> } };
        require?: unknown;
        process?: unknown;
        location: { href: string };
      };
      const exposed = await win.evaluate(() => {
        const w = globalThis as unknown as Page;
        return {
          keys: Object.keys(w.netpolApi ?? {}).sort(),
          require: typeof w.require,
          process: typeof w.process,
        };
      });
      expect(exposed.keys).toEqual([
        'app',
        'check',
        'contexts',
        'diagnose',
        'engine',
        'flows',
        'report',
        'snapshot',
      ]);
      expect(exposed.require).toBe('undefined');
      expect(exposed.process).toBe('undefined');
      const info = await win.evaluate(() => (globalThis as unknown as Page).netpolApi!.app.info());
      expect(info.transport).toBe('ipc');
      // navigation away from app://netpol is blocked
      await win.evaluate(() => {
        (globalThis as unknown as Page).location.href = 'https://example.invalid/';
      });
      await win.waitForTimeout(500);
      expect(win.url()).toMatch(/^app:\/\/netpol\//);
    } finally {
      await app.close();
    }
  });
});
